// `aigate init` says what it knows: each inferred value with its source, each value it could not
// infer as an UNKNOWN question that `check` reports until it is answered.
import { mkdirSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parse } from "yaml";
import { initSystem, openQuestions, SCHEMA_URL } from "../../src/init.js";
import { loadTaxonomy } from "../../src/exchange/taxonomy.js";
import { parseManifest } from "../../src/manifest/load.js";
import { run } from "../../src/run.js";
import { packageRoot } from "../../src/util/package-root.js";
import { APP_FILES, makeRepo } from "../first-hour/app.helpers.js";

interface Manifest {
  owner: { team: string; contact: string };
  profile: Record<string, boolean>;
  models: { name: string; path?: string; format?: string; sha256?: string; provider?: string; id?: string }[];
  datasets: { name: string; use: string[]; paths: string[]; sensitivity: string; personalData: string }[];
  tools: { name: string; path?: string; privileges: string[]; humanApproval: string }[];
}

describe("init on a small LLM app", () => {
  let root: string;
  let text: string;
  let m: Manifest;
  let questions: number;
  beforeAll(async () => {
    root = makeRepo(APP_FILES, { git: true });
    const r = await initSystem(root);
    text = r.text;
    questions = r.questions;
    m = parse(text) as Manifest;
  });

  test("the manifest is valid as written", () => {
    expect(parseManifest("ai-system.yaml", text, loadTaxonomy()).diagnostics).toEqual([]);
  });

  test("owner from CODEOWNERS, with the line it came from", () => {
    expect(m.owner).toEqual({ team: "acme/ml-platform", contact: "@acme/ml-platform" });
    expect(text).toMatch(/team: acme\/ml-platform # inferred: \.github\/CODEOWNERS:2/);
  });

  test("models: a local pickle with the sha256 the scan computed, and literal hosted model names", () => {
    const pkl = m.models.find((x) => x.path === "models/router.pkl")!;
    expect(pkl).toMatchObject({ name: "router", format: "pickle", sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(text).toMatch(/sha256: "?[0-9a-f]{64}"? # computed by aigate from the file/);
    expect(m.models.filter((x) => x.provider).map((x) => [x.provider, x.id])).toEqual([
      ["openai", "gpt-4o-mini"],
      ["openai", "gpt-4o"],
    ]);
    expect(text).toMatch(/name: gpt-4o-mini # inferred: agent\/main\.py:11 names the model \(openai\)/);
  });

  test("tools from Python and TypeScript; execute for a subprocess in the implementing file; no approval claimed", () => {
    const tool = (n: string) => m.tools.find((t) => t.name === n)!;
    expect(tool("run_command")).toEqual({
      name: "run_command",
      kind: "function",
      path: "agent/tools/shell.py",
      privileges: ["execute"],
      humanApproval: "never",
    });
    expect(text).toMatch(/privileges: \[execute\] # inferred from the code: subprocess\.run\(\) at agent\/tools\/shell\.py:4/);
    expect(text).toMatch(/humanApproval: never # UNKNOWN: no approval step found in agent\/tools\/shell\.py — answer never\|on-write\|always/);
    expect(tool("send_alert")).toMatchObject({ path: "agent/tools/notify.ts", humanApproval: "never" });
  });

  test("datasets from the data scanner: a specific glob, and the personal data it found (never none)", () => {
    expect(m.datasets).toEqual([{ name: "data", use: ["training"], paths: ["data/*.csv"], sensitivity: "confidential", personalData: "identifiable" }]);
    expect(text).toMatch(/personalData: identifiable # inferred: the data scanner found e-mail addresses \(column "customer_email" of data\/tickets\.csv\)/);
    expect(text).not.toMatch(/\*\*/);
  });

  test("a sub-folder with its own manifest is left out", () => {
    expect(m.models.some((x) => x.id === "o3-mini")).toBe(false);
    expect(text).toMatch(/Left out: folders with their own manifest[^\n]*\n# - services\/ranker/);
  });

  test("the schema reference: a relative path to the package's schema inside the repository, else the fetchable URL", async () => {
    expect(text.split("\n")[0]).toBe(`# yaml-language-server: $schema=${SCHEMA_URL}`);
    // Inside aigate's own repository (as with node_modules/aigate), a relative path works offline.
    const inside = join(packageRoot(), "examples", "support-assistant");
    const r = await initSystem(inside);
    expect(r.text.split("\n")[0]).toBe(
      `# yaml-language-server: $schema=${relative(inside, join(packageRoot(), "schemas", "ai-system.schema.json"))
        .split("\\")
        .join("/")}`,
    );
  });

  test("check on the unedited output reports every question, at its line", async () => {
    writeFileSync(join(root, "ai-system.yaml"), text);
    const report = await run({ root, today: "2026-11-27" });
    const asked = report.findings.filter((f) => f.ruleId === "manifest-open-question" && f.system === "app");
    expect(asked).toHaveLength(questions);
    expect(questions).toBeGreaterThanOrEqual(9);
    const lines = text.split("\n");
    for (const f of asked) expect(lines[f.line - 1]!.slice(f.column - 1)).toMatch(/^UNKNOWN:/);
    expect(asked.every((f) => f.severity === "error" && f.status === "open")).toBe(true);
    expect(report.summary.passed).toBe(false);
  });
});

describe("openQuestions", () => {
  const system = (text: string) => {
    const loaded = parseManifest("svc/ai-system.yaml", text, loadTaxonomy());
    expect(loaded.diagnostics).toEqual([]);
    return loaded.system!;
  };

  test("a question is a comment with the marker; quoted text and answered lines are not", () => {
    const s = system(
      [
        "apiVersion: aigate/v1",
        "name: svc",
        'description: "UNKNOWN: in a string # UNKNOWN: still the string"',
        "owner: {team: t, contact: t@example.com}",
        "profile:",
        "  # untrustedInput: # UNKNOWN: can outsiders write to the model? — answer true|false",
        "  isLLM: true # was unknown, answered",
        "tools:",
        "  - name: x",
        "    privileges: [read]",
        "    humanApproval: never # UNKNOWN: no approval step found in x.py — answer never|on-write|always",
        "",
      ].join("\n"),
    );
    const q = openQuestions(s);
    expect(q.map((d) => [d.location.line, d.location.column, d.message])).toEqual([
      [6, 23, "open question on untrustedInput: can outsiders write to the model? — answer true|false"],
      [11, 28, "open question on humanApproval: no approval step found in x.py — answer never|on-write|always"],
    ]);
    expect(q.every((d) => d.id === "manifest-open-question" && d.system === "svc" && d.location.path === "svc/ai-system.yaml")).toBe(true);
  });

  test("none in a manifest without the marker", () => {
    expect(openQuestions(system("apiVersion: aigate/v1\nname: svc\nowner: {team: t, contact: t@example.com}\nprofile: {}\n"))).toEqual([]);
  });
});

test("an empty folder gives a valid manifest whose owner and facts are all questions", async () => {
  const root = makeRepo({ "README.md": "nothing yet\n" });
  mkdirSync(join(root, "empty"));
  const r = await initSystem(root);
  expect(parseManifest("ai-system.yaml", r.text, loadTaxonomy()).diagnostics).toEqual([]);
  expect(r.inferred).toEqual({ facts: 0, models: 0, tools: 0, datasets: 0, owner: false });
  expect(r.text).toMatch(/team: unknown # UNKNOWN: no CODEOWNERS rule covers this folder/);
  expect(r.questions).toBe(2 + loadTaxonomy().profileFacts.filter((f) => f.core).length);
});
