// What one file's analysis produces, before locations are mapped to the file (notebook cells) and
// suppressions are applied. Rows and columns are 0-based, as tree-sitter gives them.
import type { KindOf } from "../../observation-kinds.js";

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
}

export const emptyAnalysis = (): FileAnalysis => ({ hits: [], tools: [], evidence: [], comments: [], models: [] });
