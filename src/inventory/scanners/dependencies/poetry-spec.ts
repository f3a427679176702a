// Poetry and Pipfile table entries: `name = "^1.2"` or `name = { version = "...", git = "...", rev = "..." }`.
import { valid } from "@renovatebot/pep440";
import { describeUrl, normalizePyName } from "./pep508.js";
import type { Dependency } from "./model.js";
import { isCommitHash, maskUrl } from "./text.js";
import { isTable } from "./toml.js";

/** A Poetry/Pipfile version string pins exactly one version when it is a bare or `==` version. */
export function poetryExact(spec: string): string | undefined {
  // Trimmed first: blanks on both sides of an absent operator made two \s* trade characters.
  const m = /^(?:===?|=)?\s*([0-9][^\s,*<>^~!|=]*)$/.exec(spec.trim());
  return m && valid(m[1]!) ? m[1] : undefined;
}

export function tableDependency(name: string, value: unknown, location: Dependency["location"]): Dependency | undefined {
  const dep: Dependency = { ecosystem: "pypi", name: normalizePyName(name), spec: name, hashed: false, role: "manifest", location };
  if (typeof value === "string") {
    dep.spec = `${name} ${value}`;
    const exact = poetryExact(value);
    if (exact) dep.exact = exact;
    return dep;
  }
  if (!isTable(value)) return undefined;
  if (typeof value.path === "string" || value.workspace === true) return undefined; // local project
  const git = typeof value.git === "string" ? value.git : typeof value.github === "string" ? `https://github.com/${value.github}` : undefined;
  if (git) {
    const ref = [value.rev, value.ref, value.tag, value.branch].find((r) => typeof r === "string") as string | undefined;
    dep.remote = {
      url: maskUrl(git),
      vcs: true,
      pinned: isCommitHash(typeof value.rev === "string" ? value.rev : typeof value.ref === "string" ? value.ref : undefined),
    };
    dep.spec = `${name} @ ${maskUrl(git)}${ref ? `@${ref}` : ""}`;
    return dep;
  }
  if (typeof value.url === "string") {
    dep.remote = describeUrl(value.url);
    dep.spec = `${name} @ ${dep.remote.url}`;
    return dep;
  }
  if (typeof value.version === "string") {
    dep.spec = `${name} ${value.version}`;
    const exact = poetryExact(value.version);
    if (exact) dep.exact = exact;
  }
  return dep;
}
