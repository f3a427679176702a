// Hidden Unicode in text that agents read as instructions (the "rules file backdoor"): characters a
// person reviewing the file does not see but a model reads. Unicode tag characters (U+E0000-E007F)
// shadow ASCII and spell whole hidden sentences; bidirectional embedding, override and isolate
// controls (U+202A-202E, U+2066-2069) reorder what is displayed (Trojan Source, CVE-2021-42574);
// runs of zero-width characters encode data between visible letters. One zero-width joiner inside
// an emoji is ordinary text, so only runs of three or more count.

export interface HiddenUnicode {
  /** 1-based line and column (UTF-16 code units, as SARIF counts by default) of the first hidden character. */
  line: number;
  column: number;
  tags: number;
  bidi: number;
  zeroWidthRuns: number;
  /** Longest zero-width run. */
  longestRun: number;
  /** The ASCII that the tag characters spell (at most 120 characters). */
  tagText: string;
  /** Every hidden character, in order (for a stable fingerprint). */
  sequence: string;
}

export const MIN_ZERO_WIDTH_RUN = 3;
const BIDI = new Set([0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069]);
const ZERO_WIDTH = new Set([0x200b, 0x200c, 0x200d, 0x200e, 0x200f, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0xfeff, 0x180e, 0x034f, 0x061c]);

export function findHiddenUnicode(text: string): HiddenUnicode | undefined {
  let line = 1;
  let lineStart = 0;
  let first: { line: number; column: number } | undefined;
  let tags = 0;
  let bidi = 0;
  let runs = 0;
  let longest = 0;
  let tagText = "";
  let sequence = "";
  let run: { start: number; line: number; column: number; chars: string } | undefined;
  const mark = (offset: number) => {
    first ??= { line, column: offset - lineStart + 1 };
  };
  const endRun = () => {
    if (run && run.chars.length >= MIN_ZERO_WIDTH_RUN) {
      runs++;
      longest = Math.max(longest, run.chars.length);
      first ??= { line: run.line, column: run.column };
      if (sequence.length < 4096) sequence += run.chars;
    }
    run = undefined;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) {
      endRun();
      line++;
      lineStart = i + 1;
      continue;
    }
    // Tag characters are U+E0000-E007F: the surrogate pair DB40 DC00-DC7F.
    if (c === 0xdb40 && i + 1 < text.length) {
      const lo = text.charCodeAt(i + 1);
      if (lo >= 0xdc00 && lo <= 0xdc7f) {
        endRun();
        mark(i);
        tags++;
        const ascii = lo - 0xdc00;
        if (tagText.length < 120 && ascii >= 0x20 && ascii < 0x7f) tagText += String.fromCharCode(ascii);
        if (sequence.length < 4096) sequence += text.slice(i, i + 2);
        i++;
        continue;
      }
    }
    if (BIDI.has(c)) {
      endRun();
      mark(i);
      bidi++;
      if (sequence.length < 4096) sequence += text[i];
      continue;
    }
    if (ZERO_WIDTH.has(c) && !(c === 0xfeff && i === 0)) {
      run ??= { start: i, line, column: i - lineStart + 1, chars: "" };
      run.chars += text[i];
      continue;
    }
    endRun();
  }
  endRun();
  if (!first) return undefined;
  return { ...first, tags, bidi, zeroWidthRuns: runs, longestRun: longest, tagText, sequence };
}

/** "41 Unicode tag characters spelling "…", 2 bidirectional controls, 1 run of 5 zero-width characters". */
export function describeHidden(h: HiddenUnicode): string {
  const parts: string[] = [];
  if (h.tags)
    parts.push(
      `${h.tags} Unicode tag character${h.tags === 1 ? "" : "s"}${h.tagText.trim() ? ` spelling ${JSON.stringify(h.tagText.length >= 120 ? `${h.tagText}…` : h.tagText)}` : ""}`,
    );
  if (h.bidi) parts.push(`${h.bidi} bidirectional control${h.bidi === 1 ? "" : "s"}`);
  if (h.zeroWidthRuns) parts.push(`${h.zeroWidthRuns} run${h.zeroWidthRuns === 1 ? "" : "s"} of zero-width characters (the longest ${h.longestRun})`);
  return parts.join(", ");
}
