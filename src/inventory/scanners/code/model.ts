// What one file's analysis produces, before locations are mapped to the file (notebook cells) and
// suppressions are applied. Rows and columns are 0-based, as tree-sitter gives them.
import type { KindOf } from "../../observation-kinds.js";
import type { FlowSummary } from "./summary.js";
import { append } from "../../../util/append.js";

export interface Hit {
  kind: KindOf<"code.">;
  row: number;
  column: number;
  message: string;
  key: string;
  data?: Record<string, unknown>;
}

export interface ToolFound {
  name: string;
  framework: string;
  privileges: string[];
  writes: boolean;
  row: number;
  column: number;
  /** What showed the write (a call), for the message. */
  writeEvidence?: string;
}

export interface EvidenceFound {
  fact: "isLLM" | "isGenAI" | "trainsOrFinetunes" | "usesRAG" | "hasAgency" | "modelHostedExternally";
  row: number;
  column: number;
  what: string;
  /** The call sits in a function that only evaluates the system (a judge, a grader). */
  evaluation?: boolean;
}

export interface FileAnalysis {
  hits: Hit[];
  tools: ToolFound[];
  evidence: EvidenceFound[];
  comments: { text: string; row: number; column: number; standalone: boolean }[];
  /** Model ids given to from_pretrained / pipeline / hf_hub_download (for `aigate init`). */
  models: { id: string; revision?: string; row: number }[];
  /** What other files need to know of this file's data flow (cross-file.ts). */
  summary?: FlowSummary;
}

export const emptyAnalysis = (): FileAnalysis => ({ hits: [], tools: [], evidence: [], comments: [], models: [] });

/**
 * One hit per problem and file: hits of `kind` with the same key (the same model downloaded in
 * three branches of an if) become the first, which lists where the others are.
 */
export function foldRepeatedHits(hits: Hit[], kind: Hit["kind"]): void {
  const first = new Map<string, { hit: Hit; rows: number[] }>();
  const keep: Hit[] = [];
  for (const h of hits) {
    if (h.kind !== kind) {
      keep.push(h);
      continue;
    }
    // The same key and the same details (a download at revision "main" is another problem than one without).
    const k = `${h.key}|${JSON.stringify(h.data ?? {})}`;
    const seen = first.get(k);
    if (seen) seen.rows.push(h.row);
    else {
      first.set(k, { hit: h, rows: [] });
      keep.push(h);
    }
  }
  for (const { hit, rows } of first.values()) {
    hit.data = {
      ...(hit.data ?? {}),
      also: rows.length
        ? ` (the same download also at ${rows
            .slice(0, 10)
            .map((r) => `{at:${r}}`)
            .join(", ")}${rows.length > 10 ? ` and ${rows.length - 10} more` : ""})`
        : "",
    };
  }
  for (const { hit, rows } of first.values())
    if (rows.length)
      hit.message += ` (the same download also at ${rows
        .slice(0, 10)
        .map((r) => `{at:${r}}`)
        .join(", ")}${rows.length > 10 ? ` and ${rows.length - 10} more` : ""})`;
  hits.length = 0;
  append(hits, keep);
}
