// aigate.yml: its schema, located errors, discovery, flags over the file, the base commit's version
// on a change (the change's edits are pending), the ignore globs, and the report it leaves.
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { loadConfig, parseConfig, ConfigFileError, configValidator } from "../../src/config/load.js";
import { settle } from "../../src/config/settle.js";
import { givenInputs } from "../../src/config/action.js";
import { gitBaseReader } from "../../src/trusted.js";
import { findRepository } from "../../src/util/git.js";
import { packageRoot } from "../../src/util/package-root.js";
import { aigate, commitAll, exampleRepo, gitInit, writeFiles } from "./helpers.js";

const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (a: Ajv2020) => void;
const SCHEMA = JSON.parse(readFileSync(join(packageRoot(), "schemas", "aigate-config.schema.json"), "utf8")) as Record<string, unknown>;
const SHA = "0123456789abcdef0123456789abcdef01234567";

describe("the schema", () => {
  test("is a draft 2020-12 schema that strict Ajv compiles, with a description for every property", () => {
    expect(SCHEMA.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(() => configValidator()).not.toThrow();
    const walk = (s: Record<string, unknown>, at: string) => {
      for (const [k, v] of Object.entries((s.properties as Record<string, Record<string, unknown>>) ?? {})) {
        expect([`${at}.${k}`, typeof v.description]).toEqual([`${at}.${k}`, "string"]);
        walk(v, `${at}.${k}`);
      }
    };
    walk(SCHEMA, "");
  });

  test("uses only keywords editors' draft-07 validators read the same way", () => {
    const text = JSON.stringify(SCHEMA);
    for (const k of ["$defs", "prefixItems", "unevaluatedProperties", "dependentSchemas", "$dynamicRef"]) expect(text).not.toContain(`"${k}"`);
  });

  test("accepts a full configuration", () => {
    const v = new Ajv2020({ strict: true, allErrors: true });
    addFormats(v);
    const ok = v.compile(SCHEMA)({
      apiVersion: "aigate/v1",
      manifest: "**/ai-system.yaml",
      packs: ["./org.yaml", `github:acme/ai-policy/packs/base.yaml@${SHA}`],
      failOn: "warning",
      scope: "changed",
      baseline: ".github/aigate-baseline.json",
      ignore: ["vendor/**"],
      outputs: { report: "out/r.json", sarif: "out/r.sarif", bom: "out/bom.json" },
      allowMovingPackRefs: false,
    });
    expect(ok).toBe(true);
  });
});

describe("parseConfig: every problem located in the file", () => {
  const problems = (text: string) => {
    try {
      parseConfig(text, "aigate.yml");
    } catch (e) {
      if (e instanceof ConfigFileError) return e.message.split("\n");
      throw e;
    }
    return [];
  };

  test("a valid file", () => {
    expect(parseConfig(`apiVersion: aigate/v1\nfailOn: warning\npacks: [./org.yaml]\n`, "aigate.yml")).toEqual({
      apiVersion: "aigate/v1",
      failOn: "warning",
      packs: ["./org.yaml"],
    });
  });

  test("unknown keys with did-you-mean, enum values, YAML pitfalls", () => {
    const p = problems(["apiVersion: aigate/v1", "failon: warning", "scope: diff", "allowMovingPackRefs: yes", "outputs:", "  sarif: 12"].join("\n"));
    expect(p).toContain('aigate.yml:2:1: unknown key "failon" in the document (did you mean "failOn"?)');
    expect(p).toContain('aigate.yml:3:8: scope must be one of all, changed; got "diff"');
    expect(p).toContain('aigate.yml:4:22: allowMovingPackRefs must be boolean ("yes" is a string in YAML 1.2; write true or false)');
    expect(p).toContain("aigate.yml:6:10: outputs.sarif must be string (YAML read 12 as a number; quote it)");
  });

  test("a missing apiVersion, an empty file, broken YAML", () => {
    expect(problems("failOn: error\n")).toEqual(['aigate.yml:1:1: the document is missing the required key "apiVersion"']);
    expect(problems("")[0]).toMatch(/^aigate\.yml:1:1: .*empty/);
    expect(problems("apiVersion: aigate/v1\npacks: [a\n")[0]).toMatch(/^aigate\.yml:\d+:\d+: /);
  });

  test("a moving pack reference is refused unless allowMovingPackRefs is true", () => {
    const text = (allow: boolean) =>
      `apiVersion: aigate/v1\n${allow ? "allowMovingPackRefs: true\n" : ""}packs:\n  - github:acme/ai-policy/packs/base.yaml@main\n  - npm:@acme/ai-policy@^1.2.0\n`;
    const p = problems(text(false));
    expect(p[0]).toMatch(
      /^aigate\.yml:3:5: github:acme\/ai-policy\/packs\/base\.yaml@main is a moving reference \(a branch or tag, not a commit SHA\): pin it \(a full 40-character commit SHA after @\), or set allowMovingPackRefs: true/,
    );
    expect(p[1]).toMatch(
      /^aigate\.yml:4:5: npm:@acme\/ai-policy@\^1\.2\.0 is a moving reference \("\^1\.2\.0" is a version range or dist-tag, not an exact version\)/,
    );
    expect(problems(text(true))).toEqual([]);
  });

  test("malformed references, paths out of the repository, bad globs", () => {
    const p = problems(
      [
        "apiVersion: aigate/v1",
        "packs:",
        "  - github:acme/no-path@" + SHA,
        "  - ../outside.yaml",
        "  - /etc/pack.yaml",
        "baseline: ../b.json",
        "ignore: ['{a,b}{c,d}{e,f}{g,h}{i,j}{k,l}{m,n}']",
      ].join("\n"),
    );
    expect(p[0]).toMatch(/^aigate\.yml:3:5: github:acme\/no-path@0123.*a GitHub pack reference is github:<owner>\/<repo>\/<path to the pack>@<commit SHA>/);
    expect(p[1]).toBe('aigate.yml:4:5: pack "../outside.yaml" is outside the repository');
    expect(p[2]).toBe(`aigate.yml:5:5: pack "/etc/pack.yaml" must be a path relative to the repository's top level`);
    expect(p[3]).toBe("aigate.yml:6:11: baseline is outside the repository");
    expect(p[4]).toMatch(/^aigate\.yml:7:10: ignore glob /);
  });
});

describe("loadConfig: where the file is read from", () => {
  test("aigate.yml or .github/aigate.yml at the repository's top level; two are an error; none is none", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aigate-cfg-"));
    expect((await loadConfig({ root: dir, cwd: dir, repo: null })).config).toBeNull();
    writeFiles(dir, { ".github/aigate.yml": "apiVersion: aigate/v1\nfailOn: note\n" });
    const one = await loadConfig({ root: dir, cwd: dir, repo: null });
    expect([one.file, one.source, one.config?.failOn]).toEqual([".github/aigate.yml", "the checkout", "note"]);
    writeFiles(dir, { "aigate.yml": "apiVersion: aigate/v1\n" });
    await expect(loadConfig({ root: dir, cwd: dir, repo: null })).rejects.toThrow(
      "aigate.yml and .github/aigate.yml are both aigate configuration files: keep one",
    );
    expect((await loadConfig({ root: dir, cwd: dir, repo: null, enabled: false })).config).toBeNull();
  });

  test("a symbolic link is not followed, and errors name the file as the user sees it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aigate-cfg-"));
    writeFileSync(join(dir, "elsewhere.yml"), "apiVersion: aigate/v1\n");
    symlinkSync(join(dir, "elsewhere.yml"), join(dir, "aigate.yml"));
    await expect(loadConfig({ root: dir, cwd: dir, repo: null })).rejects.toThrow(/aigate\.yml is a symbolic link; not followed/);
    rmSync(join(dir, "aigate.yml"));
    writeFiles(dir, { "sub/x": "", "aigate.yml": "apiVersion: aigate/v2\n" });
    await expect(loadConfig({ root: dir, cwd: join(dir, "sub"), repo: null })).rejects.toThrow('../aigate.yml:1:13: apiVersion must be "aigate/v1"');
  });

  test("with a base commit the base's file applies; edits, additions and deletions are pending", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aigate-cfg-"));
    writeFiles(dir, { "aigate.yml": "apiVersion: aigate/v1\nfailOn: error\n", "README.md": "x\n" });
    const { git, commit: base } = gitInit(dir);
    writeFiles(dir, { "aigate.yml": "apiVersion: aigate/v1\nfailOn: never\n", ".github/aigate.yml": "apiVersion: aigate/v1\n" });
    commitAll(git, "weaken the gate");
    const repo = (await findRepository(dir))!;
    const loaded = await loadConfig({ root: dir, cwd: dir, repo, base: gitBaseReader(repo, base) });
    expect(loaded.config?.failOn).toBe("error");
    expect(loaded.source).toBe(`the base commit ${base.slice(0, 12)} (git)`);
    expect(loaded.pending.map((p) => [p.kind, p.path, p.description])).toEqual([
      ["config", "aigate.yml", "edits to configuration file aigate.yml (the base version applies)"],
      ["config", ".github/aigate.yml", "new configuration file .github/aigate.yml (not loaded; aigate.yml at the base applies)"],
    ]);
    rmSync(join(dir, "aigate.yml"));
    rmSync(join(dir, ".github"), { recursive: true });
    commitAll(git, "delete it");
    const deleted = await loadConfig({ root: dir, cwd: dir, repo, base: gitBaseReader(repo, base) });
    expect(deleted.config?.failOn).toBe("error");
    expect(deleted.pending.map((p) => p.description)).toEqual(["deletes configuration file aigate.yml (the base version applies)"]);
  });

  test("a configuration new in the change is not loaded; an uncommitted one is a note", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aigate-cfg-"));
    writeFiles(dir, { "README.md": "x\n" });
    const { git, commit: base } = gitInit(dir);
    writeFiles(dir, { "aigate.yml": "apiVersion: aigate/v1\nfailOn: never\n" });
    const repo = (await findRepository(dir))!;
    const untracked = await loadConfig({ root: dir, cwd: dir, repo, base: gitBaseReader(repo, base) });
    expect([untracked.config, untracked.pending, untracked.notes]).toEqual([
      null,
      [],
      [`aigate.yml is not committed; the configuration at the base commit ${base.slice(0, 12)} applies.`],
    ]);
    commitAll(git, "add a config");
    const added = await loadConfig({ root: dir, cwd: dir, repo, base: gitBaseReader(repo, base) });
    expect(added.config).toBeNull();
    expect(added.pending.map((p) => p.description)).toEqual(["new configuration file aigate.yml (not loaded)"]);
  });

  test("a broken configuration at the base is an error that says which version applies", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aigate-cfg-"));
    writeFiles(dir, { "aigate.yml": "apiVersion: aigate/v1\nfailOn: sometimes\n" });
    const { git, commit: base } = gitInit(dir);
    writeFiles(dir, { "aigate.yml": "apiVersion: aigate/v1\nfailOn: error\n" });
    commitAll(git, "fix");
    const repo = (await findRepository(dir))!;
    await expect(loadConfig({ root: dir, cwd: dir, repo, base: gitBaseReader(repo, base) })).rejects.toThrow(
      /aigate\.yml:2:9: failOn must be one of error, warning, note, never; got "sometimes".*\(in the version at the base commit [0-9a-f]{12}, which applies to this change\)/,
    );
  });
});

describe("settle: flags and inputs over the file, the file over the defaults", () => {
  const loaded = {
    config: parseConfig(
      `apiVersion: aigate/v1\nfailOn: warning\nscope: changed\npacks: [./.github/org.yaml, "github:acme/p/x.yaml@${SHA}"]\nbaseline: .github/b.json\noutputs: {report: out/r.json}\nmanifest: "svc/**/ai-system.yaml"\n`,
      "aigate.yml",
    ),
    file: "aigate.yml",
    dir: "/repo",
    source: "the checkout",
    pending: [],
    notes: [],
  };

  test("unset flags take the file's values, paths from the repository's top level", () => {
    const s = settle(loaded, {}, "/repo");
    expect(s).toMatchObject({
      failOn: "warning",
      scope: "changed",
      policyFiles: [".github/org.yaml", `github:acme/p/x.yaml@${SHA}`],
      baseline: ".github/b.json",
      outputs: { report: "out/r.json" },
      manifestGlob: "svc/**/ai-system.yaml",
    });
    expect(settle(loaded, {}, "/repo/sub").policyFiles[0]).toBe("/repo/.github/org.yaml");
  });

  test("set flags win", () => {
    expect(settle(loaded, { failOn: "error", policy: ["mine.yaml"], scope: "all" }, "/repo")).toMatchObject({
      failOn: "error",
      policyFiles: ["mine.yaml"],
      scope: "all",
    });
  });

  test("no file: aigate's defaults", () => {
    expect(settle({ ...loaded, config: null }, {}, "/repo")).toMatchObject({
      failOn: "error",
      scope: "all",
      policyFiles: [],
      ignore: [],
      allowMovingPackRefs: false,
    });
  });

  test("an Action input left at its action.yml default leaves the choice to the file", () => {
    const inputs = {
      manifest: "**/ai-system.{yaml,yml}",
      policy: [],
      "fail-on": "error",
      scope: "all",
      baseline: "",
      "report-file": "aigate-report.json",
      "sarif-file": "",
      "bom-file": "",
      config: "",
      packToken: "",
    };
    expect(givenInputs(inputs)).toEqual({
      manifest: undefined,
      policy: undefined,
      failOn: undefined,
      scope: undefined,
      baseline: undefined,
      outputs: { report: undefined, sarif: undefined, bom: undefined },
    });
    expect(givenInputs({ ...inputs, "fail-on": "never", policy: ["p.yaml"], "sarif-file": "a.sarif" })).toMatchObject({
      failOn: "never",
      policy: ["p.yaml"],
      outputs: { sarif: "a.sarif" },
    });
  });
});

describe("the CLI with aigate.yml", () => {
  test("fail-on from the file; a flag overrides it", async () => {
    const dir = exampleRepo("ops-agent", { "aigate.yml": "apiVersion: aigate/v1\nfailOn: never\n" });
    expect((await aigate(["check", ".", "--today", "2026-11-27"], dir)).code).toBe(0);
    expect((await aigate(["check", ".", "--today", "2026-11-27", "--fail-on", "error"], dir)).code).toBe(1);
    expect((await aigate(["check", ".", "--today", "2026-11-27", "--no-config"], dir)).code).toBe(1);
  });

  test("an invalid file is a configuration error located in it: exit 2", async () => {
    const dir = exampleRepo("ops-agent", { ".github/aigate.yml": "apiVersion: aigate/v1\nfailOn: sometimes\n" });
    const r = await aigate(["check", "."], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('.github/aigate.yml:2:9: failOn must be one of error, warning, note, never; got "sometimes"');
  });

  test("ignore globs leave out their files' findings and recount the verdict; outputs are written", async () => {
    const dir = exampleRepo("ops-agent", {
      "aigate.yml": "apiVersion: aigate/v1\nignore: [.env]\noutputs: {report: out/aigate.json, sarif: out/aigate.sarif}\n",
    });
    const r = await aigate(["check", ".", "--today", "2026-11-27", "--format", "json"], dir);
    const report = JSON.parse(r.stdout);
    const without = JSON.parse((await aigate(["check", ".", "--today", "2026-11-27", "--format", "json", "--no-config"], dir)).stdout);
    expect(without.findings.some((f: { path: string }) => f.path === ".env")).toBe(true);
    expect(report.findings.some((f: { path: string }) => f.path === ".env")).toBe(false);
    const errors = (x: { findings: { status: string; severity: string }[] }) => x.findings.filter((f) => f.status === "open" && f.severity === "error").length;
    expect(report.summary.bySeverity.error).toBe(errors(report));
    expect(errors(report)).toBeLessThan(errors(without));
    expect(report.notes.join("\n")).toMatch(/aigate\.yml ignores "\.env": \d+ findings? in 1 file left out/);
    expect(report.config).toEqual({ file: "aigate.yml", source: "the checkout" });
    expect(JSON.parse(readFileSync(join(dir, "out/aigate.json"), "utf8")).findings.length).toBe(report.findings.length);
    expect(JSON.parse(readFileSync(join(dir, "out/aigate.sarif"), "utf8")).version).toBe("2.1.0");
  });

  test("with --base, the base commit's configuration applies and the change's edit is pending", async () => {
    const dir = exampleRepo("ops-agent", { "aigate.yml": "apiVersion: aigate/v1\nfailOn: error\n" });
    const { git } = gitInit(dir);
    git("checkout", "-qb", "feature");
    writeFiles(dir, { "aigate.yml": "apiVersion: aigate/v1\nfailOn: never\n" });
    commitAll(git, "weaken");
    const r = await aigate(["check", ".", "--today", "2026-11-27", "--base", "main", "--format", "json"], dir);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.summary.failOn).toBe("error");
    expect(report.pending).toContainEqual(
      expect.objectContaining({ kind: "config", path: "aigate.yml", description: "edits to configuration file aigate.yml (the base version applies)" }),
    );
    expect(report.config.source).toMatch(/^the base commit [0-9a-f]{12} \(git\)$/);
    const text = await aigate(["check", ".", "--today", "2026-11-27", "--base", "main"], dir);
    expect(text.stdout).toMatch(/configuration-file change/);
  });

  test("the JSON report with the new fields matches schemas/report.schema.json", async () => {
    const dir = exampleRepo("support-assistant", { "aigate.yml": "apiVersion: aigate/v1\n" });
    const r = await aigate(["check", ".", "--today", "2026-11-27", "--format", "json", "--repository", "acme/support"], dir);
    const report = JSON.parse(r.stdout);
    expect(report.repository).toEqual({ name: "acme/support", commit: null });
    expect(report.systems[0].acceptances).toEqual([expect.objectContaining({ id: "RA-2026-014", expires: "2027-01-31", pending: false })]);
    const v = new Ajv2020({ allErrors: true });
    addFormats(v);
    const validate = v.compile(JSON.parse(readFileSync(join(packageRoot(), "schemas", "report.schema.json"), "utf8")));
    expect(validate(report) ? [] : validate.errors).toEqual([]);
  });
});
