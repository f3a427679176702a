// Rebuilds policies/crosswalk/generated.json from fetched snapshots of the public sources:
//
//   npx tsx scripts/build-crosswalk.ts --exchange <git dir> --atlas <git dir> --llm <git dir> --cosai <git dir> [--out <file>]
//
// Each argument is a clone (or bare git directory) of, in order, OWASP/www-project-ai-security-and-privacy-guide,
// mitre-atlas/atlas-data, OWASP/www-project-top-10-for-large-language-model-applications and
// cosai-oasis/secure-ai-tooling; files are read at HEAD with `git show` and the commit is recorded
// in every entry. The Exchange snapshot should be at the taxonomy's source.commit. No network.
// Citations that do not resolve are listed on standard error for review.
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { buildCrosswalk, type SourceFile } from "../src/crosswalk/build.js";
import { loadTaxonomy } from "../src/exchange/taxonomy.js";
import { packageRoot } from "../src/util/package-root.js";

const { values } = parseArgs({
  options: { exchange: { type: "string" }, atlas: { type: "string" }, llm: { type: "string" }, cosai: { type: "string" }, out: { type: "string" } },
});
for (const k of ["exchange", "atlas", "llm", "cosai"] as const) {
  if (!values[k]) {
    console.error(`usage: build-crosswalk --exchange <dir> --atlas <dir> --llm <dir> --cosai <dir> [--out <file>] (missing --${k})`);
    process.exit(2);
  }
}

const git = (dir: string, ...args: string[]) => execFileSync("git", ["-C", dir, ...args], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });

function snapshot(dir: string, repository: string) {
  const commit = git(dir, "rev-parse", "HEAD").trim();
  const list = (under: string) => git(dir, "ls-tree", "-r", "--name-only", "-z", "HEAD", "--", under).split("\0").filter(Boolean);
  const read = (path: string): SourceFile => ({ repository, commit, path, text: git(dir, "show", `HEAD:${path}`) });
  return { commit, list, read };
}

const t = loadTaxonomy();
const ex = snapshot(values.exchange!, "https://github.com/OWASP/www-project-ai-security-and-privacy-guide");
if (ex.commit !== t.source.commit) console.error(`warning: the Exchange snapshot is at ${ex.commit}, the taxonomy at ${t.source.commit}`);
const pages = ["1_general_controls.md", "2_threats_through_use.md", "3_development_time_threats.md", "4_runtime_application_security_threats.md"].map((p) =>
  ex.read(`content/ai_exchange/content/docs/${p}`),
);
const atlas = snapshot(values.atlas!, "https://github.com/mitre-atlas/atlas-data");
const llm = snapshot(values.llm!, "https://github.com/OWASP/www-project-top-10-for-large-language-model-applications");
const cosai = snapshot(values.cosai!, "https://github.com/cosai-oasis/secure-ai-tooling");

const result = buildCrosswalk({
  exchange: pages,
  atlas: atlas.read("dist/ATLAS.yaml"),
  llmTop10: llm
    .list("2_0_vulns/")
    .filter((p) => /^2_0_vulns\/LLM(0[1-9]|10)_[^/]+\.md$/.test(p))
    .map(llm.read),
  agentic: llm
    .list("initiatives/agent_security_initiative/agentic-top-10/0.5-initial-candidates/")
    .filter((p) => /\/ASI(0[1-9]|1[0-5])_[^/]+\.md$/.test(p))
    .map(llm.read),
  cosai: { risks: cosai.read("risk-map/yaml/risks.yaml"), controls: cosai.read("risk-map/yaml/controls.yaml") },
  ids: { controls: t.controls, threats: t.threats },
});
const out = values.out ?? join(packageRoot(), "policies", "crosswalk", "generated.json");
writeFileSync(out, JSON.stringify(result.file, null, 1) + "\n");
console.log(`wrote ${out}: ${result.file.standards.map((s) => `${s.id} ${s.items.length} items`).join(", ")}; ${result.file.mappings.length} mappings`);
for (const s of result.skipped) console.error(`skipped: ${s}`);
