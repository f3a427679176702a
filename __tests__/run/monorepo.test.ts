// Several systems in one repository: each manifest governs its folder minus nested systems and
// its ignore globs; manifest errors stay local; fingerprints survive unrelated edits.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { run } from "../../src/run.js";

function repo(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "aigate-mono-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const manifest = (name: string, extra = "") =>
  [`apiVersion: aigate/v1`, `name: ${name}`, `owner: {team: t, contact: t@example.com}`, `profile: {isGenAI: false, trainsOrFinetunes: false}`, extra].join(
    "\n",
  );

test("nested systems govern their own folders; a broken manifest does not stop the others", async () => {
  const root = repo({
    "ai-system.yaml": manifest("platform", 'ignore: ["scratch/**"]'),
    ".env": "X=1",
    "scratch/.env": "X=1",
    "services/chat/ai-system.yaml": manifest("chat"),
    "services/chat/.env": "X=1",
    "services/broken/ai-system.yaml": "apiVersion: aigate/v1\nname: [oops\n",
    "services/broken/.env": "X=1",
  });
  const r = await run({ root, today: "2026-11-27" });
  const secrets = r.findings.filter((f) => f.ruleId === "secrets-file-committed").map((f) => [f.path, f.system]);
  expect(secrets).toEqual(
    expect.arrayContaining([
      [".env", "platform"],
      ["services/chat/.env", "chat"],
      ["services/broken/.env", null], // the broken system's files are still checked
      ["scratch/.env", null], // ignored by the platform system, so governed by none: still checked
    ]),
  );
  expect(secrets).toHaveLength(4);
  expect(r.systems.map((s) => [s.name, s.evaluated])).toEqual([
    ["platform", true],
    ["chat", true],
    ["services/broken/ai-system.yaml", false],
  ]);
  expect(r.findings.filter((f) => f.path === "services/broken/ai-system.yaml").map((f) => f.ruleId)).toEqual(["manifest-not-evaluated", "manifest-yaml"]);
});

test("two manifests in one folder: the second is an error and is not read", async () => {
  const root = repo({ "ai-system.yaml": manifest("a"), "ai-system.yml": manifest("b") });
  const r = await run({ root, today: "2026-11-27" });
  expect(r.findings.filter((f) => f.ruleId === "manifest-duplicate-folder").map((f) => f.path)).toEqual(["ai-system.yml"]);
  expect(r.systems.map((s) => s.name)).toEqual(["a"]);
});

test("the same system name twice is an error on the second manifest", async () => {
  const root = repo({ "a/ai-system.yaml": manifest("same"), "b/ai-system.yaml": manifest("same") });
  const r = await run({ root, today: "2026-11-27" });
  expect(r.findings.find((f) => f.ruleId === "manifest-schema")).toMatchObject({
    path: "b/ai-system.yaml",
    line: 2,
    message: 'system name "same" is already used by a/ai-system.yaml',
  });
});

test("fingerprints do not change when lines move or messages are reworded", async () => {
  const before = await run({
    root: repo({ "ai-system.yaml": manifest("fp", "tools:\n  - {name: sh, privileges: [execute], humanApproval: never}") }),
    today: "2026-11-27",
  });
  const after = await run({
    root: repo({
      "ai-system.yaml":
        "# a comment that moves every line\n\n" +
        manifest("fp", "description: now described\ntools:\n  - {name: sh, privileges: [execute], humanApproval: never}"),
    }),
    today: "2026-11-27",
  });
  const fp = (r: typeof before) => r.findings.find((f) => f.ruleId === "tool-write-without-approval")!;
  expect(fp(after).line).not.toBe(fp(before).line);
  expect(fp(after).fingerprint).toBe(fp(before).fingerprint);
});

test(".gitignore'd files are not part of the inventory", async () => {
  const root = repo({
    ".gitignore": "secret-stuff/\n*.log\n",
    "ai-system.yaml": manifest("gi"),
    "secret-stuff/.env": "X=1",
    "debug.log": "x",
    "keep.txt": "x",
  });
  const r = await run({ root, today: "2026-11-27" });
  expect(r.findings.some((f) => f.path.startsWith("secret-stuff/"))).toBe(false);
  expect(r.inventory.files).toBe(3); // .gitignore, ai-system.yaml, keep.txt
});
