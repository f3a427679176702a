// Code frames: the line a finding points at, taken once when the report is built, so that no
// reporter ever reads the repository. Bounded (files read, bytes per file, characters per line),
// and never from data files, env files, model files or binary files: a frame must not print
// personal data or a credential into a CI log. Manifests come from memory (the loader's text).
import { posix } from "node:path";
import type { Finding } from "../findings/types.js";
import { MODEL_EXT } from "../inventory/scanners/models/formats/index.js";
import type { Inventory, RepoFile } from "../inventory/types.js";
import { redactText } from "../util/redact.js";
import { readRepoFile } from "../util/safe-fs.js";

/** Characters of a line kept around the column. */
export const SNIPPET_MAX_CHARS = 200;
/** Files read for frames in one run, and the largest one read. */
const MAX_FILES = 300;
/** Files read at once for code frames. */
const READERS = 16;
const MAX_FILE_BYTES = 1024 * 1024;

/** Never framed, whatever the scanners said: data, archives and secrets by extension (and model files: MODEL_EXT, the format registry's). */
const UNFRAMED = /\.(csv|tsv|jsonl|ndjson|parquet|arrow|feather|avro|orc|xlsx?|sqlite3?|db|zip|gz|tar|7z|bz2|xz|pem|key|p12|pfx)$/i;

/** Whether a file's lines are never shown in a frame, by its name alone. */
export function neverFramed(path: string): boolean {
  return UNFRAMED.test(path) || MODEL_EXT.test(path);
}

const ENV_FILE = /(^|\/)\.env(\.[^/]*)?$|(^|\/)\.netrc$|credentials[^/]*$|service-account[^/]*$|(^|\/)id_(rsa|ed25519|ecdsa|dsa)$/i;
/** Words of identifiers (snake_case, kebab-case and camelCase split, lower case). */
const words = (line: string) =>
  line
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
const SECRET_WORDS = new Set([
  "password",
  "passwd",
  "pwd",
  "passphrase",
  "secret",
  "secrets",
  "token",
  "tokens",
  "apikey",
  "credential",
  "credentials",
  "bearer",
  "auth",
  "authorization",
]);
/** A line that names a credential (`api_key`, `authToken`, `PASSWORD`; not `tokenizer`): its string literals are masked even when redactText knows no token shape in them. */
function namesSecret(line: string): boolean {
  const w = words(line);
  return w.some((x, i) => SECRET_WORDS.has(x) || (x === "key" && ["api", "private", "access", "secret", "signing", "encryption"].includes(w[i - 1] ?? "")));
}
const STRING_LITERAL = /(["'`])(?:(?!\1)[^\\]|\\.){6,}\1/g;

/** The line's text as shown: tabs as spaces, secrets masked, a window of at most SNIPPET_MAX_CHARS around `column`. */
export function snippetOf(line: string, column: number): { text: string; column: number } | undefined {
  const plain = line.replace(/\t/g, " ").trimEnd();
  if (plain.trim() === "") return undefined;
  let text = redactText(namesSecret(plain) ? plain.replace(STRING_LITERAL, (m) => `${m[0]}***${m[0]}`) : plain);
  // Masking changes lengths: the caret then points at the start of the line's text.
  let col = text === plain ? Math.max(1, column) : text.search(/\S/) + 1 || 1;
  if (text.length > SNIPPET_MAX_CHARS) {
    const start = Math.max(0, Math.min(col - 1 - Math.floor(SNIPPET_MAX_CHARS / 2), text.length - SNIPPET_MAX_CHARS));
    const window = text.slice(start, start + SNIPPET_MAX_CHARS);
    text = `${start > 0 ? "…" : ""}${window}${start + SNIPPET_MAX_CHARS < text.length ? "…" : ""}`;
    col = col - start + (start > 0 ? 1 : 0);
  }
  return { text, column: Math.min(Math.max(1, col), text.length + 1) };
}

/**
 * Sets `snippet` on the findings whose file is a manifest (from `manifests`, in memory) or a text
 * file of the walk that no scanner classed as data. Findings without a line in a file (the checked
 * folder, a synthetic path) get none.
 */
export async function attachSnippets(
  findings: Finding[],
  root: string,
  src: { manifests: ReadonlyMap<string, string>; files: readonly RepoFile[]; inventory: Inventory },
): Promise<void> {
  const sizes = new Map(src.files.map((f) => [f.path, f.size]));
  const data = new Set(src.inventory.observations.filter((o) => o.kind.startsWith("data.")).map((o) => o.location.path));
  const models = new Set(src.inventory.models.map((m) => m.path));
  const framed = (f: Finding) => !(f.path === "." || f.path.startsWith("(") || posix.isAbsolute(f.path) || f.line < 1);
  // Each framed file's lines: a manifest's from its text; other files are read (the first MAX_FILES
  // of them, in the order of their first finding)...
  const lines = new Map<string, string[] | null>();
  const toRead: string[] = [];
  for (const f of findings) {
    const path = f.path;
    if (!framed(f) || lines.has(path)) continue;
    const manifest = src.manifests.get(path);
    lines.set(path, manifest === undefined ? null : manifest.split(/\r?\n/));
    if (manifest !== undefined) continue;
    const size = sizes.get(path);
    if (
      size !== undefined &&
      size <= MAX_FILE_BYTES &&
      !neverFramed(path) &&
      !ENV_FILE.test(path) &&
      !data.has(path) &&
      !models.has(path) &&
      toRead.length < MAX_FILES
    )
      toRead.push(path);
  }
  // ...side by side: each read is several awaited file operations (every folder on the path is
  // checked), and one after the other they cost more than the rest of a warm run.
  let next = 0;
  const reader = async () => {
    for (let i = next++; i < toRead.length; i = next++) {
      const path = toRead[i]!;
      const buf = await readRepoFile(root, path, MAX_FILE_BYTES).catch(() => null);
      if (buf && !buf.subarray(0, 8192).includes(0)) lines.set(path, buf.toString("utf8").split(/\r?\n/));
    }
  };
  await Promise.all(Array.from({ length: Math.min(READERS, toRead.length) }, reader));
  for (const f of findings) {
    if (!framed(f)) continue;
    const text = lines.get(f.path)?.[f.line - 1];
    if (text === undefined) continue;
    const s = snippetOf(text, f.column);
    if (s) f.snippet = s;
  }
}
