// Values found in data are never reported. Where a report wants to show what was found, it shows
// this shape instead: letters become "x", digits "9", separators stay, and the length is capped.
// The shape tells a reviewer "an e-mail address" or "a 16-digit card number" and nothing more.
export function maskShape(value: string, max = 32): string {
  let out = "";
  for (const ch of value.slice(0, max)) {
    if (/\p{L}/u.test(ch)) out += "x";
    else if (/\d/.test(ch)) out += "9";
    else if (/\s/.test(ch)) out += " ";
    else out += ch;
  }
  return value.length > max ? out + "…" : out;
}
