// What the dependency parsers produce: one value per declared or locked dependency, each located.
import type { Location } from "../../types.js";

export type Ecosystem = "pypi" | "npm";

export interface Dependency {
  ecosystem: Ecosystem;
  /** Normalised name (PEP 503 for Python, exact for npm). */
  name: string;
  /** The requirement as written (name plus specifier, URL or VCS reference), secrets masked. */
  spec: string;
  /** The one version the specifier allows (`==1.2.3`, a lockfile entry), if it allows exactly one. */
  exact?: string;
  /** A PyPI requirement's version specifier as written (`>=2.0,<2.6`), when it has one and no URL. */
  specifier?: string;
  /** True when the entry carries a hash (`--hash=`, `#sha256=`, a lockfile hash). */
  hashed: boolean;
  /** A URL or VCS install; `pinned` when a commit or a hash fixes what is installed. */
  remote?: { url: string; vcs: boolean; pinned: boolean };
  /** "lock" for lockfiles (they pin whatever the manifest allows); "manifest" otherwise. */
  role: "manifest" | "lock";
  location: Location;
}

/** An index URL a dependency file adds: `extra` ones open the door to dependency confusion. */
export interface PackageIndex {
  url: string;
  option: string;
  extra: boolean;
  location: Location;
}

/** A file this one includes (`-r other.txt`, `-c constraints.txt`), relative to the scanned root. */
export interface Include {
  path: string;
  constraint: boolean;
  location: Location;
}

export interface Problem {
  message: string;
  location: Location;
  /** Fatal problems stop the file (it is reported as unscanned); the others are one line each. */
  fatal: boolean;
}

export interface ParsedFile {
  dependencies: Dependency[];
  indexes: PackageIndex[];
  includes: Include[];
  problems: Problem[];
}

export const emptyParse = (): ParsedFile => ({ dependencies: [], indexes: [], includes: [], problems: [] });
