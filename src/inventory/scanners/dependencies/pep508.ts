// PEP 508 requirement strings (`name[extra] >=1, <2 ; marker`, `name @ url`) as they appear in
// requirements files, pyproject arrays and setup.cfg. Only what the rules need is kept: the name,
// the specifier, the one version it pins (if any) and any URL. Specifier validity is checked with
// @renovatebot/pep440, not by hand.
import { validRange } from "@renovatebot/pep440";
import { isCommitHash, maskUrl } from "./text.js";

export interface Requirement {
  name: string;
  extras: string[];
  specifier: string;
  marker?: string;
  url?: string;
}

const NAME = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*/;

/** PEP 503 normalised name: lower case, runs of `-`, `_`, `.` become one `-`. */
export const normalizePyName = (name: string): string => name.toLowerCase().replace(/[-_.]+/g, "-");

/** Parses one requirement; returns a reason string when it is not PEP 508. */
export function parseRequirement(raw: string): Requirement | string {
  let text = raw.trim();
  let marker: string | undefined;
  const m = NAME.exec(text);
  if (!m) return `"${raw.trim().slice(0, 80)}" does not start with a package name`;
  const name = m[1]!;
  text = text.slice(m[0].length);
  let extras: string[] = [];
  if (text.startsWith("[")) {
    const close = text.indexOf("]");
    if (close < 0) return `unclosed extras in "${raw.trim().slice(0, 80)}"`;
    extras = text
      .slice(1, close)
      .split(",")
      .map((e) => e.trim())
      .filter(Boolean);
    text = text.slice(close + 1).trim();
  }
  if (text.startsWith("@")) {
    // `name @ url ; marker`: the marker needs a space before `;` (PEP 508), since URLs may hold `;`.
    const semi = text.search(/\s;/);
    const url = (semi >= 0 ? text.slice(1, semi) : text.slice(1)).trim();
    if (semi >= 0) marker = text.slice(semi + 2).trim();
    if (!url) return `missing URL after "@" in "${raw.trim().slice(0, 80)}"`;
    return { name, extras, specifier: "", url, marker };
  }
  const semi = text.indexOf(";");
  if (semi >= 0) {
    marker = text.slice(semi + 1).trim();
    text = text.slice(0, semi).trim();
  }
  let specifier = text.replace(/^\((.*)\)$/, "$1").trim();
  specifier = specifier.replace(/\s+/g, "");
  if (specifier && !/^(===|==|!=|~=|<=|>=|<|>)/.test(specifier)) return `unexpected "${specifier.slice(0, 40)}" after the package name`;
  // `===` (arbitrary equality) is outside validRange's grammar; everything else must be valid PEP 440.
  if (specifier && !specifier.startsWith("===") && !validRange(specifier)) return `invalid version specifier "${specifier.slice(0, 60)}"`;
  return { name, extras, specifier, marker };
}

/** The one version a specifier allows (`==1.2.3`, `===1.2.3`), or undefined. */
export function exactVersion(specifier: string): string | undefined {
  const m = /^(?:===|==)([^,;*]+)$/.exec(specifier.trim());
  return m ? m[1]!.trim() : undefined;
}

/** What a URL install fixes: VCS with a commit, or an archive with a hash fragment. */
export function describeUrl(url: string): { url: string; vcs: boolean; pinned: boolean } {
  const vcs = /^(git|hg|svn|bzr)\+/i.test(url) || /^git@/.test(url);
  if (vcs) {
    // git+https://host/repo.git@<ref>#egg=name — the ref is after the last "@" of the path part.
    const noFragment = url.split("#")[0]!;
    const at = noFragment.lastIndexOf("@");
    const slash = noFragment.lastIndexOf("/");
    const ref = at > slash ? noFragment.slice(at + 1) : undefined;
    return { url: maskUrl(url), vcs, pinned: isCommitHash(ref) };
  }
  const local = /^(file:|\.{0,2}\/)/i.test(url);
  const hashed = /#(sha256|sha384|sha512)=[0-9a-f]+/i.test(url);
  return { url: maskUrl(url), vcs: false, pinned: local || hashed };
}
