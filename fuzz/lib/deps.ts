// The dependency parsers on one text: what the scanner passes them (UTF-8, BOM dropped, never NUL
// bytes), and every located value they return must point inside that text.
import type { ParsedFile } from "../../src/inventory/scanners/dependencies/model.js";
import { assertInside, text } from "./harness.js";

export function parseText(path: string, data: Buffer, parse: (path: string, text: string) => ParsedFile): void {
  if (data.includes(0)) return; // the scanner reports binary content itself and never parses it
  const src = text(data);
  const out = parse(path, src);
  const located = [
    ...out.dependencies.map((d) => ["dependency " + d.name, d.location] as const),
    ...out.indexes.map((i) => ["index", i.location] as const),
    ...out.includes.map((i) => ["include " + i.path, i.location] as const),
    ...out.problems.map((p) => ["problem " + p.message.slice(0, 60), p.location] as const),
  ];
  for (const [what, loc] of located) {
    if (loc.path !== path) continue; // a value located in another file (an include) is checked there
    assertInside(src, loc, `${path}: ${what}`);
  }
}
