// Secrets committed in the file: known key formats in any string literal, and literal values given
// to names that hold secrets (`apiKey: "..."`, `OPENAI_API_KEY = "..."`).
import { at } from "../places.js";
import { findSecrets, namedSecret } from "../secrets.js";
import { outermost, nodesOf } from "../tree-walk.js";
import type { JsFile } from "./context.js";
import { jsString } from "./names.js";

export function committedSecrets(file: JsFile): void {
  const out = file.out;
  for (const s of outermost(nodesOf(file.root, "string", "template_string"))) {
    for (const h of findSecrets(s.text))
      out.hits.push({
        kind: "code.secret",
        ...at(s),
        message: `${h.service} secret (${h.id}) committed in code: ${h.masked}`,
        key: `${h.id}:${h.hash}`,
        data: { service: h.service, pattern: h.id, masked: h.masked },
      });
  }
  for (const p of nodesOf(file.root, "pair", "variable_declarator", "assignment_expression")) {
    const k = p.childForFieldName(p.type === "pair" ? "key" : p.type === "variable_declarator" ? "name" : "left");
    const v = p.childForFieldName(p.type === "pair" ? "value" : p.type === "variable_declarator" ? "value" : "right");
    const value = jsString(v);
    if (!k || value === undefined || findSecrets(value).length) continue;
    const name = (k.type === "member_expression" ? k.childForFieldName("property")?.text : k.type === "string" ? jsString(k) : k.text) ?? "";
    const h = namedSecret(name, value) ?? (/^api_?key$/i.test(name) && value.length >= 20 ? namedSecret("OPENAI_API_KEY", value) : undefined);
    if (h)
      out.hits.push({
        kind: "code.secret",
        ...at(v!),
        message: `literal value for ${name} committed in code: ${h.masked}`,
        key: `${name}:${h.hash}`,
        data: { service: name, pattern: h.id, masked: h.masked },
      });
  }
}
