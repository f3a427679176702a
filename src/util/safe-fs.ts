// File access that a repository's own files cannot redirect. A checked-out pull request may commit
// symbolic links (report.json -> ~/.bashrc), FIFOs that block a reader forever, or huge files; the
// helpers here refuse each with a clear error instead of following, blocking or reading it all.
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, statSync, type Stats } from "node:fs";
import { lstat, mkdir, open, type FileHandle } from "node:fs/promises";
import { isAbsolute, join, relative, resolve, sep } from "node:path";

/** Why a path was refused; `code` lets callers tell "missing" from "unsafe". */
export class UnsafePathError extends Error {
  constructor(
    message: string,
    readonly code: "outside" | "symlink" | "not-folder" | "not-regular" | "too-large" | "missing",
  ) {
    super(message);
    this.name = "UnsafePathError";
  }
}

const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const O_NONBLOCK = constants.O_NONBLOCK ?? 0;

function describe(st: Stats): string {
  if (st.isSymbolicLink()) return "a symbolic link";
  if (st.isDirectory()) return "a folder";
  if (st.isFIFO()) return "a FIFO (named pipe)";
  if (st.isSocket()) return "a socket";
  if (st.isBlockDevice() || st.isCharacterDevice()) return "a device";
  return "not a regular file";
}

async function lstatOrNull(p: string): Promise<Stats | null> {
  try {
    return await lstat(p);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw e;
  }
}

/** The components of `rel` (a relative path inside `base`) as absolute paths, outermost first. */
function chain(base: string, rel: string): string[] {
  const out: string[] = [];
  let cur = base;
  for (const part of rel.split(sep)) {
    if (part === "") continue;
    cur = join(cur, part);
    out.push(cur);
  }
  return out;
}

/** True when `file` is `folder` or lies inside it (paths already resolved; no file-system access). */
export function isInside(folder: string, file: string): boolean {
  return inside(folder, file) !== null;
}

/** `rel` from `base` to `target` when `target` is `base` or inside it, else null. */
function inside(base: string, target: string): string | null {
  const rel = relative(base, target);
  if (rel === "") return "";
  if (rel === ".." || rel.startsWith(".." + sep) || isAbsolute(rel)) return null;
  return rel;
}

/**
 * Writes `data` to `file` without following symbolic links. With `within` (the workspace or the
 * current folder) the file must lie inside it, and neither the file nor any folder between
 * `within` and it may be a symbolic link; missing folders are created. Without `within` (a CLI user
 * naming the file), only the file itself must not be a symbolic link. An existing file must be a
 * regular file; it is truncated.
 */
export async function writeOutputFile(file: string, data: string | Uint8Array, opts: { within?: string } = {}): Promise<void> {
  const target = resolve(file);
  if (opts.within !== undefined) {
    const base = resolve(opts.within);
    const rel = inside(base, target);
    if (rel === null) throw new UnsafePathError(`refusing to write ${file}: it is outside ${base}`, "outside");
    if (rel === "") throw new UnsafePathError(`refusing to write ${file}: it is the folder ${base} itself`, "not-regular");
    const parts = chain(base, rel);
    for (const folder of parts.slice(0, -1)) {
      let st = await lstatOrNull(folder);
      if (!st) {
        try {
          await mkdir(folder);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
        }
        st = await lstat(folder);
      }
      if (st.isSymbolicLink()) throw new UnsafePathError(`refusing to write ${file}: ${folder} is a symbolic link`, "symlink");
      if (!st.isDirectory()) throw new UnsafePathError(`refusing to write ${file}: ${folder} is ${describe(st)}, not a folder`, "not-folder");
    }
  } else {
    await mkdir(resolve(target, ".."), { recursive: true });
  }
  const existing = await lstatOrNull(target);
  if (existing?.isSymbolicLink()) throw new UnsafePathError(`refusing to write ${file}: it is a symbolic link`, "symlink");
  if (existing && !existing.isFile()) throw new UnsafePathError(`refusing to write ${file}: it is ${describe(existing)}`, "not-regular");
  let fh: FileHandle;
  try {
    fh = await open(target, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | O_NOFOLLOW | O_NONBLOCK, 0o666);
  } catch (e) {
    throw openError(e, file, "write");
  }
  try {
    if (!(await fh.stat()).isFile()) throw new UnsafePathError(`refusing to write ${file}: it is not a regular file`, "not-regular");
    await fh.writeFile(data);
  } finally {
    await fh.close();
  }
}

function openError(e: unknown, file: string, verb: string): Error {
  const code = (e as NodeJS.ErrnoException).code;
  // O_NOFOLLOW on a symbolic link fails with ELOOP (Linux) or EMLINK (FreeBSD).
  if (code === "ELOOP" || code === "EMLINK") return new UnsafePathError(`refusing to ${verb} ${file}: it is a symbolic link`, "symlink");
  if (code === "ENXIO") return new UnsafePathError(`refusing to ${verb} ${file}: it is a FIFO or device`, "not-regular");
  if (code === "ENOENT") return new UnsafePathError(`${file} does not exist`, "missing");
  return e as Error;
}

/**
 * Reads the regular file open at `fd`, of at most `maxBytes`; `expect` (from lstat/stat before it was
 * opened) must be the same file. Synchronous, as the lstat and open before it: the files read here
 * are local and bounded (a repository's files, a pack, a configuration, a report), mostly small
 * and in the page cache, where each awaited call costs ten times the call itself, and a report
 * reads hundreds of them (code frames).
 */
function readOpened(fd: number, label: string, maxBytes: number, expect: Stats): Buffer {
  const st = fstatSync(fd);
  if (!st.isFile()) throw new UnsafePathError(`${label} is ${describe(st)}, not a regular file`, "not-regular");
  if (st.dev !== expect.dev || st.ino !== expect.ino) throw new UnsafePathError(`${label} changed while it was opened`, "not-regular");
  if (st.size > maxBytes) throw new UnsafePathError(`${label} is ${st.size} bytes, more than the ${maxBytes} allowed`, "too-large");
  // Read one byte past the limit to notice a file that grew since fstat.
  const buf = Buffer.alloc(Math.min(st.size, maxBytes) + 1);
  let n = 0;
  while (n < buf.length) {
    const got = readSync(fd, buf, n, buf.length - n, n);
    if (got === 0) break;
    n += got;
  }
  if (n > maxBytes) throw new UnsafePathError(`${label} is more than the ${maxBytes} bytes allowed`, "too-large");
  return buf.subarray(0, n);
}

/** Opens `path` with `flags` and reads it (readOpened), closing it in any case. */
function openAndRead(path: string, flags: number, label: string, maxBytes: number, expect: Stats): Buffer {
  let fd: number;
  try {
    fd = openSync(path, flags);
  } catch (e) {
    throw openError(e, label, "read");
  }
  try {
    return readOpened(fd, label, maxBytes, expect);
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads `relPath` of the repository at `root`: it must stay inside `root` after resolving `..`, no
 * component below `root` may be a symbolic link, and it must be a regular file (never a FIFO or a
 * device, so a read never blocks) of at most `maxBytes`. Throws UnsafePathError otherwise
 * (`code: "missing"` when it does not exist). Synchronous under the promise (see readOpened).
 */
export async function readRepoFile(root: string, relPath: string, maxBytes: number): Promise<Buffer> {
  const base = resolve(root);
  if (isAbsolute(relPath)) throw new UnsafePathError(`${relPath} is not a path relative to the repository`, "outside");
  const target = resolve(base, relPath);
  const rel = inside(base, target);
  if (rel === null) throw new UnsafePathError(`${relPath} is outside the repository`, "outside");
  if (rel === "") throw new UnsafePathError(`${relPath || "."} is the repository's folder, not a file`, "not-regular");
  const parts = chain(base, rel);
  let last: Stats | null = null;
  for (const [i, p] of parts.entries()) {
    const shown = () => relative(base, p).split(sep).join("/");
    let st: Stats | undefined;
    try {
      st = lstatSync(p, { throwIfNoEntry: false });
    } catch (e) {
      throw new UnsafePathError(`${shown()} cannot be read: ${(e as Error).message}`, "not-regular");
    }
    if (!st) throw new UnsafePathError(`${shown()} does not exist`, "missing");
    if (st.isSymbolicLink()) throw new UnsafePathError(`${shown()} is a symbolic link; not followed`, "symlink");
    if (i < parts.length - 1 && !st.isDirectory()) throw new UnsafePathError(`${shown()} is ${describe(st)}, not a folder`, "not-folder");
    last = st;
  }
  const label = relPath;
  if (!last!.isFile()) throw new UnsafePathError(`${label} is ${describe(last!)}, not a regular file`, "not-regular");
  if (last!.size > maxBytes) throw new UnsafePathError(`${label} is ${last!.size} bytes, more than the ${maxBytes} allowed`, "too-large");
  return openAndRead(target, constants.O_RDONLY | O_NOFOLLOW | O_NONBLOCK, label, maxBytes, last!);
}

/**
 * Reads a file the operator named (a policy pack, a baseline), wherever it is: symbolic links are
 * followed unless `noFollow`, but the file must be a regular file (never a FIFO or a device) of at
 * most `maxBytes`. Throws UnsafePathError otherwise (`code: "missing"` when it does not exist).
 */
export async function readRegularFile(path: string, maxBytes: number, opts: { noFollow?: boolean } = {}): Promise<Buffer> {
  let st: Stats;
  try {
    st = opts.noFollow ? lstatSync(path) : statSync(path);
  } catch (e) {
    throw openError(e, path, "read");
  }
  if (st.isSymbolicLink()) throw new UnsafePathError(`${path} is a symbolic link; not followed`, "symlink");
  if (!st.isFile()) throw new UnsafePathError(`${path} is ${describe(st)}, not a regular file`, "not-regular");
  if (st.size > maxBytes) throw new UnsafePathError(`${path} is ${st.size} bytes, more than the ${maxBytes} allowed`, "too-large");
  return openAndRead(path, constants.O_RDONLY | O_NONBLOCK | (opts.noFollow ? O_NOFOLLOW : 0), path, maxBytes, st);
}
