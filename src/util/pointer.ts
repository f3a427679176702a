// JSON pointers (RFC 6901), as ajv reports them and as the manifest locator keys them.
export function escapeSegment(segment: string | number): string {
  return String(segment).replace(/~/g, "~0").replace(/\//g, "~1");
}

export function unescapeSegment(segment: string): string {
  return segment.replace(/~1/g, "/").replace(/~0/g, "~");
}

export function joinPointer(base: string, ...segments: (string | number)[]): string {
  return base + segments.map((s) => "/" + escapeSegment(s)).join("");
}

export function splitPointer(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer.slice(1).split("/").map(unescapeSegment);
}

/** The value at `pointer`, or undefined. */
export function getAt(value: unknown, pointer: string): unknown {
  let cur: unknown = value;
  for (const seg of splitPointer(pointer)) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

/**
 * Expands a pointer whose segments may be `*` (every array item or object member) into the
 * concrete pointers that exist in `value`, with the value at each.
 */
export function expandPointer(value: unknown, pattern: string): { pointer: string; value: unknown }[] {
  let current: { pointer: string; value: unknown }[] = [{ pointer: "", value }];
  for (const seg of splitPointer(pattern)) {
    const next: { pointer: string; value: unknown }[] = [];
    for (const { pointer, value: v } of current) {
      if (v === null || typeof v !== "object") continue;
      if (seg === "*") {
        const entries = Array.isArray(v) ? v.map((x, i) => [String(i), x] as const) : Object.entries(v);
        for (const [k, x] of entries) next.push({ pointer: joinPointer(pointer, k), value: x });
      } else if (seg in (v as object)) {
        next.push({ pointer: joinPointer(pointer, seg), value: (v as Record<string, unknown>)[seg] });
      } else {
        next.push({ pointer: joinPointer(pointer, seg), value: undefined });
      }
    }
    current = next;
  }
  return current;
}
