// Identical committed files are scanned once (keyed by git's blob id): many copies of one slow file
// cost one scan, and every copy is still reported under its own path. A copy edited in the work
// tree has no blob id and is scanned on its own.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { scanContext } from "../../../../src/inventory/context.js";
import { modelsScanner } from "../../../../src/inventory/scanners/models/index.js";
import { walkRepository } from "../../../../src/inventory/walk.js";

const EVIL = Buffer.from("cposix\nsystem\n(S'echo pwned'\ntR.", "latin1");
const BENIGN = Buffer.from([0x80, 0x02, 0x7d, 0x71, 0x00, 0x2e]);

test("fifty copies of one pickle are read once and reported fifty times; an edited copy is read on its own", async () => {
  const dir = mkdtempSync(join(tmpdir(), "aigate-blobs-"));
  mkdirSync(join(dir, "copies"));
  for (let i = 0; i < 50; i++) writeFileSync(join(dir, "copies", `m${i}.pkl`), EVIL);
  writeFileSync(join(dir, "other.pkl"), BENIGN);
  const git = (...a: string[]) => execFileSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", ...a], { cwd: dir, stdio: "pipe" });
  git("init", "-q");
  git("add", "-A");
  git("commit", "-qm", "models");

  const walk = await walkRepository(dir);
  expect(walk.files.filter((f) => f.oid).length).toBe(51);
  const once = await modelsScanner.scan(scanContext(dir, walk.files, {}));
  expect(once.models).toHaveLength(51);
  expect(
    once
      .models!.filter((m) => m.verdict === "unsafe")
      .map((m) => m.path)
      .sort(),
  ).toEqual(Array.from({ length: 50 }, (_, i) => `copies/m${i}.pkl`).sort());
  expect(once.observations.filter((o) => o.kind === "model.unsafe")).toHaveLength(50);
  const readOnce = (once.facts as Record<string, { bytesRead: number }>).models!.bytesRead;

  // Without blob ids (outside git), each copy is read.
  const plain = await modelsScanner.scan(
    scanContext(
      dir,
      walk.files.map(({ path, size }) => ({ path, size })),
      {},
    ),
  );
  const readEach = (plain.facts as Record<string, { bytesRead: number }>).models!.bytesRead;
  expect(readEach).toBeGreaterThan(readOnce * 10);

  // An edited copy is not the committed blob any more: it has no id and is scanned for itself.
  writeFileSync(join(dir, "copies", "m7.pkl"), BENIGN);
  const edited = await walkRepository(dir);
  expect(edited.files.find((f) => f.path === "copies/m7.pkl")!.oid).toBeUndefined();
  const after = await modelsScanner.scan(scanContext(dir, edited.files, {}));
  expect(after.models!.find((m) => m.path === "copies/m7.pkl")!.verdict).toBe("safe");
  expect(after.models!.filter((m) => m.verdict === "unsafe")).toHaveLength(49);
});
