// The pack cache: a folder outside the repository where fetched packs are kept by their pin (the
// commit SHA of a GitHub source, the version and integrity of an npm tarball), so that a runner
// fetches each pin once and an air-gapped runner can be given a filled cache (`aigate packs fetch`).
// What is read from it is checked again against the pin: an npm tarball against its integrity
// hash, a GitHub file against the git blob id the API gave for it.
import { createHash, randomUUID } from "node:crypto";
import { mkdir, readFile, realpath, rename, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { ConfigError } from "../errors.js";
import { isInside } from "../util/safe-fs.js";

/** The cache folder: AIGATE_PACK_CACHE, else the runner's tool cache, else the user's cache folder. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.AIGATE_PACK_CACHE) return resolve(env.AIGATE_PACK_CACHE);
  if (env.RUNNER_TOOL_CACHE) return join(env.RUNNER_TOOL_CACHE, "aigate", "packs");
  const base = env.XDG_CACHE_HOME || join(env.HOME || homedir(), ".cache");
  return join(base, "aigate", "packs");
}

/**
 * Refuses a cache folder inside one of `forbidden` (the repository, the workspace): what the change
 * under review writes must never pass for a fetched pack.
 */
export async function checkCacheDir(dir: string, forbidden: readonly string[]): Promise<void> {
  const real = await realpath(dir).catch(() => resolve(dir));
  for (const f of forbidden) {
    const rf = await realpath(f).catch(() => resolve(f));
    if (isInside(rf, real) || isInside(rf, resolve(dir)))
      throw new ConfigError(`the pack cache ${dir} is inside ${f}: put it outside the repository (AIGATE_PACK_CACHE or --pack-cache)`);
  }
}

/** The git blob id of some bytes (what the contents API reports as a file's `sha`). */
export function gitBlobSha(data: Uint8Array): string {
  return createHash("sha1").update(`blob ${data.byteLength}\0`).update(data).digest("hex");
}

/** Whether `data` matches a subresource-integrity string (sha512-<base64>). */
export function matchesIntegrity(data: Uint8Array, integrity: string): boolean {
  const [alg, want] = [integrity.slice(0, integrity.indexOf("-")), integrity.slice(integrity.indexOf("-") + 1)];
  if (alg !== "sha512" && alg !== "sha384" && alg !== "sha256") return false;
  return createHash(alg).update(data).digest("base64") === want;
}

/** A short, path-safe name for an integrity string. */
export function integrityKey(integrity: string): string {
  return createHash("sha256").update(integrity).digest("hex").slice(0, 32);
}

export async function readCached(file: string): Promise<Buffer | null> {
  try {
    return await readFile(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw new ConfigError(`cannot read the pack cache at ${file}: ${(e as Error).message}`);
  }
}

/** Writes a cache file atomically (a reader never sees half of it). */
export async function writeCached(file: string, data: Uint8Array | string): Promise<void> {
  try {
    await mkdir(dirname(file), { recursive: true, mode: 0o755 });
    const tmp = `${file}.${randomUUID()}.tmp`;
    await writeFile(tmp, data, { mode: 0o644 });
    await rename(tmp, file);
  } catch (e) {
    throw new ConfigError(`cannot write the pack cache at ${file}: ${(e as Error).message}`);
  }
}
