// Formats recognised by their magic bytes but not sampled: Arrow/Feather IPC and spreadsheets.
// They are reported as data files and as unscanned (their values were not looked at), never clean.
import type { FormatReader } from "./sample.js";

export function recognisedOnly(format: string): FormatReader {
  return async () => ({
    format,
    rowsSampled: 0,
    complete: false,
    notes: [],
    unscannedReason: `${format} data is recognised but its values are not sampled for personal data`,
  });
}
