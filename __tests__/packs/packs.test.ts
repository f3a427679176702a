// Packs from pinned sources: a GitHub repository at a commit (through the loopback API, checked
// against GitHub's OpenAPI description) and an npm package at a version with its integrity (a
// local npm-like registry): fetched, verified, cached outside the repository, usable offline from
// the cache, refused when they move, and confined to their own source.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parsePackRef } from "../../src/packs/ref.js";
import { readTarball } from "../../src/packs/tarball.js";
import { FakeGitHub } from "../github/helpers/fake-github.js";
import { OpenApi } from "../github/helpers/openapi.js";
import { aigate, exampleRepo } from "../config/helpers.js";
import { BASE_PACK, ESCAPING_PACK, FakeRegistry, integrityOf, OTHER_SHA, PACK_SHA, SHARED_PACK, tarball } from "./helpers.js";

const REF = `github:acme/ai-policy/packs/base.yaml@${PACK_SHA}`;

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}
const TODAY = ["--today", "2026-11-27"];

describe("pack references", () => {
  test("github: pinned by a full commit SHA; a branch, tag or short SHA moves", () => {
    expect(parsePackRef(REF)).toMatchObject({ kind: "github", owner: "acme", repo: "ai-policy", path: "packs/base.yaml", ref: PACK_SHA, pinned: true });
    expect(parsePackRef("github:acme/ai-policy/packs/base.yaml@main")).toMatchObject({ pinned: false, why: "a branch or tag, not a commit SHA" });
    expect(parsePackRef("github:acme/ai-policy/base.yaml@1234abc")).toMatchObject({ pinned: false, why: "an abbreviated commit SHA" });
    expect(() => parsePackRef("github:acme/ai-policy@" + PACK_SHA)).toThrow(/github:<owner>\/<repo>\/<path to the pack>@<commit SHA>/);
    expect(() => parsePackRef(`github:acme/ai-policy/../x.yaml@${PACK_SHA}`)).toThrow(/plain relative path/);
    expect(() => parsePackRef(`github:-acme/ai-policy/x.yaml@${PACK_SHA}`)).toThrow(/not a GitHub owner name/);
  });

  test("npm: pinned by an exact version and a sha512 integrity; a range, a tag or no hash moves", () => {
    const integrity = integrityOf(Buffer.from("x"));
    expect(parsePackRef(`npm:@acme/ai-policy@1.2.3#${integrity}`)).toMatchObject({
      kind: "npm",
      name: "@acme/ai-policy",
      version: "1.2.3",
      path: null,
      integrity,
      pinned: true,
    });
    expect(parsePackRef(`npm:@acme/ai-policy@1.2.3/packs/base.yaml#${integrity}`)).toMatchObject({ path: "packs/base.yaml", pinned: true });
    expect(parsePackRef("npm:acme-policy@^1.2.0")).toMatchObject({ pinned: false, why: '"^1.2.0" is a version range or dist-tag, not an exact version' });
    expect(parsePackRef("npm:acme-policy@latest")).toMatchObject({ pinned: false });
    expect(parsePackRef("npm:acme-policy@1.2.3")).toMatchObject({ pinned: false, why: "no integrity hash" });
    expect(() => parsePackRef("npm:acme-policy@1.2.3#sha1-abc")).toThrow(/not a sha512 subresource-integrity hash/);
  });

  test("a tarball is read into memory: links and paths that climb out are left out", () => {
    const files = readTarball(
      tarball({ "package/pack.yaml": "a", "package/x/../../../etc/passwd": "b", "package/sub/b.yaml": "c" }, { symlink: ["package/link.yaml", "/etc/passwd"] }),
    );
    expect([...files.keys()].sort()).toEqual(["pack.yaml", "sub/b.yaml"]);
  });
});

describe("github: packs through the loopback API", () => {
  let api: OpenApi;
  let gh: FakeGitHub;
  let url: string;
  beforeAll(async () => {
    api = new OpenApi();
  });
  beforeEach(async () => {
    gh = new FakeGitHub(api);
    url = await gh.start();
    gh.state.repos = {
      "acme/ai-policy": {
        commits: {
          [PACK_SHA]: {
            "packs/base.yaml": BASE_PACK,
            "packs/shared/overrides.yaml": SHARED_PACK,
            "packs/escape.yaml": ESCAPING_PACK("../../../../../../etc/hostname"),
            "packs/reach.yaml": ESCAPING_PACK(`github:acme/other/p.yaml@${OTHER_SHA}`),
          },
          [OTHER_SHA]: { "packs/base.yaml": BASE_PACK.replace("version: 1.2.0", "version: 1.3.0"), "packs/shared/overrides.yaml": SHARED_PACK },
        },
        refs: { main: OTHER_SHA, "v1.3.0": OTHER_SHA },
      },
    };
  });
  afterEach(async () => {
    expect(gh.violations).toEqual([]);
    await gh.stop();
  });
  const env = (cache: string, extra: Record<string, string> = {}) => ({
    GITHUB_API_URL: url,
    AIGATE_PACK_TOKEN: "ghs_packs",
    AIGATE_PACK_CACHE: cache,
    ...extra,
  });
  const cacheDir = () => mkdtempSync(join(tmpdir(), "aigate-packs-"));

  test("a pinned pack from aigate.yml is fetched with its extends, recorded in the report, then used offline from the cache", async () => {
    const dir = exampleRepo("support-assistant", { "aigate.yml": `apiVersion: aigate/v1\npacks: ["${REF}"]\n` });
    const cache = cacheDir();
    const r = await aigate(["check", dir, ...TODAY, "--format", "json"], dir, env(cache));
    const report = JSON.parse(r.stdout);
    expect(report.findings.map((f: { ruleId: string }) => f.ruleId)).toContain("acme-guardrail-required");
    expect(report.policy.name).toBe("acme-ai-policy");
    expect(report.policy.sources).toEqual([
      {
        ref: REF,
        kind: "github",
        pinned: true,
        resolved: PACK_SHA,
        files: [`github:acme/ai-policy/packs/base.yaml@${PACK_SHA}`, `github:acme/ai-policy/packs/shared/overrides.yaml@${PACK_SHA}`],
      },
    ]);
    expect(report.policy.files.slice(-2)).toEqual([
      `github:acme/ai-policy/packs/shared/overrides.yaml@${PACK_SHA}`,
      `github:acme/ai-policy/packs/base.yaml@${PACK_SHA}`,
    ]);
    expect(gh.requests.filter((q) => q.operationId === "repos/get-content").map((q) => q.path)).toEqual([
      "/repos/acme/ai-policy/contents/packs%2Fbase.yaml",
      "/repos/acme/ai-policy/contents/packs%2Fshared%2Foverrides.yaml",
    ]);
    const before = gh.requests.length;
    const offline = await aigate(["check", dir, ...TODAY, "--format", "json", "--offline"], dir, env(cache));
    expect(JSON.parse(offline.stdout).policy.sources[0].resolved).toBe(PACK_SHA);
    expect(gh.requests.length).toBe(before);
  });

  test("offline and not cached, or the API unreachable: a configuration error that says how to fill the cache (exit 2)", async () => {
    const dir = exampleRepo("support-assistant", { "aigate.yml": `apiVersion: aigate/v1\npacks: ["${REF}"]\n` });
    const offline = await aigate(["check", dir, ...TODAY, "--offline"], dir, env(cacheDir()));
    expect(offline.code).toBe(2);
    expect(offline.stderr).toMatch(
      /github:acme\/ai-policy\/packs\/base\.yaml@111111111111 is not in the pack cache \(.*\) and aigate is offline: run `aigate packs fetch`/,
    );
    const port = await closedPort();
    const unreachable = await aigate(["check", dir, ...TODAY], dir, env(cacheDir(), { GITHUB_API_URL: `http://127.0.0.1:${port}` }));
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr).toContain(`cannot be fetched: 127.0.0.1:${port} is not reachable (ECONNREFUSED). Run \`aigate packs fetch\``);
  });

  test("aigate packs fetch fills the cache for a runner without network", async () => {
    const dir = exampleRepo("support-assistant", { "aigate.yml": `apiVersion: aigate/v1\npacks: ["${REF}"]\n` });
    const cache = cacheDir();
    const f = await aigate(["packs", "fetch"], dir, env(cache));
    expect([f.code, f.stdout]).toEqual([0, `${REF}\tcommit ${PACK_SHA}\t2 files\n`]);
    const r = await aigate(["check", dir, ...TODAY, "--offline", "--format", "json"], dir, {
      AIGATE_PACK_CACHE: cache,
      GITHUB_API_URL: `http://127.0.0.1:${await closedPort()}`,
    });
    expect(JSON.parse(r.stdout).findings.map((x: { ruleId: string }) => x.ruleId)).toContain("acme-guardrail-required");
  });

  test("a cached file that no longer matches its blob id is fetched again", async () => {
    const dir = exampleRepo("support-assistant");
    const cache = cacheDir();
    await aigate(["packs", "fetch", REF], dir, env(cache));
    const cached = join(cache, "github", "acme", "ai-policy", PACK_SHA, "files", "packs", "base.yaml");
    writeFileSync(cached, BASE_PACK.replace("severity: error", "severity: note"));
    const offline = await aigate(["check", dir, ...TODAY, "--offline", "--policy", REF], dir, env(cache));
    expect(offline.code).toBe(2);
    expect(offline.stderr).toContain("does not match its blob id");
    const online = await aigate(["check", dir, ...TODAY, "--policy", REF, "--format", "json"], dir, env(cache));
    expect(JSON.parse(online.stdout).findings.find((x: { ruleId: string }) => x.ruleId === "acme-guardrail-required").severity).toBe("error");
    expect(readFileSync(cached, "utf8")).toBe(BASE_PACK);
  });

  test("a moving reference is refused; allowed by aigate.yml, it is resolved, printed and recorded", async () => {
    const moving = "github:acme/ai-policy/packs/base.yaml@main";
    const dir = exampleRepo("support-assistant");
    const refused = await aigate(["check", dir, ...TODAY, "--policy", moving], dir, env(cacheDir()));
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`${moving} is a moving reference (a branch or tag, not a commit SHA): pin it`);
    writeFileSync(join(dir, "aigate.yml"), `apiVersion: aigate/v1\nallowMovingPackRefs: true\npacks: ["${moving}"]\n`);
    const r = await aigate(["check", dir, ...TODAY, "--format", "json"], dir, env(cacheDir()));
    expect(r.stderr).toContain(
      `aigate: ${moving} is a moving reference: resolved to commit ${OTHER_SHA} (pinned form: github:acme/ai-policy/packs/base.yaml@${OTHER_SHA})`,
    );
    const report = JSON.parse(r.stdout);
    expect(report.policy.sources[0]).toMatchObject({ ref: moving, pinned: false, resolved: OTHER_SHA });
    expect(report.policy.version).toBe("1.3.0");
  });

  test("extends inside a fetched pack stays within its own source", async () => {
    const dir = exampleRepo("support-assistant");
    const escape = await aigate(["check", dir, ...TODAY, "--policy", `github:acme/ai-policy/packs/escape.yaml@${PACK_SHA}`], dir, env(cacheDir()));
    expect(escape.code).toBe(2);
    expect(escape.stderr).toContain(
      `github:acme/ai-policy/packs/escape.yaml@${PACK_SHA}:5:11: extends ../../../../../../etc/hostname: leaves the pinned source`,
    );
    const reach = await aigate(["check", dir, ...TODAY, "--policy", `github:acme/ai-policy/packs/reach.yaml@${PACK_SHA}`], dir, env(cacheDir()));
    expect(reach.code).toBe(2);
    expect(reach.stderr).toContain(
      `extends github:acme/other/p.yaml@${OTHER_SHA}: a pack from github:acme/ai-policy/packs/reach.yaml@${PACK_SHA} may extend only files of its own source`,
    );
  });

  test("a pack in the repository may extend a pinned pack", async () => {
    const dir = exampleRepo("support-assistant", {
      ".github/aigate/org.yaml": `apiVersion: aigate/v1\nkind: PolicyPack\nname: local\nversion: 1.0.0\nextends: ["${REF}"]\n`,
    });
    const r = await aigate(["check", dir, ...TODAY, "--policy", join(dir, ".github/aigate/org.yaml"), "--format", "json"], dir, env(cacheDir()));
    expect(JSON.parse(r.stdout).findings.map((x: { ruleId: string }) => x.ruleId)).toContain("acme-guardrail-required");
  });

  test("a token that cannot read the repository: the error names the permission", async () => {
    gh.state.denyTokens = ["ghs_packs"];
    const dir = exampleRepo("support-assistant");
    const r = await aigate(["check", dir, ...TODAY, "--policy", REF], dir, env(cacheDir()));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/does not exist \(no such file at that commit, or the token cannot read acme\/ai-policy: it needs contents: read\)/);
  });

  test("the cache may not be inside the repository", async () => {
    const dir = exampleRepo("support-assistant");
    const r = await aigate(["check", dir, ...TODAY, "--policy", REF, "--pack-cache", join(dir, ".cache")], dir, env(cacheDir()));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the pack cache .* is inside .*: put it outside the repository/);
  });
});

describe("npm: packs from a registry", () => {
  let registry: FakeRegistry;
  const pkg = tarball({
    "package/package.json": JSON.stringify({ name: "@acme/ai-policy", version: "1.2.3", aigate: { pack: "packs/base.yaml" } }),
    "package/packs/base.yaml": BASE_PACK,
    "package/packs/shared/overrides.yaml": SHARED_PACK,
  });
  const integrity = integrityOf(pkg);
  const REF_NPM = `npm:@acme/ai-policy@1.2.3#${integrity}`;
  beforeEach(async () => {
    registry = new FakeRegistry();
    await registry.start();
    registry.packages = [{ name: "@acme/ai-policy", version: "1.2.3", tarball: pkg }];
  });
  afterEach(() => registry.stop());
  const env = (cache: string) => ({ AIGATE_NPM_REGISTRY: registry.base, AIGATE_PACK_CACHE: cache, AIGATE_NPM_TOKEN: "npm_secret" });
  const cacheDir = () => mkdtempSync(join(tmpdir(), "aigate-packs-"));

  test("the tarball is checked against the pinned integrity, cached by it, and read offline later", async () => {
    const dir = exampleRepo("support-assistant", { "aigate.yml": `apiVersion: aigate/v1\npacks: ["${REF_NPM}"]\n` });
    const cache = cacheDir();
    const r = await aigate(["check", dir, ...TODAY, "--format", "json"], dir, env(cache));
    const report = JSON.parse(r.stdout);
    expect(report.findings.map((f: { ruleId: string }) => f.ruleId)).toContain("acme-guardrail-required");
    expect(report.policy.sources).toEqual([
      {
        ref: REF_NPM,
        kind: "npm",
        pinned: true,
        resolved: "1.2.3",
        integrity,
        files: ["npm:@acme/ai-policy@1.2.3/packs/base.yaml", "npm:@acme/ai-policy@1.2.3/packs/shared/overrides.yaml"],
      },
    ]);
    expect(registry.requests.map((q) => q.url)).toEqual(["/@acme/ai-policy", "/@acme/ai-policy/-/ai-policy-1.2.3.tgz"]);
    expect(registry.requests.every((q) => q.auth === "Bearer npm_secret")).toBe(true);
    expect(readdirSync(join(cache, "npm", "@acme+ai-policy", "1.2.3"))).toHaveLength(1);
    const offline = await aigate(["check", dir, ...TODAY, "--offline", "--format", "json"], dir, { AIGATE_PACK_CACHE: cache });
    expect(JSON.parse(offline.stdout).policy.sources[0].integrity).toBe(integrity);
    expect(registry.requests).toHaveLength(2);
  });

  test("a pin that does not match what is published, or a tarball that does not match its hash, is refused", async () => {
    const dir = exampleRepo("support-assistant");
    const wrong = `npm:@acme/ai-policy@1.2.3#${integrityOf(Buffer.from("another"))}`;
    const r = await aigate(["check", dir, ...TODAY, "--policy", wrong], dir, env(cacheDir()));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("the pin does not match what is published");
    registry.swapTarball = tarball({ "package/packs/base.yaml": BASE_PACK.replace("severity: error", "severity: note") });
    const swapped = await aigate(["check", dir, ...TODAY, "--policy", REF_NPM], dir, env(cacheDir()));
    expect(swapped.code).toBe(2);
    expect(swapped.stderr).toContain("the downloaded tarball does not match the integrity hash");
  });

  test("a version range is resolved when aigate.yml allows it, and the version used is recorded", async () => {
    registry.packages.push({
      name: "@acme/ai-policy",
      version: "1.3.0",
      tarball: tarball({ "package/pack.yaml": BASE_PACK.replace("version: 1.2.0", "version: 1.3.0").replace("extends: [./shared/overrides.yaml]\n", "") }),
    });
    const dir = exampleRepo("support-assistant", { "aigate.yml": `apiVersion: aigate/v1\nallowMovingPackRefs: true\npacks: ["npm:@acme/ai-policy@^1.2.0"]\n` });
    const r = await aigate(["check", dir, ...TODAY, "--format", "json"], dir, env(cacheDir()));
    expect(r.stderr).toMatch(
      /npm:@acme\/ai-policy@\^1\.2\.0 is a moving reference: resolved to @acme\/ai-policy@1\.3\.0 \(pinned form: npm:@acme\/ai-policy@1\.3\.0#sha512-/,
    );
    expect(JSON.parse(r.stdout).policy).toMatchObject({ version: "1.3.0", sources: [{ pinned: false, resolved: "1.3.0" }] });
  });

  test("extends inside the package stays inside it", async () => {
    const bad = tarball({ "package/pack.yaml": ESCAPING_PACK("../../../../../../../etc/hostname") });
    registry.packages.push({ name: "bad-pack", version: "1.0.0", tarball: bad });
    const dir = exampleRepo("support-assistant");
    const r = await aigate(["check", dir, ...TODAY, "--policy", `npm:bad-pack@1.0.0#${integrityOf(bad)}`], dir, env(cacheDir()));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("npm:bad-pack@1.0.0/pack.yaml:5:11: extends ../../../../../../../etc/hostname: leaves the pinned source");
  });
});
