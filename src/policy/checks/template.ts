// Fills a rule's message template: {name} placeholders from the values a check found. Every value
// comes from the repository or a scanner, so it is redacted (URL credentials, token shapes) on the
// way in: a secret never reaches a finding's message through a template.
import { redactText } from "../../util/redact.js";

export function fill(template: string, values: Record<string, unknown>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values && values[key] !== undefined ? redactText(String(values[key])) : whole));
}
