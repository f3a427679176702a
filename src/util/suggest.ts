// "Did you mean": candidates for a mistyped key or id, after commander's suggestSimilar.
const normalise = (s: string) => s.toLowerCase().replace(/[-_ .]/g, "");

/** Optimal-string-alignment distance (Damerau-Levenshtein with adjacent transpositions). */
export function osaDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** Up to three candidates closest to `word`; an exact match after normalisation wins alone. */
export function suggest(word: string, candidates: readonly string[]): string[] {
  const w = normalise(word);
  const exact = candidates.filter((c) => normalise(c) === w);
  if (exact.length) return exact.slice(0, 1);
  let best = Infinity;
  let found: string[] = [];
  for (const c of candidates) {
    const dist = osaDistance(w, normalise(c));
    const len = Math.max(w.length, c.length);
    if (dist > 3 || (len - dist) / len <= 0.4) continue;
    if (dist < best) {
      best = dist;
      found = [c];
    } else if (dist === best) found.push(c);
  }
  return found.slice(0, 3);
}

export function didYouMean(word: string, candidates: readonly string[]): string {
  const s = suggest(word, candidates);
  return s.length ? ` (did you mean ${s.map((x) => `"${x}"`).join(" or ")}?)` : "";
}
