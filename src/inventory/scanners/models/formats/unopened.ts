// Archives and compressors the scanner recognises but does not open: a model inside one is not
// scanned, so the file is reported as such (an error, never safe).
import type { ModelFormat } from "../format.js";
import { newResult } from "../result.js";

const unopened = (id: string, description: string, sniff: (h: Buffer) => boolean, reason: string, wrapperExtensions?: string[]): ModelFormat => ({
  id,
  description,
  sniff,
  scan: async () => {
    const res = newResult(id);
    res.unscannable = reason;
    return res;
  },
  ...(wrapperExtensions ? { wrapperExtensions } : {}),
  results: { [id]: {} },
});
const starts = (h: Buffer, magic: number[]) => magic.every((b, i) => h[i] === b);

export const sevenZipFormat = unopened(
  "7z",
  "7z archive: not opened (reported as not scanned)",
  (h) => starts(h, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]),
  "7z archive: its content cannot be read here, so a model inside it is not scanned",
);
export const zstdFormat = unopened(
  "zstd",
  "zstd stream: not decompressed (reported as not scanned)",
  (h) => starts(h, [0x28, 0xb5, 0x2f, 0xfd]),
  "zstd-compressed data: not decompressed here, so a model inside it is not scanned",
);
export const lz4Format = unopened(
  "lz4",
  "lz4 frame: not decompressed (reported as not scanned)",
  (h) => starts(h, [0x04, 0x22, 0x4d, 0x18]),
  "lz4-compressed data: not decompressed here, so a model inside it is not scanned",
);
// LZMA_Alone ("legacy .lzma"): joblib opens every stream starting 5D 00 00, whatever its dictionary size.
export const lzmaFormat = unopened(
  "lzma",
  "LZMA_Alone (legacy .lzma) stream: no bounded reader, so not opened (reported as not scanned)",
  (h) => starts(h, [0x5d, 0x00, 0x00]),
  "cannot open LZMA_Alone (legacy .lzma) compression: a pickle inside it is not scanned",
  ["lzma"],
);
