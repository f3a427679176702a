// Sinks: what a sink is in the data (policies/code/patterns.json) and how a finding names what it
// does with a value. Shared by both languages and the cross-file join.
import type { CallPattern } from "./patterns.js";

export interface FlowSink extends CallPattern {
  kind?: "shell" | "code" | "sql" | "html" | "http" | "file";
  args?: number[];
  kw?: string[];
  when?: { kwarg: string; equals: boolean };
  writeMode?: boolean;
}

/** How a place names what a sink does with a value: "runs X in a shell", "renders X as HTML". */
export function sinkPhrase(kind: string, x: string): string {
  switch (kind) {
    case "shell":
      return `runs ${x} as a command`;
    case "sql":
      return `puts ${x} into SQL`;
    case "html":
      return `renders ${x} as HTML`;
    case "http":
      return `requests a URL built from ${x}`;
    case "file":
      return `uses ${x} as a file path`;
    default:
      return `executes ${x}`;
  }
}
