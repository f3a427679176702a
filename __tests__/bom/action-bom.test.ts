// The Action's `bom-file` input and `bom-path` output: runAction (from the sources) writes the
// CycloneDX AI-BOM inside the workspace; action.yml and the README's tables document both.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import * as CDX from "@cyclonedx/cyclonedx-library";
import { runAction } from "../../src/action.js";
import { packageRoot } from "../../src/util/package-root.js";

test("bom-file writes the AI-BOM inside the workspace and sets bom-path", async () => {
  const workspace = mkdtempSync(join(tmpdir(), "aigate-bom-ws-"));
  cpSync(join(packageRoot(), "examples", "claims-triage"), join(workspace, "svc"), { recursive: true });
  const output = join(mkdtempSync(join(tmpdir(), "aigate-bom-out-")), "output");
  writeFileSync(output, "");
  const inputs: Record<string, string> = {
    path: "svc",
    "fail-on": "never",
    "bom-file": "reports/ai-bom.cdx.json",
    "report-file": "reports/aigate.json",
    comment: "false",
    review: "false",
    annotations: "false",
    "github-token": "",
  };
  const saved = { ...process.env };
  try {
    for (const [k, v] of Object.entries(inputs)) process.env[`INPUT_${k.toUpperCase()}`] = v;
    process.env.GITHUB_OUTPUT = output;
    delete process.env.GITHUB_STEP_SUMMARY;
    delete process.env.GITHUB_EVENT_NAME;
    delete process.env.GITHUB_EVENT_PATH;
    await runAction({ GITHUB_WORKSPACE: workspace, GITHUB_OUTPUT: output } as NodeJS.ProcessEnv);
  } finally {
    process.env = saved;
    process.exitCode = 0;
  }
  const outputs = Object.fromEntries(
    [...readFileSync(output, "utf8").matchAll(/^([\w-]+)<<(ghadelimiter_[\w-]+)\n([\s\S]*?)\n\2$/gm)].map((m) => [m[1], m[3]]),
  );
  expect(outputs["bom-path"]).toBe(join(workspace, "reports", "ai-bom.cdx.json"));
  const bom = readFileSync(outputs["bom-path"]!, "utf8");
  expect(JSON.parse(bom).metadata.component.name).toBe("claims-triage");
  expect(await new CDX.Validation.JsonStrictValidator(CDX.Spec.Version.v1dot7).validate(bom)).toBeNull();
}, 60000);

test("action.yml and the README document bom-file and bom-path", () => {
  const action = parse(readFileSync(join(packageRoot(), "action.yml"), "utf8")) as {
    inputs: Record<string, { description?: string; default?: string }>;
    outputs: Record<string, { description?: string }>;
  };
  expect(action.inputs["bom-file"]).toMatchObject({ default: "", description: expect.stringContaining("CycloneDX") });
  expect(action.outputs["bom-path"]?.description).toContain("bom-file");
  const readme = readFileSync(join(packageRoot(), "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Pull requests and code scanning"));
  expect(section).toContain("| `bom-file` | (none) |");
  expect(section).toContain("| `bom-path` |");
  expect(readme).toContain("actions/attest-sbom");
});
