// Packs from pinned sources. A github: reference is fetched through the REST contents API at its
// commit (with the token: contents: read on that repository), an npm: reference from the registry
// (its tarball, checked against the integrity hash the reference names); both are kept in the pack
// cache by their pin and checked again whenever they are read. The policy loader reaches them
// through the PinnedPacks hook (src/policy/load.ts): `extends` inside a fetched pack resolves
// within the same source only. A moving reference (branch, tag, range) is refused unless the
// configuration allows it; then the commit or version it resolved to is logged and recorded.
import { join, posix, relative, sep } from "node:path";
import semver from "semver";
import { ConfigError } from "../errors.js";
import type { PinnedPacks } from "../policy/load.js";
import { gitBlobSha, integrityKey, matchesIntegrity, readCached, writeCached } from "./cache.js";
import { isPackReference, parsePackRef, PackRefError, pinnedForm, type GitHubPackRef, type NpmPackRef, type PackRef } from "./ref.js";
import { readTarball, TarballError } from "./tarball.js";

/** Largest pack file read from a source. */
const MAX_FILE_BYTES = 5 * 1024 * 1024;
/** Largest npm package document (abbreviated metadata) read. */
const MAX_PACKUMENT_BYTES = 20 * 1024 * 1024;
const TIMEOUT_MS = 30_000;

/** A pinned source the report records (report.policy.sources). */
export interface PolicySource {
  /** The reference as written. */
  ref: string;
  kind: "github" | "npm";
  /** False for a moving reference the configuration allowed. */
  pinned: boolean;
  /** The commit SHA (github) or exact version (npm) that was used. */
  resolved: string;
  /** npm: the tarball's integrity hash. */
  integrity?: string;
  /** The pack files read from it, as `github:owner/repo/path@sha` or `npm:name@version/path`. */
  files: string[];
}

export interface PackSourceOptions {
  cacheDir: string;
  /** false: never use the network (fail when a pack is not cached). */
  online: boolean;
  /** The configuration allows moving references (allowMovingPackRefs). */
  allowMoving: boolean;
  github?: { apiUrl: string; token: string | null };
  npm?: { registry: string; token: string | null };
  /** Where "resolved to" lines go (standard error, the Action's log). */
  log?: (line: string) => void;
  /** A fetch to use instead of the global one (tests). */
  fetch?: typeof fetch;
}

/** A pack could not be had: not cached and not fetchable (offline, no access). Exit status 2. */
export class PackUnavailableError extends ConfigError {}

interface Source {
  kind: "github" | "npm";
  /** Folder the source's files are addressed under (a real folder for github, virtual for npm). */
  root: string;
  record: PolicySource;
  name(rel: string): string;
  read(rel: string): Promise<Buffer>;
}

const toPosix = (p: string) => p.split(sep).join("/");

export class PackSources implements PinnedPacks {
  private readonly byRef = new Map<string, Promise<string>>();
  private readonly sources = new Map<string, Source>();
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly opts: PackSourceOptions) {
    this.fetchImpl = opts.fetch ?? fetch;
  }

  isReference(ref: string): boolean {
    return isPackReference(ref);
  }

  /** The local path a reference's pack is read at (through `read`). */
  resolve(ref: string): Promise<string> {
    let p = this.byRef.get(ref);
    if (!p) {
      p = this.resolveOne(ref);
      this.byRef.set(ref, p);
    }
    return p;
  }

  sourceOf(file: string): { root: string; name: (file: string) => string } | null {
    for (const s of this.sources.values()) {
      if (file === s.root || file.startsWith(s.root + sep)) return { root: s.root, name: (f) => s.name(toPosix(relative(s.root, f))) };
    }
    return null;
  }

  async read(file: string): Promise<string> {
    const s = [...this.sources.values()].find((x) => file.startsWith(x.root + sep));
    if (!s) throw new ConfigError(`${file} is not in a pinned pack source`);
    const rel = toPosix(relative(s.root, file));
    if (!rel || rel.startsWith("../") || rel === "..") throw new ConfigError(`${file} is outside its pinned pack source`);
    const bytes = await s.read(rel);
    const shown = s.name(rel);
    if (!s.record.files.includes(shown)) s.record.files.push(shown);
    return bytes.toString("utf8");
  }

  /** Every source read, for the report (policy.sources). */
  recorded(): PolicySource[] {
    return [...this.sources.values()].map((s) => s.record).filter((r) => r.files.length > 0);
  }

  private async resolveOne(raw: string): Promise<string> {
    let ref: PackRef;
    try {
      ref = parsePackRef(raw);
    } catch (e) {
      if (e instanceof PackRefError) throw new ConfigError(`invalid pack reference ${e.message}`);
      throw e;
    }
    if (!ref.pinned && !this.opts.allowMoving) {
      throw new ConfigError(
        `${raw} is a moving reference (${ref.why}): pin it (${ref.kind === "github" ? "a full commit SHA after @" : "an exact version and its integrity hash after #"}), or allow moving references with allowMovingPackRefs: true in aigate.yml`,
      );
    }
    return ref.kind === "github" ? this.resolveGitHub(ref) : this.resolveNpm(ref);
  }

  // --- GitHub ---------------------------------------------------------------------------------

  private async resolveGitHub(ref: GitHubPackRef): Promise<string> {
    let commit = ref.ref;
    if (!ref.pinned) {
      if (!this.opts.online)
        throw new PackUnavailableError(`${ref.raw} is a moving reference and aigate is offline: it cannot be resolved to a commit (pin it to a commit SHA)`);
      const r = await this.githubGet(`/repos/${enc(ref.owner)}/${enc(ref.repo)}/commits/${encodeURIComponent(ref.ref)}`, ref.raw);
      const sha = (r as { sha?: unknown }).sha;
      if (typeof sha !== "string" || !/^[0-9a-f]{40}$/.test(sha)) throw new ConfigError(`${ref.raw}: the API gave no commit SHA for ${ref.ref}`);
      commit = sha;
      this.opts.log?.(`${ref.raw} is a moving reference: resolved to commit ${commit} (pinned form: ${pinnedForm(ref, { commit })})`);
    }
    const key = `github:${ref.owner}/${ref.repo}@${commit}`.toLowerCase();
    let source = this.sources.get(key);
    if (!source) {
      const root = join(this.opts.cacheDir, "github", ref.owner.toLowerCase(), ref.repo.toLowerCase(), commit, "files");
      const blobs = join(this.opts.cacheDir, "github", ref.owner.toLowerCase(), ref.repo.toLowerCase(), commit, "blobs");
      const record: PolicySource = { ref: ref.raw, kind: "github", pinned: ref.pinned, resolved: commit, files: [] };
      source = {
        kind: "github",
        root,
        record,
        name: (rel) => `github:${ref.owner}/${ref.repo}/${rel}@${commit}`,
        read: (rel) => this.githubFile(ref, commit, rel, join(root, ...rel.split("/")), join(blobs, ...rel.split("/"))),
      };
      this.sources.set(key, source);
    }
    return join(source.root, ...ref.path.split("/"));
  }

  /** One file of a GitHub source at a commit: from the cache when its blob id checks out, else from the API. */
  private async githubFile(ref: GitHubPackRef, commit: string, rel: string, file: string, blobFile: string): Promise<Buffer> {
    const shown = `github:${ref.owner}/${ref.repo}/${rel}@${commit.slice(0, 12)}`;
    const [cached, blob] = await Promise.all([readCached(file), readCached(blobFile)]);
    if (cached && blob) {
      if (gitBlobSha(cached) === blob.toString("utf8").trim()) return cached;
      this.opts.log?.(`the cached copy of ${shown} does not match its blob id; fetching it again`);
    }
    if (!this.opts.online)
      throw new PackUnavailableError(
        `${shown} is not in the pack cache (${this.opts.cacheDir}) and aigate is offline: run \`aigate packs fetch\` where the network is reachable and copy the cache folder, or set AIGATE_PACK_CACHE to a filled one`,
      );
    const data = (await this.githubGet(`/repos/${enc(ref.owner)}/${enc(ref.repo)}/contents/${enc(rel)}?ref=${commit}`, shown, true)) as {
      type?: string;
      encoding?: string;
      content?: string;
      sha?: string;
      size?: number;
    } | null;
    if (data === null)
      throw new ConfigError(
        `${shown} does not exist (no such file at that commit, or the token cannot read ${ref.owner}/${ref.repo}: it needs contents: read)`,
      );
    if (Array.isArray(data) || data.type !== "file" || typeof data.sha !== "string") throw new ConfigError(`${shown} is not a file`);
    if ((data.size ?? 0) > MAX_FILE_BYTES) throw new ConfigError(`${shown} is ${data.size} bytes, more than the ${MAX_FILE_BYTES} a pack may have`);
    let bytes: Buffer;
    if (data.encoding === "base64" && typeof data.content === "string") bytes = Buffer.from(data.content, "base64");
    else {
      // Files over 1 MB come without content from the contents API: the blob API has them.
      const b = (await this.githubGet(`/repos/${enc(ref.owner)}/${enc(ref.repo)}/git/blobs/${data.sha}`, shown)) as { content?: string; encoding?: string };
      if (b.encoding !== "base64" || typeof b.content !== "string") throw new ConfigError(`${shown} came without its content`);
      bytes = Buffer.from(b.content, "base64");
    }
    if (gitBlobSha(bytes) !== data.sha) throw new ConfigError(`${shown}: the content the API sent does not match its blob id ${data.sha}`);
    await writeCached(file, bytes);
    await writeCached(blobFile, data.sha + "\n");
    return bytes;
  }

  private async githubGet(path: string, what: string, allow404 = false): Promise<unknown> {
    const gh = this.opts.github;
    if (!gh) throw new ConfigError(`${what}: no GitHub API is configured for github: pack references`);
    const headers: Record<string, string> = { accept: "application/vnd.github+json", "x-github-api-version": "2022-11-28", "user-agent": "aigate" };
    if (gh.token) headers.authorization = `Bearer ${gh.token}`;
    const url = gh.apiUrl.replace(/\/$/, "") + path;
    let res: { status: number; body: Buffer; headers: Headers } | undefined;
    for (let attempt = 0; attempt < 3; attempt++) {
      res = await this.get(url, headers, MAX_FILE_BYTES * 2, what);
      if (res.status < 500) break;
      await new Promise((r) => setTimeout(r, 500 * (attempt + 1)));
    }
    const { status, body, headers: h } = res!;
    if (status === 404 && allow404) return null;
    if (status === 200) return parseJson(body, what);
    if ((status === 403 || status === 429) && h.get("x-ratelimit-remaining") === "0") {
      const reset = Number(h.get("x-ratelimit-reset"));
      throw new PackUnavailableError(
        `${what}: GitHub's API rate limit is spent${reset ? ` until ${new Date(reset * 1000).toISOString()}` : ""}; fill the pack cache with \`aigate packs fetch\` or give a token`,
      );
    }
    if (status === 401 || status === 403 || status === 404)
      throw new ConfigError(
        `${what}: the GitHub API answered ${status}: the token (AIGATE_PACK_TOKEN or GITHUB_TOKEN; the Action's pack-token) needs contents: read on that repository`,
      );
    throw new PackUnavailableError(`${what}: the GitHub API answered ${status}`);
  }

  // --- npm -------------------------------------------------------------------------------------

  private async resolveNpm(ref: NpmPackRef): Promise<string> {
    let version = ref.version;
    let integrity = ref.integrity;
    let tarballUrl: string | null = null;
    const shownPkg = () => `npm:${ref.name}@${version}`;
    if (!ref.pinned) {
      if (!this.opts.online)
        throw new PackUnavailableError(
          `${ref.raw} is a moving reference and aigate is offline: it cannot be resolved (pin an exact version and its integrity hash)`,
        );
      const doc = await this.packument(ref);
      const chosen = doc["dist-tags"]?.[ref.version] ?? maxSatisfying(Object.keys(doc.versions ?? {}), ref.version);
      const v = chosen ? doc.versions?.[chosen] : undefined;
      if (!chosen || !v) throw new ConfigError(`${ref.raw}: no version of ${ref.name} matches ${ref.version}`);
      version = chosen;
      const distIntegrity = v.dist?.integrity;
      if (integrity && distIntegrity !== integrity)
        throw new ConfigError(`${ref.raw}: ${ref.name}@${version} has integrity ${distIntegrity}, not the one the reference names`);
      if (typeof distIntegrity !== "string" || !distIntegrity.startsWith("sha512-"))
        throw new ConfigError(`${ref.raw}: the registry gives no sha512 integrity for ${ref.name}@${version}`);
      integrity = distIntegrity;
      tarballUrl = v.dist?.tarball ?? null;
      this.opts.log?.(`${ref.raw} is a moving reference: resolved to ${ref.name}@${version} (pinned form: ${pinnedForm(ref, { version, integrity })})`);
    }
    const key = `npm:${ref.name}@${version}#${integrity}`;
    let source = this.sources.get(key);
    if (!source) {
      const tgzFile = join(this.opts.cacheDir, "npm", ref.name.replace("/", "+"), version, `${integrityKey(integrity!)}.tgz`);
      const files = await this.npmTarball(ref, version, integrity!, tarballUrl, tgzFile);
      const root = join(this.opts.cacheDir, "npm", ref.name.replace("/", "+"), version, integrityKey(integrity!), "package");
      const record: PolicySource = { ref: ref.raw, kind: "npm", pinned: ref.pinned, resolved: version, integrity: integrity!, files: [] };
      source = {
        kind: "npm",
        root,
        record,
        name: (rel) => `npm:${ref.name}@${version}/${rel}`,
        read: async (rel) => {
          const f = files.get(rel);
          if (!f) throw new ConfigError(`${shownPkg()} has no file ${rel}`);
          if (f.length > MAX_FILE_BYTES) throw new ConfigError(`${shownPkg()}/${rel} is larger than ${MAX_FILE_BYTES} bytes`);
          return f;
        },
      };
      this.sources.set(key, source);
    }
    return join(source.root, ...(ref.path ?? (await defaultPackPath(source, shownPkg()))).split("/"));
  }

  /** The package's files: from the cached tarball when it matches the integrity, else downloaded and checked. */
  private async npmTarball(ref: NpmPackRef, version: string, integrity: string, knownUrl: string | null, tgzFile: string): Promise<Map<string, Buffer>> {
    const shown = `npm:${ref.name}@${version}`;
    const cached = await readCached(tgzFile);
    let tgz: Buffer | null = cached && matchesIntegrity(cached, integrity) ? cached : null;
    if (cached && !tgz) this.opts.log?.(`the cached tarball of ${shown} does not match its integrity hash; downloading it again`);
    if (!tgz) {
      if (!this.opts.online)
        throw new PackUnavailableError(
          `${shown} is not in the pack cache (${this.opts.cacheDir}) and aigate is offline: run \`aigate packs fetch\` where the registry is reachable and copy the cache folder, or set AIGATE_PACK_CACHE to a filled one`,
        );
      let url = knownUrl;
      if (!url) {
        const doc = await this.packument(ref);
        const v = doc.versions?.[version];
        if (!v) throw new ConfigError(`${ref.raw}: ${ref.name} has no version ${version} in the registry`);
        if (v.dist?.integrity !== integrity)
          throw new ConfigError(
            `${ref.raw}: the registry gives ${ref.name}@${version} the integrity ${v.dist?.integrity ?? "(none)"}, not the one the reference names: the pin does not match what is published`,
          );
        url = v.dist?.tarball ?? null;
      }
      if (!url || !/^https?:\/\//.test(url)) throw new ConfigError(`${ref.raw}: the registry gives no tarball URL for ${ref.name}@${version}`);
      const res = await this.get(url, this.npmHeaders(url), 20 * 1024 * 1024, shown);
      if (res.status !== 200) throw new PackUnavailableError(`${shown}: the registry answered ${res.status} for its tarball`);
      if (!matchesIntegrity(res.body, integrity))
        throw new ConfigError(`${shown}: the downloaded tarball does not match the integrity hash ${integrity.slice(0, 20)}...: refusing it`);
      tgz = res.body;
      await writeCached(tgzFile, tgz);
    }
    try {
      return readTarball(tgz);
    } catch (e) {
      if (e instanceof TarballError) throw new ConfigError(`${shown}: ${e.message}`);
      throw e;
    }
  }

  private npmHeaders(url: string): Record<string, string> {
    const npm = this.opts.npm;
    const headers: Record<string, string> = { "user-agent": "aigate" };
    // The token goes only to the registry itself, never to a host a tarball URL names.
    if (npm?.token && new URL(url).origin === new URL(npm.registry).origin) headers.authorization = `Bearer ${npm.token}`;
    return headers;
  }

  private async packument(ref: NpmPackRef): Promise<Packument> {
    const npm = this.opts.npm;
    if (!npm) throw new ConfigError(`${ref.raw}: no npm registry is configured`);
    const url = `${npm.registry.replace(/\/$/, "")}/${ref.name.startsWith("@") ? "@" + encodeURIComponent(ref.name.slice(1)) : encodeURIComponent(ref.name)}`;
    const res = await this.get(
      url,
      { ...this.npmHeaders(url), accept: "application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8" },
      MAX_PACKUMENT_BYTES,
      ref.raw,
    );
    if (res.status === 404) throw new ConfigError(`${ref.raw}: the registry has no package ${ref.name} (or the token AIGATE_NPM_TOKEN cannot read it)`);
    if (res.status !== 200) throw new PackUnavailableError(`${ref.raw}: the registry answered ${res.status}`);
    return parseJson(res.body, ref.raw) as Packument;
  }

  // --- HTTP ------------------------------------------------------------------------------------

  private async get(url: string, headers: Record<string, string>, maxBytes: number, what: string): Promise<{ status: number; body: Buffer; headers: Headers }> {
    let res: Response;
    try {
      res = await this.fetchImpl(url, { headers, redirect: "follow", signal: AbortSignal.timeout(TIMEOUT_MS) });
    } catch (e) {
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      throw new PackUnavailableError(
        `${what} is not in the pack cache (${this.opts.cacheDir}) and cannot be fetched: ${new URL(url).host} is not reachable (${cause?.code ?? cause?.message ?? (e as Error).message}). Run \`aigate packs fetch\` where the network is reachable and copy the cache folder, or set AIGATE_PACK_CACHE to a filled one`,
      );
    }
    const declared = Number(res.headers.get("content-length") ?? 0);
    if (declared > maxBytes) throw new ConfigError(`${what}: the answer is ${declared} bytes, more than the ${maxBytes} allowed`);
    const chunks: Buffer[] = [];
    let n = 0;
    if (res.body) {
      for await (const c of res.body as unknown as AsyncIterable<Uint8Array>) {
        n += c.byteLength;
        if (n > maxBytes) throw new ConfigError(`${what}: the answer is more than the ${maxBytes} bytes allowed`);
        chunks.push(Buffer.from(c));
      }
    }
    return { status: res.status, body: Buffer.concat(chunks), headers: res.headers };
  }
}

interface Packument {
  "dist-tags"?: Record<string, string>;
  versions?: Record<string, { dist?: { integrity?: string; tarball?: string } }>;
}

const enc = (s: string) => encodeURIComponent(s);

function parseJson(body: Buffer, what: string): unknown {
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    throw new ConfigError(`${what}: the answer is not JSON`);
  }
}

function maxSatisfying(versions: string[], range: string): string | null {
  return semver.validRange(range) ? semver.maxSatisfying(versions, range) : null;
}

/** The pack file of an npm package named without a path: package.json's `aigate.pack`, else pack.yaml. */
async function defaultPackPath(source: Source, shown: string): Promise<string> {
  let pkg: { aigate?: { pack?: unknown } } = {};
  try {
    pkg = JSON.parse((await source.read("package.json")).toString("utf8")) as typeof pkg;
  } catch {
    pkg = {};
  }
  const named = pkg.aigate?.pack;
  if (typeof named === "string") {
    const n = posix.normalize(named.replace(/^\.\//, ""));
    if (!n || n.startsWith("../") || n === ".." || n.startsWith("/"))
      throw new ConfigError(`${shown}: package.json's aigate.pack "${named}" leaves the package`);
    return n;
  }
  return "pack.yaml";
}
