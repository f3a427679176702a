// The model rules end to end through run(): the model-integrity check kind (declared digest,
// undeclared model files, unpinned hub sources) and the scanner's observations as findings.
import { createHash } from "node:crypto";
import { writeRepository } from "../../../src/policy/rule-tester.js";
import { run } from "../../../src/run.js";

const fixtures = "__tests__/inventory/scanners/models/fixtures";

/** A repository of these files, plus copies of model fixtures (path in the repository -> fixture). */
function repo(files: Record<string, string | Buffer>, copies: Record<string, string> = {}): string {
  return writeRepository(
    { ...files, ...Object.fromEntries(Object.entries(copies).map(([path, from]) => [path, { copy: `${fixtures}/${from}` }])) },
    "aigate-model-checks-",
  );
}

const findings = async (root: string, prefix = "model-") =>
  (await run({ root, today: "2026-11-27" })).findings
    .filter((f) => f.ruleId.startsWith(prefix))
    .map((f) => `${f.ruleId} ${f.severity} ${f.path}:${f.line}:${f.column}`);

const safetensors = Buffer.concat([Buffer.from([26, 0, 0, 0, 0, 0, 0, 0]), Buffer.from('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}'.slice(0, 26))]);

describe("model-integrity", () => {
  const header = '{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}';
  const st = Buffer.concat([Buffer.alloc(8), Buffer.from(header), Buffer.alloc(4)]);
  st.writeBigUInt64LE(BigInt(header.length), 0);
  const digest = createHash("sha256").update(st).digest("hex");
  const manifest = (models: string[]) =>
    [
      "apiVersion: aigate/v1",
      "name: sys",
      "owner: {team: t, contact: t@example.com}",
      "profile: {isGenAI: true, trainsOrFinetunes: true}",
      "models:",
      ...models,
    ].join("\n") + "\n";

  test("a digest that differs and an undeclared file are findings; a matching digest is not", async () => {
    const root = repo(
      {
        "ai-system.yaml": manifest([
          `  - {name: good, path: models/good.safetensors, sha256: "${digest}"}`,
          `  - {name: changed, path: models/changed.safetensors, sha256: "${"0".repeat(64)}"}`,
          "  - {name: hub-main, source: {uri: https://huggingface.co/org/model, revision: main}}",
          "  - {name: hub-none, source: {uri: https://huggingface.co/org/other}}",
          `  - {name: hub-pinned, source: {uri: https://huggingface.co/org/model, revision: "${"a1".repeat(20)}"}}`,
          "  - {name: elsewhere, source: {uri: https://models.example.com/x.bin}}",
        ]),
        "models/good.safetensors": st,
        "models/changed.safetensors": st,
      },
      { "models/extra.pt": "benign/torch/state-dict.pt" },
    );
    const got = await findings(root);
    expect(got.filter((f) => f.startsWith("model-hash-mismatch"))).toEqual(["model-hash-mismatch error ai-system.yaml:7:63"]);
    expect(got.filter((f) => f.startsWith("model-undeclared"))).toEqual(["model-undeclared warning models/extra.pt:1:1"]);
    expect(got).toContain("model-pickle-format note models/extra.pt:1:1");
    expect(got.some((f) => f.startsWith("model-unsafe"))).toBe(false);
  });

  test("a folder declared as a model path covers the files in it", async () => {
    const root = repo({ "ai-system.yaml": manifest(["  - {name: all, path: models/}"]), "models/a.safetensors": st, "models/sub/b.safetensors": st });
    expect((await findings(root)).filter((f) => f.startsWith("model-undeclared"))).toEqual([]);
  });

  test("a folder with no manifest: its model files are still scanned and reported", async () => {
    const root = repo({}, { "weights.bin": "attacks/names/weights.bin", "sd.pt": "benign/torch/state-dict.pt" });
    const report = await run({ root, today: "2026-11-27" });
    expect(report.inventory.models.map((m) => [m.path, m.verdict])).toEqual([
      ["sd.pt", "safe"],
      ["weights.bin", "unsafe"],
    ]);
    const ids = report.findings.map((f) => `${f.ruleId} ${f.path}`);
    expect(ids).toContain("model-unsafe weights.bin");
    expect(ids.filter((i) => i.startsWith("model-undeclared") || i.startsWith("model-hash"))).toEqual([]);
    expect(report.findings.find((f) => f.ruleId === "model-unsafe")?.message).toMatch(/os\.system.*at byte \d+/);
  });
});

test("a stray safetensors prefix is an error, never safe", async () => {
  const root = repo({ "m.safetensors": safetensors });
  const report = await run({ root, today: "2026-11-27" });
  expect(report.inventory.models.map((m) => m.verdict)).toEqual(["error"]);
  expect(report.findings.map((f) => f.ruleId)).toContain("model-unparseable");
});
