// `.env` files: KEY=VALUE lines (optionally `export`, quoted values, comments), as dotenv reads them.
import { findSecrets, namedSecret } from "./secrets.js";
import type { Hit } from "./model.js";
import { cutSpacedComment, LINE_BREAK } from "../../../util/strip.js";

export function analyzeEnvFile(text: string): Hit[] {
  const hits: Hit[] = [];
  text.split(/\r?\n/).forEach((line, row) => {
    // A line holding a lone \r or a Unicode line separator never matched (`.` stops there); the
    // expression found that out only after trying every split of the blanks around the value.
    // eslint-disable-next-line regexp/no-super-linear-backtracking -- without a line break, `.*$` matches at its first try
    const m = LINE_BREAK.test(line) ? null : /^(\s*(?:export\s+)?)([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(line);
    if (!m) return;
    const column = m[0].length - m[3]!.length;
    let value = m[3]!.trim();
    const q = value[0];
    if ((q === '"' || q === "'") && value.indexOf(q, 1) > 0) value = value.slice(1, value.indexOf(q, 1));
    else value = cutSpacedComment(value);
    const found = findSecrets(value);
    for (const h of found)
      hits.push({
        kind: "code.secret",
        row,
        column,
        message: `${h.service} secret (${h.id}) committed in ${m[2]}: ${h.masked}`,
        key: `${h.id}:${h.hash}`,
        data: { service: h.service, pattern: h.id, masked: h.masked, variable: m[2] },
      });
    if (found.length) return;
    const named = namedSecret(m[2]!, value);
    if (named)
      hits.push({
        kind: "code.secret",
        row,
        column,
        message: `literal value for ${m[2]} committed: ${named.masked}`,
        key: `${m[2]}:${named.hash}`,
        data: { service: m[2], pattern: named.id, masked: named.masked, variable: m[2] },
      });
  });
  return hits;
}

export const isEnvFile = (path: string): boolean => /(^|\/)\.env(\.[\w.-]+)?$/.test(path);
