// Fills a rule's message template: {name} placeholders from the values a check found.
export function fill(template: string, values: Record<string, unknown>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values && values[key] !== undefined ? String(values[key]) : whole));
}
