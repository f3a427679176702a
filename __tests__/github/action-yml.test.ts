// action.yml documents every pull-request input and output, with defaults, and README lists them.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse } from "yaml";

const ROOT = resolve(import.meta.dirname, "../..");
const action = parse(readFileSync(join(ROOT, "action.yml"), "utf8")) as {
  inputs: Record<string, { description?: string; default?: string }>;
  outputs: Record<string, { description?: string }>;
};
const readme = readFileSync(join(ROOT, "README.md"), "utf8");
const section = readme.slice(readme.indexOf("## Pull requests and code scanning"));

const INPUTS = {
  "github-token": "${{ github.token }}",
  "sarif-file": "",
  comment: "true",
  "delete-comment-when-clean": "false",
  review: "true",
  "check-run": "false",
  "check-name": "aigate",
  scope: "all",
  base: "",
  baseline: "",
};
const OUTPUTS = ["sarif-path", "baselined", "pre-existing", "comment-url", "review-comments", "check-run-url", "github-feedback"];

test.each(Object.entries(INPUTS))("input %s is described with its default in action.yml and README", (name, dflt) => {
  expect(action.inputs[name]?.description?.length).toBeGreaterThan(20);
  expect(action.inputs[name]?.default).toBe(dflt);
  expect(section).toContain(`| \`${name}\` | ${dflt === "" ? "(none)" : `\`${dflt}\``} |`);
});

test.each(OUTPUTS)("output %s is described in action.yml and README", (name) => {
  expect(action.outputs[name]?.description?.length).toBeGreaterThan(10);
  expect(section).toContain(`| \`${name}\` |`);
});

test("README shows the upload-sarif workflow and the permissions of each feature", () => {
  expect(section).toContain("github/codeql-action/upload-sarif");
  for (const p of ["pull-requests: write", "checks: write", "security-events: write", "contents: read"]) expect(section).toContain(p);
  expect(section).toMatch(/never `pull_request_target`/);
});
