// The organisation fan-out and posture: listing an organisation behind the loopback API (checked
// against GitHub's OpenAPI description), sharding within GitHub's matrix limit, checking each
// repository with the central configuration and its pinned pack, and merging the reports into a
// posture whose numbers are checked against the individual reports.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { mergeReports } from "../../src/org/merge.js";
import { STATUS_CODE, type Posture } from "../../src/org/posture.js";
import { MATRIX_LIMIT, shardRepos } from "../../src/org/shard.js";
import { renderPostureMarkdown } from "../../src/org/markdown.js";
import type { Report } from "../../src/report/types.js";
import { packageRoot } from "../../src/util/package-root.js";
import { FakeGitHub, type OrgRepoFixture } from "../github/helpers/fake-github.js";
import { OpenApi } from "../github/helpers/openapi.js";
import { aigate, exampleRepo, writeFiles } from "../config/helpers.js";
import { BASE_PACK, PACK_SHA, SHARED_PACK } from "../packs/helpers.js";
import { syntheticReport, templateReports } from "./synthetic.js";

const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (a: Ajv2020) => void;
const TODAY = "2026-11-27";
const PACK_REF = `github:acme/ai-policy/packs/base.yaml@${PACK_SHA}`;

let api: OpenApi;
let templates: Report[];
beforeAll(async () => {
  api = new OpenApi();
  templates = await templateReports(TODAY);
});

describe("org shard: the matrix of a workflow run", () => {
  const repos = (n: number, size = () => 100) =>
    Array.from({ length: n }, (_, i) => ({
      repository: `acme/r-${String(i).padStart(4, "0")}`,
      size: size(),
      defaultBranch: "main",
      visibility: "private",
      language: null,
      topics: [],
      archived: false,
      fork: false,
      pushedAt: null,
    }));

  test("as many jobs as repos-per-job asks for, never more than 256, every repository once", () => {
    const plan = shardRepos(repos(95), { reposPerJob: 10 });
    expect(plan.include).toHaveLength(10);
    const all = plan.include.flatMap((s) => s.repos.split(" "));
    expect(new Set(all).size).toBe(95);
    expect(all.sort()).toEqual(repos(95).map((r) => r.repository));
    expect(plan.include.map((s) => s.shard)).toEqual([...Array(10).keys()]);
    expect(shardRepos(repos(5000), { reposPerJob: 20 }).include).toHaveLength(250);
    expect(() => shardRepos(repos(6000), { reposPerJob: 20 })).toThrow(
      "6000 repositories need 300 jobs of 20, more than the 256 a matrix may have: raise repos-per-job to 24, or split the list into 2 waves (one workflow run per wave)",
    );
    expect(() => shardRepos(repos(1), { maxJobs: MATRIX_LIMIT + 1 })).toThrow(/max-jobs must be 1 to 256/);
  });

  test("balanced by size: a large repository gets a job of its own", () => {
    let i = 0;
    const plan = shardRepos(
      repos(21, () => (i++ === 0 ? 500_000 : 100)),
      { reposPerJob: 7 },
    );
    expect(plan.include).toHaveLength(3);
    const big = plan.include.find((s) => s.repos.includes("acme/r-0000"))!;
    expect(big.count).toBe(1);
    expect(plan.include.map((s) => s.count).sort()).toEqual([1, 10, 10]);
  });

  test("waves split the list into disjoint parts, one workflow run each", () => {
    const list = repos(700);
    const waves = [0, 1, 2].map((wave) => shardRepos(list, { wave, waves: 3, reposPerJob: 1 }));
    const seen = waves.flatMap((w) => w.include.flatMap((s) => s.repos.split(" ")));
    expect(seen.length).toBe(700);
    expect(new Set(seen).size).toBe(700);
    expect(waves.every((w) => w.include.length <= 256)).toBe(true);
  });

  test("only owner/name reaches the matrix (it becomes paths and command lines)", () => {
    expect(() => shardRepos(["acme/ok", "acme/$(curl evil)"])).toThrow(/is not an owner\/name repository/);
    expect(() => shardRepos(["acme/../x"])).toThrow(/is not an owner\/name repository/);
    expect(() => shardRepos(["acme/.."])).toThrow(/is not an owner\/name repository/);
    expect(() => shardRepos(["acme/.github"])).not.toThrow();
    expect(shardRepos(["acme/A", "acme/a", "acme/b"]).total).toBe(2);
  });

  test("--github-output writes the matrix, the count and the jobs for the next job", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aigate-shard-"));
    writeFileSync(join(dir, "repos.txt"), "acme/a\nacme/b\n# a comment\nacme/c\n");
    writeFileSync(join(dir, "out"), "");
    const r = await aigate(["org", "shard", "--repos", "repos.txt", "--repos-per-job", "2", "--github-output"], dir, { GITHUB_OUTPUT: join(dir, "out") });
    expect(r.code).toBe(0);
    const matrix = JSON.parse(r.stdout);
    expect(matrix.include).toHaveLength(2);
    const out = readFileSync(join(dir, "out"), "utf8");
    expect(out).toContain(`matrix=${JSON.stringify(matrix)}\n`);
    expect(out).toContain("count=3\njobs=2\n");
  });
});

describe("org list against the loopback API", () => {
  let gh: FakeGitHub;
  beforeEach(async () => {
    gh = new FakeGitHub(api);
  });
  afterEach(async () => {
    expect(gh.violations).toEqual([]);
    await gh.stop();
  });

  test("pages through the organisation and filters by topic, language, visibility, archived, forks and name", async () => {
    const url = await gh.start();
    const fixtures: OrgRepoFixture[] = Array.from({ length: 230 }, (_, i) => ({
      name: `svc-${String(i).padStart(3, "0")}`,
      topics: i % 2 ? ["ai"] : ["web"],
      language: i % 3 ? "Python" : "Go",
      visibility: i % 5 ? "private" : "public",
      archived: i % 7 === 0,
      fork: i % 11 === 0,
      size: i,
    }));
    fixtures.push({ name: "sandbox-ml", topics: ["ai"], language: "Python", visibility: "private" });
    gh.state.orgRepos = { acme: fixtures };
    const dir = mkdtempSync(join(tmpdir(), "aigate-list-"));
    const r = await aigate(
      ["org", "list", "--org", "acme", "--topic", "ai", "--language", "python", "--visibility", "private", "--exclude", "sandbox-*", "--output", "repos.json"],
      dir,
      { GITHUB_API_URL: url, GITHUB_TOKEN: "ghs_org" },
    );
    expect(r.code).toBe(0);
    const listed = JSON.parse(readFileSync(join(dir, "repos.json"), "utf8"));
    const expected = fixtures
      .filter((f, i) => i < 230 && i % 2 === 1 && i % 3 !== 0 && i % 5 !== 0 && i % 7 !== 0 && i % 11 !== 0)
      .map((f) => `acme/${f.name}`);
    expect(listed.repositories.map((x: { repository: string }) => x.repository)).toEqual(expected);
    expect(listed.listed).toBe(231);
    expect(listed.repositories[0]).toMatchObject({
      visibility: "private",
      language: "Python",
      topics: ["ai"],
      archived: false,
      fork: false,
      defaultBranch: "main",
    });
    expect(gh.requests.filter((q) => q.operationId === "repos/list-for-org")).toHaveLength(3);
    expect(r.stderr).toContain(`aigate: ${expected.length} of 231 repositories of acme kept`);
  });

  test("without a token, or for an unknown organisation: a configuration error", async () => {
    const url = await gh.start();
    gh.state.orgRepos = {};
    const dir = mkdtempSync(join(tmpdir(), "aigate-list-"));
    expect((await aigate(["org", "list", "--org", "acme"], dir, { GITHUB_API_URL: url, GITHUB_TOKEN: "" })).stderr).toMatch(/needs a token/);
    const unknown = await aigate(["org", "list", "--org", "nope"], dir, { GITHUB_API_URL: url, GITHUB_TOKEN: "ghs_org" });
    expect([unknown.code, unknown.stderr]).toEqual([2, expect.stringContaining("cannot list the repositories of nope: HTTP 404")]);
    gh.violations.length = 0;
  });
});

describe("aigate merge", () => {
  const write = (dir: string, name: string, value: unknown) => {
    mkdirSync(join(dir, ...name.split("/").slice(0, -1)), { recursive: true });
    writeFileSync(join(dir, name), typeof value === "string" ? value : JSON.stringify(value));
  };

  test("reports are validated, systems deduplicated by repository and name (the newest wins)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aigate-merge-"));
    const a = syntheticReport(templates, 0);
    const older = structuredClone(a);
    older.generatedAt = "2020-01-01T00:00:00.000Z";
    older.systems[0]!.summary.errors = 99;
    write(dir, "reports/a.json", a);
    write(dir, "reports/old/a.json", older);
    write(dir, "reports/b.json", syntheticReport(templates, 1));
    write(dir, "reports/broken.json", "{ not json");
    write(dir, "reports/foreign.json", { hello: "world" });
    const posture = await mergeReports(
      [
        join(dir, "reports/a.json"),
        join(dir, "reports/old/a.json"),
        join(dir, "reports/b.json"),
        join(dir, "reports/broken.json"),
        join(dir, "reports/foreign.json"),
      ],
      { cwd: dir, today: TODAY },
    );
    expect(posture.inputs).toMatchObject({ files: 5, reports: 3, duplicates: 1 });
    expect(posture.inputs.invalid.map((x) => x.file)).toEqual(["reports/broken.json", "reports/foreign.json"]);
    expect(posture.inputs.invalid[1]!.problem).toMatch(/is not an aigate report \(schemas\/report\.schema\.json: \/ must have required property/);
    expect(posture.systems).toHaveLength(2);
    expect(posture.systems.find((s) => s.repository === a.repository!.name)!.open.error).toBe(a.systems[0]!.summary.errors);
  });

  test("the CLI takes folders and quoted globs, writes the three files, and compares with a previous posture", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aigate-merge-"));
    for (let i = 0; i < 12; i++) write(dir, `reports/w${i % 2}/r${i}.json`, syntheticReport(templates, i));
    const first = await aigate(["merge", "reports/w0", "--output", "p1", "--today", TODAY], dir);
    expect(first.code).toBe(0);
    expect(readdirSync(join(dir, "p1")).sort()).toEqual(["posture.html", "posture.json", "posture.md"]);
    const second = await aigate(["merge", "reports/**/*.json", "--output", "p2", "--today", TODAY, "--previous", "p1/posture.json"], dir);
    expect(second.code).toBe(0);
    const p2 = JSON.parse(readFileSync(join(dir, "p2/posture.json"), "utf8")) as Posture;
    expect(p2.change!.added).toHaveLength(p2.systems.length - JSON.parse(readFileSync(join(dir, "p1/posture.json"), "utf8")).systems.length);
    expect(p2.change!.removed).toEqual([]);
    expect(p2.systems.filter((s) => s.change?.kind === "new")).toHaveLength(p2.change!.added.length);
    expect(readFileSync(join(dir, "p2/posture.md"), "utf8")).toContain("### Change since the previous posture");
    expect((await aigate(["merge", "nothing/*.json", "--output", "p3"], dir)).code).toBe(2);
  });

  test("Markdown escapes what reports say and stays within the job summary's limit", async () => {
    const r = syntheticReport(templates, 3);
    r.repository = { name: "acme/<img src=x onerror=alert(1)>", commit: null };
    r.systems[0]!.name = "@everyone `| [x](javascript:alert(1))";
    for (const f of r.findings) f.system = r.systems[0]!.name;
    const dir = mkdtempSync(join(tmpdir(), "aigate-merge-"));
    write(dir, "r.json", r);
    const md = renderPostureMarkdown(await mergeReports([join(dir, "r.json")], { cwd: dir, today: TODAY }));
    expect(md).not.toContain("<img");
    expect(md).not.toMatch(/\]\(javascript:/);
    expect(md).not.toMatch(/(^|[^`])@everyone/);
  });
});

describe("the fan-out, end to end: an organisation behind the loopback API", () => {
  test("list, shard, fetch the pinned pack once, check every repository offline, merge: the posture adds up to the reports", async () => {
    const gh = new FakeGitHub(api);
    const url = await gh.start();
    try {
      const names = Array.from({ length: 10 }, (_, i) => `app-${i}`);
      gh.state.orgRepos = {
        acme: [
          ...names.map((name, i) => ({ name, topics: ["ai"], language: "Python", size: 1000 * (i + 1) })),
          { name: "website", topics: ["web"] },
          { name: "old-model", topics: ["ai"], archived: true },
        ],
      };
      gh.state.repos = { "acme/ai-policy": { commits: { [PACK_SHA]: { "packs/base.yaml": BASE_PACK, "packs/shared/overrides.yaml": SHARED_PACK } } } };
      const central = mkdtempSync(join(tmpdir(), "aigate-central-"));
      writeFiles(central, { "aigate.yml": `apiVersion: aigate/v1\npacks: ["${PACK_REF}"]\nfailOn: error\n` });
      const cache = join(mkdtempSync(join(tmpdir(), "aigate-packcache-")), "packs");
      const env = { GITHUB_API_URL: url, GITHUB_TOKEN: "ghs_org", AIGATE_PACK_TOKEN: "ghs_packs", AIGATE_PACK_CACHE: cache };

      // plan
      const list = await aigate(["org", "list", "--org", "acme", "--topic", "ai", "--output", join(central, "repos.json")], central, env);
      expect(list.code).toBe(0);
      const shard = await aigate(["org", "shard", "--repos", "repos.json", "--repos-per-job", "3"], central, env);
      const matrix = JSON.parse(shard.stdout) as { include: { shard: number; repos: string }[] };
      expect(matrix.include).toHaveLength(4);
      expect((await aigate(["packs", "fetch", "--config", "aigate.yml"], central, env)).code).toBe(0);
      const fetched = gh.requests.length;

      // scan: one folder per repository stands in for its read-only clone
      const reports = join(central, "reports");
      for (const job of matrix.include) {
        for (const repo of job.repos.split(" ")) {
          const i = Number(repo.split("-")[1]);
          const checkout = exampleRepo(["support-assistant", "claims-triage", "ops-agent"][i % 3]!);
          const r = await aigate(
            [
              "check",
              checkout,
              "--config",
              join(central, "aigate.yml"),
              "--repository",
              repo,
              "--today",
              TODAY,
              "--format",
              "json",
              "--output",
              join(reports, `${repo.replace("/", "__")}.json`),
            ],
            checkout,
            { AIGATE_PACK_CACHE: cache, AIGATE_OFFLINE: "1" },
          );
          expect([repo, r.code < 2]).toEqual([repo, true]);
        }
      }
      expect(gh.requests.length).toBe(fetched);

      // merge
      const m = await aigate(["merge", "reports", "--output", "posture", "--today", TODAY], central);
      expect(m.code).toBe(0);
      const posture = JSON.parse(readFileSync(join(central, "posture/posture.json"), "utf8")) as Posture;
      const each = readdirSync(reports).map((f) => JSON.parse(readFileSync(join(reports, f), "utf8")) as Report);
      expect(each).toHaveLength(10);
      const validate = (() => {
        const v = new Ajv2020({ allErrors: true });
        addFormats(v);
        return v.compile(JSON.parse(readFileSync(join(packageRoot(), "schemas", "report.schema.json"), "utf8")));
      })();
      for (const r of each) {
        expect(validate(r) ? [] : validate.errors).toEqual([]);
        expect(r.policy.sources).toEqual([expect.objectContaining({ ref: PACK_REF, pinned: true, resolved: PACK_SHA })]);
      }
      const systems = each.flatMap((r) => r.systems.map((s) => ({ r, s })));
      expect(posture.totals).toMatchObject({
        repositories: 10,
        systems: systems.length,
        passed: systems.filter(({ s }) => s.summary.verdict === "passed").length,
        failed: systems.filter(({ s }) => s.summary.verdict === "failed").length,
        open: {
          error: systems.reduce((a, { s }) => a + s.summary.errors, 0),
          warning: systems.reduce((a, { s }) => a + s.summary.warnings, 0),
          note: systems.reduce((a, { s }) => a + s.summary.notes, 0),
        },
        accepted: systems.reduce((a, { s }) => a + s.summary.accepted, 0),
      });
      for (const { r, s } of systems) {
        const p = posture.systems.find((x) => x.repository === r.repository!.name && x.name === s.name)!;
        expect(p.verdict).toBe(s.summary.verdict);
        const statuses = Object.fromEntries(s.controls.map((c) => [c.id, STATUS_CODE[c.status]]));
        posture.controls.forEach((c, i) => expect([p.key, c.id, p.controls[i]]).toEqual([p.key, c.id, statuses[c.id] ?? " "]));
        expect(p.threats.map((t) => posture.threats[t]!.id).sort()).toEqual(
          s.threats
            .filter((t) => t.applies)
            .map((t) => t.id)
            .sort(),
        );
      }
      const guard = posture.rules.find((x) => x.id === "acme-guardrail-required")!;
      expect(guard.systems).toBe(each.filter((r) => r.findings.some((f) => f.ruleId === "acme-guardrail-required" && f.status === "open")).length);
      expect(posture.acceptances).toHaveLength(systems.reduce((a, { s }) => a + (s.acceptances?.length ?? 0), 0));
      expect(posture.acceptances.map((a) => a.expires)).toEqual([...posture.acceptances.map((a) => a.expires)].sort());
      expect(readFileSync(join(central, "posture/posture.html"), "utf8")).toContain("acme/app-9");
      expect(gh.violations).toEqual([]);
    } finally {
      await gh.stop();
    }
  }, 120000);
});
