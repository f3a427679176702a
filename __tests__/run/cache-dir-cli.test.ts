// `aigate check --cache-dir DIR`: the command line drives the same scan cache as the Action's
// cache-dir input. A second run reads its results from the folder and prints the same report; a
// folder inside the repository is a usage error; an empty value means no cache.
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { cliInProcess } from "../helpers/cli.js";

const EVIL = Buffer.from("cposix\nsystem\n(S'echo pwned'\ntR.", "latin1");

function repo(): string {
  const root = mkdtempSync(join(tmpdir(), "aigate-cache-cli-"));
  const files: Record<string, string | Buffer> = {
    "models/evil.pkl": EVIL,
    "src/app.py": 'import torch\nw = torch.load("w.pt")\n',
    "src/plain.py": "def f(x):\n    return x\n",
  };
  for (const [p, data] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), data);
  }
  return root;
}

const check = (root: string, ...more: string[]) => cliInProcess(["check", root, "--format", "json", "--today", "2026-11-27", "--no-config", ...more]);
const withoutTime = (json: string) => json.replace(/"generatedAt": "[^"]*"/, "");

describe("check --cache-dir", () => {
  test("fills the folder, and a rerun from it prints the same report", async () => {
    const root = repo();
    const dir = join(mkdtempSync(join(tmpdir(), "aigate-cache-cli-dir-")), "scan-cache");
    const plain = await check(root);
    const cold = await check(root, "--cache-dir", dir);
    expect(readdirSync(dir).filter((f) => f.endsWith(".json")).length).toBeGreaterThanOrEqual(2);
    const warm = await check(root, "--cache-dir", dir);
    expect(cold.code).toBe(1); // the unsafe pickle fails the gate, cached or not
    expect(warm.code).toBe(1);
    expect(withoutTime(cold.out)).toBe(withoutTime(plain.out));
    expect(withoutTime(warm.out)).toBe(withoutTime(cold.out));
    expect(JSON.parse(warm.out).findings.some((f: { path: string }) => f.path === "models/evil.pkl")).toBe(true);
  });

  test("a folder inside the repository is refused; an empty value is no cache", async () => {
    const root = repo();
    await expect(check(root, "--cache-dir", join(root, ".cache"))).rejects.toThrow(/inside the scanned folder/);
    const none = await check(root, "--cache-dir", "");
    expect(none.code).toBe(1);
    expect(readdirSync(root).sort()).toEqual(["models", "src"]);
  });
});
