// Format detection by content (magic bytes and structure), never by extension: the first bytes of a
// file or member pick its parser. The formats' sniffs are tried in the registry's order
// (formats/index.ts): zip and compressors before pickle-text, because protocol 0/1 pickles have no
// magic and are recognised by their first opcodes.
import { detectFormat } from "./formats/index.js";

export { SNIFF_BYTES } from "./blob.js";

/** The id of the format the first bytes show, or "unknown". */
export function sniff(head: Buffer, size: number): string {
  return detectFormat(head, size)?.id ?? "unknown";
}
