// Secrets committed in Python code: provider key formats in any string literal, and literal
// values given to the variables and arguments the SDKs read their key from (`OPENAI_API_KEY =
// "..."`, `os.environ["OPENAI_API_KEY"] = "..."`, `api_key="..."`). What a secret is: ../secrets.ts.
import { at } from "../places.js";
import { findSecrets, namedSecret } from "../secrets.js";
import { outermost, nodesOf } from "../tree-walk.js";
import type { PyFile } from "./context.js";
import { pyString } from "./syntax.js";

export function secretFindings(file: PyFile): void {
  const { hits } = file.out;
  for (const s of outermost(nodesOf(file.root, "string"))) {
    for (const h of findSecrets(s.text)) {
      hits.push({
        kind: "code.secret",
        ...at(s),
        message: `${h.service} secret (${h.id}) committed in code: ${h.masked}`,
        key: `${h.id}:${h.hash}`,
        data: { service: h.service, pattern: h.id, masked: h.masked },
      });
    }
  }
  for (const a of [...nodesOf(file.root, "assignment"), ...nodesOf(file.root, "keyword_argument")]) {
    const isKw = a.type === "keyword_argument";
    const left = isKw ? a.childForFieldName("name") : a.childForFieldName("left");
    const right = isKw ? a.childForFieldName("value") : a.childForFieldName("right");
    const value = pyString(right);
    if (!left || value === undefined || findSecrets(value).length) continue;
    // os.environ["OPENAI_API_KEY"] = "..." and OPENAI_API_KEY = "..."
    const name = left.type === "subscript" ? (pyString(left.childForFieldName("subscript")) ?? "") : left.text;
    const h = namedSecret(name, value) ?? (/^api_key$/i.test(name) ? namedSecret("OPENAI_API_KEY", value.length >= 20 ? value : "") : undefined);
    if (h)
      hits.push({
        kind: "code.secret",
        ...at(right!),
        message: `literal value for ${name} committed in code: ${h.masked}`,
        key: `${name}:${h.hash}`,
        data: { service: name, pattern: h.id, masked: h.masked },
      });
  }
}
