// The pickle walker (walkPickle) and the stacked-pickle scanner around it (scanPickleStream), on
// one in-memory stream. Both report every problem as an issue or finding: any exception is a bug.
import { walkPickle } from "../../src/inventory/scanners/models/pickle/walker.js";
import { scanPickleStream } from "../../src/inventory/scanners/models/formats/pickle.js";
import { BufferReader } from "../../src/inventory/scanners/models/reader.js";
import { invariant, type TargetMeta } from "../lib/harness.js";
import { checkResult, lists } from "../lib/models.js";

export const meta: TargetMeta = {
  description: "pickle walker and stacked-pickle scanner (walkPickle, scanPickleStream)",
  dict: "pickle",
  seedGlobs: ["__tests__/inventory/scanners/models/fixtures/**/*.{pkl,pickle,joblib}", "__tests__/inventory/scanners/data/fixtures/faiss/**/*.pkl"],
};

export async function fuzz(data: Buffer): Promise<void> {
  const p = await walkPickle(new BufferReader(data), { lists, maxOpcodes: 200_000 });
  for (const g of p.globals)
    invariant(g.offset >= 0 && g.offset <= data.length, `global ${g.resolved} at offset ${g.offset} outside the ${data.length}-byte input`);
  for (const i of p.issues) invariant(i.offset >= 0 && i.offset <= data.length, `issue ${i.code} at offset ${i.offset} outside the ${data.length}-byte input`);
  checkResult(await scanPickleStream(new BufferReader(data), { lists }, "pickle"), "scanPickleStream");
}

/** Hand-made pickles: every protocol header, the import opcodes, a frame, memo traffic. */
export function seeds(): Buffer[] {
  const b = (...parts: (string | number[] | Buffer)[]) =>
    Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "latin1") : Buffer.isBuffer(p) ? p : Buffer.from(p))));
  const u = (s: string) => b([0x8c, s.length], s);
  return [
    b("cos\nsystem\n(S'id'\ntR."),
    b([0x80, 2], "c__builtin__\nset\n", [0x29, 0x52, 0x2e]),
    b([0x80, 4], u("os"), [0x94], u("system"), [0x94, 0x93], u("id"), [0x85, 0x52, 0x2e]),
    b([0x80, 4, 0x95, 12, 0, 0, 0, 0, 0, 0, 0], u("builtins"), [0x2e]),
    b([0x80, 5], "(I1\nI2\nl", [0x71, 0, 0x68, 0, 0x2e]),
    b("(ios\nsystem\nS'id'\n."),
    b([0x80, 2, 0x7d, 0x71, 0, 0x28, 0x58, 1, 0, 0, 0], "a", [0x4b, 1, 0x75, 0x2e]),
  ];
}
