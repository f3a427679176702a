// The data-* check kinds end to end through run(): the examples, and a copy of the in-house
// classifier whose manifest is made to contradict its data.
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run } from "../../../src/run.js";

const examples = join(process.cwd(), "examples");
const dataFindings = async (root: string) =>
  (await run({ root, today: "2026-11-27" })).findings.filter((f) => f.ruleId.startsWith("data-")).map((f) => [f.ruleId, f.path, f.line]);

describe("data check kinds", () => {
  test("support assistant: its evaluation set is declared, so no data finding", async () => {
    expect(await dataFindings(join(examples, "support-assistant"))).toEqual([]);
  });

  test("support assistant without the evaluation set's entry: the eval data is undeclared", async () => {
    const dir = await mkdtemp(join(tmpdir(), "aigate-data-undeclared-"));
    await cp(join(examples, "support-assistant"), dir, { recursive: true });
    const path = join(dir, "ai-system.yaml");
    const y = await readFile(path, "utf8");
    await writeFile(path, y.replace(/ {2}- name: answer-evals[\s\S]*?license: LicenseRef-Internal\n/, ""));
    expect(await dataFindings(dir)).toEqual([["data-undeclared", "evals/answers.jsonl", 1]]);
    await rm(dir, { recursive: true, force: true });
  });

  test("in-house classifier: personal data matches its declared dataset, so no contradiction", async () => {
    expect(await dataFindings(join(examples, "claims-triage"))).toEqual([]);
  });

  describe("a manifest that contradicts the data", () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), "aigate-data-checks-"));
      await cp(join(examples, "claims-triage"), dir, { recursive: true });
      const path = join(dir, "ai-system.yaml");
      let y = await readFile(path, "utf8");
      y = y.replace("trainingDataSensitive: true", "trainingDataSensitive: false").replace("membershipSensitive: true", "membershipSensitive: false");
      y = y.replace("personalData: identifiable\n    retention: P2Y", "personalData: none");
      y = y.replace('paths: ["data/claims/*.csv"]', 'paths: ["data/claims/*.csv", "data/archive/*.parquet"]');
      await writeFile(path, y);
    });
    afterAll(() => rm(dir, { recursive: true, force: true }));

    test("personal data vs personalData: none, the profile contradicted, the empty glob", async () => {
      const found = await dataFindings(dir);
      const ids = found.map((f) => f[0]);
      expect(ids).toEqual(
        expect.arrayContaining(["data-personal-contradicts-manifest", "data-profile-contradicted", "data-dataset-missing-files", "data-retention"]),
      );
      expect(found.filter((f) => f[0] === "data-personal-contradicts-manifest").map((f) => f[1])).toEqual([
        "data/labels/fraud-labels.csv",
        "data/labels/fraud-labels.csv",
      ]);
      const report = JSON.stringify(await run({ root: dir, today: "2026-11-27" }));
      expect(report).not.toContain("anna.jansen@example.net");
    });
  });
});
