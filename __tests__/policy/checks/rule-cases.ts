// Valid and invalid cases of a rule, each a small repository run through run() with the whole
// built-in pack: a valid case has no finding of the rule, an invalid one exactly the stated ones
// (place, severity when given, and a message substring or pattern), in the report's order.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { Severity } from "../../../src/findings/types.js";
import type { Report } from "../../../src/report/types.js";
import { run } from "../../../src/run.js";

export interface Case {
  name?: string;
  files: Record<string, string | Uint8Array>;
  /** Policy packs (YAML) passed with --policy, in order. */
  packs?: string[];
  /** Accepted for compatibility with rule-isolating testers; the whole pack always runs here. */
  alsoRun?: readonly string[];
}
export interface Expected {
  path: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  severity?: Severity;
  message: string | RegExp;
}

const cache = new Map<string, Promise<Report>>();

export function runCase(c: Case, today = "2026-11-27"): Promise<Report> {
  const key = JSON.stringify([today, c.packs ?? [], Object.entries(c.files).map(([p, v]) => [p, typeof v === "string" ? v : Buffer.from(v).toString("base64")])]);
  let r = cache.get(key);
  if (!r) {
    r = (async () => {
      const root = mkdtempSync(join(tmpdir(), "aigate-case-"));
      const packs = mkdtempSync(join(tmpdir(), "aigate-case-packs-"));
      try {
        for (const [p, v] of Object.entries(c.files)) {
          mkdirSync(dirname(join(root, p)), { recursive: true });
          writeFileSync(join(root, p), v);
        }
        const policyFiles = (c.packs ?? []).map((text, i) => {
          const f = join(packs, `pack-${i}.yaml`);
          writeFileSync(f, text);
          return f;
        });
        return await run({ root, today, policyFiles, cwd: packs });
      } finally {
        rmSync(root, { recursive: true, force: true });
        rmSync(packs, { recursive: true, force: true });
      }
    })();
    cache.set(key, r);
  }
  return r;
}

export function ruleCases(ruleId: string, cases: { valid: Case[]; invalid: (Case & { findings: Expected[] })[] }): void {
  describe(ruleId, () => {
    cases.valid.forEach((c, i) =>
      test(`valid: ${c.name ?? `#${i + 1}`}`, async () => {
        const r = await runCase(c);
        expect(r.findings.filter((f) => f.ruleId === "manifest-schema" || f.ruleId === "manifest-yaml")).toEqual([]);
        expect(r.findings.filter((f) => f.ruleId === ruleId).map((f) => `${f.path}:${f.line}:${f.column} ${f.message}`)).toEqual([]);
      }, 60_000),
    );
    cases.invalid.forEach((c, i) =>
      test(`invalid: ${c.name ?? `#${i + 1}`}`, async () => {
        const r = await runCase(c);
        const got = r.findings.filter((f) => f.ruleId === ruleId);
        expect(got.map((f) => `${f.path}:${f.line}:${f.column}`)).toEqual(c.findings.map((e) => `${e.path}:${e.line}:${e.column}`));
        got.forEach((f, j) => {
          const e = c.findings[j]!;
          if (e.endLine !== undefined) expect([f.endLine, f.endColumn]).toEqual([e.endLine, e.endColumn]);
          if (e.severity) expect(f.severity).toBe(e.severity);
          if (typeof e.message === "string") expect(f.message).toContain(e.message);
          else expect(f.message).toMatch(e.message);
        });
      }, 60_000),
    );
  });
}
