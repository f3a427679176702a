// Pack references that name a source outside the repository: a file of another GitHub repository
// at a commit (github:owner/repo/path@sha) or an npm package at a version with its integrity hash
// (npm:@scope/name@1.2.3[/path]#sha512-...). A reference is pinned when what it names cannot
// change: a full commit SHA, or an exact version whose tarball must match the hash.
import semver from "semver";

export class PackRefError extends Error {}

export interface GitHubPackRef {
  kind: "github";
  raw: string;
  owner: string;
  repo: string;
  /** The pack's path in the repository (POSIX, no leading slash). */
  path: string;
  /** What follows @: a commit SHA when pinned, else a branch, tag or abbreviated SHA. */
  ref: string;
  pinned: boolean;
  /** Why it is not pinned. */
  why: string;
}

export interface NpmPackRef {
  kind: "npm";
  raw: string;
  name: string;
  /** An exact version when pinned, else a range or dist-tag. */
  version: string;
  /** The pack's path inside the package; null: the package.json `aigate.pack` field, else pack.yaml. */
  path: string | null;
  /** Subresource integrity of the tarball (sha512-<base64>), as the registry's dist.integrity. */
  integrity: string | null;
  pinned: boolean;
  why: string;
}

export type PackRef = GitHubPackRef | NpmPackRef;

const GITHUB = /^github:([^/@#\s]+)\/([^/@#\s]+)\/([^@#\s]+)@([^@#\s]+)$/;
const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const REPO = /^[A-Za-z0-9._-]{1,100}$/;
const GIT_REF = /^[A-Za-z0-9._/-]{1,255}$/;
const SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
const NPM = /^npm:((?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*)@([^/#\s]+)(\/[^#\s]*)?(?:#(\S+))?$/;
const SHA512_SRI = /^sha512-[A-Za-z0-9+/]{86}==$/;

/** Whether a pack entry is a reference to another source rather than a path. */
export function isPackReference(s: string): boolean {
  return /^(github|npm):/.test(s);
}

function packPath(p: string, raw: string): string {
  const parts = p.split("/");
  if (!p || p.startsWith("/") || parts.some((s) => s === "" || s === "." || s === ".."))
    throw new PackRefError(`${raw}: the pack's path "${p}" must be a plain relative path (no empty, . or .. segments)`);
  if (p.length > 1024) throw new PackRefError(`${raw}: the pack's path is longer than 1024 characters`);
  return p;
}

/** Parses a github: or npm: reference; throws PackRefError with what is wrong. */
export function parsePackRef(raw: string): PackRef {
  if (raw.startsWith("github:")) {
    const m = GITHUB.exec(raw);
    if (!m) throw new PackRefError(`${raw}: a GitHub pack reference is github:<owner>/<repo>/<path to the pack>@<commit SHA>`);
    const [, owner, repo, path, ref] = m as unknown as [string, string, string, string, string];
    if (!OWNER.test(owner)) throw new PackRefError(`${raw}: "${owner}" is not a GitHub owner name`);
    if (!REPO.test(repo) || repo === "." || repo === "..") throw new PackRefError(`${raw}: "${repo}" is not a GitHub repository name`);
    if (!GIT_REF.test(ref) || ref.split("/").some((s) => s === "" || s === "..")) throw new PackRefError(`${raw}: "${ref}" is not a commit SHA, branch or tag`);
    const sha = ref.toLowerCase();
    const pinned = SHA.test(sha);
    const why = pinned ? "" : /^[0-9a-f]{7,39}$/i.test(ref) ? "an abbreviated commit SHA" : "a branch or tag, not a commit SHA";
    return { kind: "github", raw, owner, repo, path: packPath(path, raw), ref: pinned ? sha : ref, pinned, why };
  }
  if (raw.startsWith("npm:")) {
    const m = NPM.exec(raw);
    if (!m) throw new PackRefError(`${raw}: an npm pack reference is npm:<package>@<exact version>[/<path to the pack>]#<integrity, sha512-...>`);
    const [, name, version, path, integrity] = m as unknown as [string, string, string, string | undefined, string | undefined];
    if (name.length > 214) throw new PackRefError(`${raw}: the package name is longer than npm allows`);
    if (integrity !== undefined && !SHA512_SRI.test(integrity)) {
      throw new PackRefError(
        `${raw}: the integrity "${integrity.length > 40 ? integrity.slice(0, 37) + "..." : integrity}" is not a sha512 subresource-integrity hash (sha512-<88 base64 characters>, the registry's dist.integrity)`,
      );
    }
    const exact = semver.valid(version) !== null;
    const why = !exact ? `"${version}" is a version range or dist-tag, not an exact version` : !integrity ? "no integrity hash" : "";
    return {
      kind: "npm",
      raw,
      name,
      version,
      path: path ? packPath(path.slice(1), raw) : null,
      integrity: integrity ?? null,
      pinned: exact && !!integrity,
      why,
    };
  }
  throw new PackRefError(`${raw}: not a github: or npm: pack reference`);
}

/** The reference as it would be written pinned (for messages that tell how to pin a moving one). */
export function pinnedForm(ref: PackRef, resolved: { commit?: string; version?: string; integrity?: string }): string {
  if (ref.kind === "github") return `github:${ref.owner}/${ref.repo}/${ref.path}@${resolved.commit ?? ref.ref}`;
  return `npm:${ref.name}@${resolved.version ?? ref.version}${ref.path ? `/${ref.path}` : ""}#${resolved.integrity ?? ref.integrity ?? ""}`;
}
