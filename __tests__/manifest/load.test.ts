import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadTaxonomy } from "../../src/exchange/taxonomy.js";
import { parseManifest } from "../../src/manifest/load.js";

const t = loadTaxonomy();
const load = (name: string) => parseManifest(name, readFileSync(join(import.meta.dirname ?? __dirname, "fixtures", name), "utf8"), t);
/** Each diagnostic as `line:column id message`, the way a user reads it. */
const lines = (name: string) => load(name).diagnostics.map((d) => `${d.location.line}:${d.location.column} ${d.id} ${d.message}`);

test("a valid manifest yields a system with positions for every value", () => {
  const r = load("valid-minimal.yaml");
  expect(r.diagnostics).toEqual([]);
  expect(r.system!.manifest.name).toBe("minimal");
  expect(r.system!.locate("/profile/isGenAI")).toMatchObject({ line: 4, column: 20 });
  expect(r.system!.locate("/owner/contact", "key")).toMatchObject({ line: 3, column: 18 });
});

test.each([
  ["broken-yaml.yaml", ["5:1 manifest-yaml YAML syntax error"]],
  ["duplicate-key.yaml", ['6:3 manifest-yaml duplicate key "isGenAI" (first at line 5)']],
  ["alias-bomb.yaml", ["3:4 manifest-yaml YAML anchors and aliases are not allowed: write each value out (10 in this file; first here)"]],
  ["yaml-tag.yaml", ["3:8 manifest-yaml YAML tags (tag:yaml.org,2002:python/object:os.system) are not allowed"]],
  ["yaml-version.yaml", ["1:1 manifest-yaml %YAML 1.1 is not supported: aigate reads YAML 1.2 only"]],
  ["empty.yaml", ["1:1 manifest-yaml the file is empty"]],
  ["unknown-key.yaml", ['6:3 manifest-schema unknown key "usesRag" in profile (did you mean "usesRAG"?)']],
  ["yaml11-boolean.yaml", ['5:12 manifest-schema profile.isGenAI must be boolean ("yes" is a string in YAML 1.2; write true or false)']],
  ["unquoted-hash.yaml", ["8:13 manifest-schema models.0.sha256 must be string (YAML read 1234567890 as a number; quote it)"]],
  ["bare-comment-contact.yaml", ["5:12 manifest-schema owner.contact must be string (a bare # starts a comment; quote the value)"]],
  ["missing-required.yaml", ['1:1 manifest-schema the document is missing the required key "owner"']],
  ["claim-needs-evidence.yaml", ['6:3 manifest-schema controls.RATELIMIT is missing the required key "evidence"']],
  ["fact-conflict.yaml", ["6:12 profile-fact-conflict profile.isGenAI contradicts profile.isLLM: an LLM is a generative model"]],
  ["path-escapes.yaml", ['8:16 manifest-schema path "../../etc/passwd" leaves the repository and is never read']],
])("%s is reported where the mistake is", (name, expected) => {
  const got = lines(name);
  expect(got).toHaveLength(expected.length);
  expected.forEach((e, i) => expect(got[i]).toContain(e));
  expect(load(name).system).toBeUndefined();
});

test("enum mistakes name the allowed values and suggest the nearest", () => {
  expect(lines("bad-enum.yaml")).toEqual([
    expect.stringContaining(
      '7:11 manifest-schema datasets.0.use.0 must be one of training, fine-tuning, evaluation, augmentation, prompt, other; got "trainng" (did you mean "training"?)',
    ),
    expect.stringContaining("8:18 manifest-schema datasets.0.sensitivity must be one of public, internal, confidential, restricted"),
  ]);
});

test("control ids: a typo is suggested, an old slug is mapped with a note, a threat id is called out", () => {
  const r = load("unknown-control.yaml");
  expect(lines("unknown-control.yaml")).toEqual([
    '9:3 manifest-old-id control "DEVDATAPROTECT" is written "DEVSECURITY" in the current Exchange',
    '12:3 manifest-reference "EVASION" is an Exchange threat, not a control: list the controls that mitigate it',
    '6:3 manifest-schema unknown key "RATELIMT" in controls (did you mean "RATELIMIT"?)',
  ]);
  expect(r.system).toBeUndefined();
});

test("references to undefined datasets suggest the nearest name", () => {
  expect(lines("bad-reference.yaml")).toEqual([
    '9:17 manifest-reference dataset "customer-data" is not defined in this manifest (did you mean "customer-dat"?)',
  ]);
});

test("the examples' manifests are valid", () => {
  for (const ex of ["support-assistant", "claims-triage", "ops-agent"]) {
    const path = join(import.meta.dirname ?? __dirname, "..", "..", "examples", ex, "ai-system.yaml");
    const r = parseManifest(`${ex}/ai-system.yaml`, readFileSync(path, "utf8"), t);
    expect(r.diagnostics.filter((d) => d.id !== "manifest-old-id")).toEqual([]);
    expect(r.system).toBeDefined();
  }
});
