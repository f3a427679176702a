// Found by fuzzing (fuzz/targets/code-python.ts): the Python analyzer looked a called class up in
// the code patterns' tool table (`classes[name]`); a call to `__proto__(…)` in a file that imports
// langchain found Object.prototype there and crashed on its missing `privileges`. Any name read from
// a repository (classes, tool names, packages, pickle globals, columns, model names) can be
// `__proto__`, `constructor` or `toString`. Fix: data files are loaded without prototypes
// (src/util/data.ts withoutPrototypes), so such a name finds nothing, wherever it is looked up; the
// dependency scanner's table of pins by package name has no prototype either. Before the fix this
// repository left agent.py, the dependencies and model.pkl unscanned.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cliInProcess } from "../helpers/cli.js";
import { loadData } from "../../src/util/data.js";
import type { Report } from "../../src/report/types.js";

const NAMES = ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf", "__defineGetter__"];

test("no data file answers a lookup of an Object.prototype member", () => {
  const data = loadData<Record<string, unknown>>("policies/code/patterns.json");
  const seen: unknown[] = [data];
  for (let i = 0; i < seen.length; i++) {
    const v = seen[i];
    if (v === null || typeof v !== "object") continue;
    if (!Array.isArray(v)) for (const n of NAMES) expect((v as Record<string, unknown>)[n]).toBeUndefined();
    seen.push(...Object.values(v));
  }
});

test("a repository full of prototype names is scanned, not crashed on", async () => {
  const dir = mkdtempSync(join(tmpdir(), "aigate-proto-"));
  const py = NAMES.map((n) => `${n}(name="${n}")\nload_tools(["${n}"])\nx = AutoModel.from_pretrained("${n}")\n`).join("");
  writeFileSync(
    join(dir, "agent.py"),
    `from langchain.agents import load_tools\nfrom langchain.tools import Tool\nfrom transformers import AutoModel\n${py}Tool(name="constructor", func=constructor)\n`,
  );
  writeFileSync(
    join(dir, "tools.ts"),
    `import { tool } from "ai";\n${NAMES.map((n) => `const a_${n.replace(/\W/g, "")} = ${JSON.stringify(n)};\n`).join("")}export const t = tool({ description: "constructor" });\n`,
  );
  writeFileSync(join(dir, "requirements.txt"), NAMES.map((n) => `${n}==1.0\n`).join(""));
  writeFileSync(join(dir, "package.json"), JSON.stringify({ dependencies: Object.fromEntries(NAMES.map((n) => [n, "1.0.0"])) }));
  // Found later by the CI fuzz run (deps-manifests): a conda dependency named constructor met the conda-to-PyPI name table.
  writeFileSync(
    join(dir, "environment.yml"),
    `name: x\ndependencies:\n${NAMES.map((n) => `  - ${n}=1.0\n`).join("")}  - pip:\n${NAMES.map((n) => `    - ${n}==1.0\n`).join("")}`,
  );
  for (const n of ["constructor", "toString"]) writeFileSync(join(dir, n), "x\n");
  writeFileSync(join(dir, "data.csv"), NAMES.join(",") + "\n" + NAMES.map(() => "1").join(",") + "\n");
  // A protocol-0 pickle whose globals are prototype names.
  writeFileSync(join(dir, "model.pkl"), Buffer.from(NAMES.map((n) => `c${n}\n${n}\n`).join("") + ".", "latin1"));
  writeFileSync(join(dir, ".mcp.json"), JSON.stringify({ mcpServers: Object.fromEntries(NAMES.map((n) => [n, { command: n, args: [n] }])) }));
  writeFileSync(
    join(dir, "ai-system.yaml"),
    `apiVersion: aigate/v1\nname: constructor\nowner: { team: ml, contact: ml@example.com }\nprofile: { isGenAI: true, isLLM: true, trainsOrFinetunes: false, usesRAG: false, trainingDataSensitive: false, membershipSensitive: false, inputSensitive: false, modelIsIP: false, modelHostedExternally: true, untrustedInput: true, hasAgency: true }\nmodels:\n  - { name: __proto__, provider: constructor, id: toString }\ntools:\n  - { name: constructor, privileges: [read] }\n`,
  );
  const r = await cliInProcess(["check", dir, "--format", "json"]);
  expect([0, 1]).toContain(r.code);
  const report = JSON.parse(r.out) as Report;
  expect(report.findings.length).toBeGreaterThan(0);
  expect(report.inventory.unscanned).toEqual([]);
});
