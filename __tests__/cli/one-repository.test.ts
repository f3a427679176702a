// One repository, one truth: checking a system's folder gives its systems the same findings and
// control statuses as checking the whole repository; a leading `/` in a manifest is the
// repository's top level whichever folder is checked; documents about one system (a threat model)
// do not count for another.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Finding } from "../../src/findings/types.js";
import type { Report } from "../../src/report/types.js";
import { run } from "../../src/run.js";
import { packageRoot } from "../../src/util/package-root.js";
import { EXAMPLES, EXAMPLES_TODAY } from "../examples.helpers.js";
import { makeRepo } from "../first-hour/app.helpers.js";

const OTHER = {
  "services/other/ai-system.yaml":
    "apiVersion: aigate/v1\nname: other\nowner: {team: t, contact: t@example.com}\nprofile: {isGenAI: false, isLLM: false, trainsOrFinetunes: false}\n",
  "services/other/docs/threat-model.md": "# Threat model of the other system\n",
  "services/other/SECURITY.md": "Report vulnerabilities to security@example.com\n",
};

/** A system's findings in terms of its own folder: what a reader compares. */
function seen(r: Report, system: string, folder: string) {
  const strip = (s: string) => (folder ? s.split(`${folder}/`).join("") : s);
  const key = (f: Finding) => [f.ruleId, strip(f.path), f.line, f.column, f.severity, f.status, strip(f.message)].join(" | ");
  return {
    findings: r.findings
      .filter((f) => f.system === system)
      .map(key)
      .sort(),
    controls: r.systems.find((s) => s.name === system)!.controls.map((c) => `${c.id} ${c.status}`),
    verdict: r.systems.find((s) => s.name === system)!.summary.verdict,
  };
}

/** Every file of a folder, by relative path. */
function filesOf(dir: string, prefix: string): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    const rel = join(e.parentPath, e.name)
      .slice(dir.length + 1)
      .split("\\")
      .join("/");
    if (rel !== "expected-findings.txt") out[`${prefix}/${rel}`] = readFileSync(join(e.parentPath, e.name));
  }
  return out;
}

describe.each(EXAMPLES)("%s in a monorepo", (name) => {
  let repo: string;
  let whole: Report;
  beforeAll(async () => {
    repo = makeRepo({ ...OTHER, ...filesOf(join(packageRoot(), "examples", name), `services/${name}`) }, { git: true });
    whole = await run({ root: repo, today: EXAMPLES_TODAY });
  });

  test("checking its folder gives the same findings, control statuses and verdict as checking the repository", async () => {
    const sub = await run({ root: join(repo, "services", name), today: EXAMPLES_TODAY });
    const fromTop = seen(whole, name, `services/${name}`);
    expect(fromTop.findings.length).toBeGreaterThan(0);
    expect(seen(sub, name, "")).toEqual(fromTop);
  });

  test("the other system's threat model and SECURITY.md do not count for it", async () => {
    const alone = await run({ root: join(packageRoot(), "examples", name), today: EXAMPLES_TODAY });
    const rules = (r: Report, system: string) => r.findings.filter((f) => f.system === system).map((f) => f.ruleId);
    for (const rule of ["ai-threat-model-present", "security-policy-present", "incident-response-documented"]) {
      expect([rule, rules(whole, name).includes(rule)]).toEqual([rule, rules(alone, name).includes(rule)]);
    }
    expect(whole.findings.some((f) => f.system === "other" && f.ruleId === "ai-threat-model-present")).toBe(false);
  });
});

test("a leading / is the repository's top level, whichever folder is checked", async () => {
  const repo = makeRepo(
    {
      "docs/security/ai-policy.md": "# AI security policy\n\nOwned by the security team.\n",
      "docs/security/empty.md": "",
      "services/bot/ai-system.yaml": [
        "apiVersion: aigate/v1",
        "name: bot",
        "owner: {team: t, contact: t@example.com}",
        "profile: {isGenAI: true, isLLM: true, trainsOrFinetunes: false}",
        "controls:",
        "  SECPROGRAM: {status: implemented, evidence: [/docs/security/ai-policy.md]}",
        "  AIPROGRAM: {status: implemented, evidence: [/docs/security/empty.md]}",
        "  DEVSECURITY: {status: implemented, evidence: [/docs/security/missing.md]}",
        "",
      ].join("\n"),
    },
    { git: true },
  );
  for (const root of [repo, join(repo, "services", "bot")]) {
    const r = await run({ root, today: EXAMPLES_TODAY });
    const missing = r.findings.filter((f) => f.ruleId === "claimed-control-evidence-missing").map((f) => f.message.replace(/^.*cites /, ""));
    expect([root, missing.sort()]).toEqual([root, ["/docs/security/empty.md, which is empty", "/docs/security/missing.md, which does not exist"]]);
    expect(r.systems[0]!.controls.find((c) => c.id === "SECPROGRAM")).toMatchObject({ status: "verified" });
  }
});
