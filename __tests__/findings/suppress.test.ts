// Inline suppressions reach every rule through the engine: the finding stays, marked suppressed.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { run } from "../../src/run.js";

test("a suppression with a reason marks the named rule's finding on its line as suppressed, and only that one", async () => {
  const root = mkdtempSync(join(tmpdir(), "aigate-suppress-"));
  const files: Record<string, string> = {
    "ai-system.yaml": "apiVersion: aigate/v1\nname: s\nowner: {team: t, contact: t@example.com}\nprofile: {isGenAI: false, trainsOrFinetunes: true}\n",
    "train.py": [
      "import pickle",
      "a = pickle.loads(blob)  # aigate: ignore[code-unsafe-model-load] produced and signed by our own pipeline",
      "b = pickle.loads(other)",
      "# aigate: ignore[code-unsafe-model-load]",
      "c = pickle.loads(third)",
    ].join("\n"),
  };
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), text);
  }
  const r = await run({ root, today: "2026-11-27" });
  const loads = r.findings.filter((f) => f.ruleId === "code-unsafe-model-load").map((f) => [f.line, f.status, f.acceptedBy ?? ""]);
  expect(loads).toEqual([
    [2, "suppressed", "inline suppression: produced and signed by our own pipeline"],
    [3, "open", ""],
    [5, "open", ""], // a suppression without a reason suppresses nothing ...
  ]);
  expect(r.findings.filter((f) => f.ruleId === "code-suppression-without-reason").map((f) => f.line)).toEqual([4]); // ... and is reported
});
