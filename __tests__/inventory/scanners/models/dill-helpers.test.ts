// dill's helpers that only rebuild builtin types are allowlisted (policies/models/allowlist.json,
// tier dill-builtin-types, each with what the helper does in dill's source): a benign dill pickle
// is safe; the same helpers with arguments that build code or import a module are unsafe, and
// dill's code-building helpers stay unsafe. Streams are assembled byte by byte; nothing is unpickled.
import { walkPickle } from "../../../../src/inventory/scanners/models/pickle/walker.js";
import { BufferReader } from "../../../../src/inventory/scanners/models/reader.js";
import { ModelLists } from "../../../../src/inventory/scanners/models/lists.js";
import { RuleTester } from "../../../../src/policy/rule-tester.js";

const lists = new ModelLists();
const u = (s: string) => Buffer.concat([Buffer.from([0x8c, Buffer.byteLength(s)]), Buffer.from(s)]);
const b = (...parts: (Buffer | number[] | string)[]) =>
  Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "latin1") : Buffer.isBuffer(p) ? p : Buffer.from(p))));
const walk = (data: Buffer) => walkPickle(new BufferReader(data), { lists });
const REDUCE = [0x52];
/** `dill._dill.<helper>(*args)` as dill writes it (protocol 4: STACK_GLOBAL, then the arguments as a tuple, REDUCE). */
const call = (helper: string, ...args: Buffer[]) => b(u("dill._dill"), u(helper), [0x93, 0x28], ...args, [0x74], REDUCE);
/** {key: value, ...} then STOP. */
const dict = (...pairs: [string, Buffer][]) => b([0x80, 4, 0x7d, 0x28], ...pairs.flatMap(([k, v]) => [u(k), v]), [0x75, 0x2e]);

describe("dill helpers", () => {
  test("a benign dill pickle: builtin types, a lock, a cell, a string buffer, a __main__ namedtuple", async () => {
    const r = await walk(
      dict(
        ["dtype", call("_load_type", u("float"))],
        ["none", call("_load_type", u("NoneType"))],
        ["lock", call("_create_lock", b([0x89]))],
        ["cell", call("_create_cell", b([0x4b, 7]))],
        ["buf", call("_create_stringi", u("text"), b([0x4b, 0]), b([0x89]))],
        ["point", call("_create_namedtuple", u("Point"), b([0x28], u("x"), u("y"), [0x74]), u("__main__"))],
      ),
    );
    expect(r.stopped).toBe(true);
    expect(r.issues).toEqual([]);
    expect(new Set(r.globals.map((g) => `${g.resolved} ${g.verdict}`))).toEqual(
      new Set([
        "dill._dill._load_type safe",
        "dill._dill._create_lock safe",
        "dill._dill._create_cell safe",
        "dill._dill._create_stringi safe",
        "dill._dill._create_namedtuple safe",
      ]),
    );
  });

  test("_load_type of a type that turns data into code is unsafe", async () => {
    const r = await walk(dict(["code", call("_load_type", u("CodeType"))], ["fn", call("_load_type", u("FunctionType"))]));
    expect(r.issues.map((i) => [i.verdict, i.code, i.message])).toEqual([
      ["unsafe", "call-arguments", 'dill._dill._load_type("CodeType"): argument 1 is not one it is allowlisted for'],
      ["unsafe", "call-arguments", 'dill._dill._load_type("FunctionType"): argument 1 is not one it is allowlisted for'],
    ]);
  });

  test("_load_type with a name that is not a constant, or extra arguments, is unsafe", async () => {
    const r = await walk(dict(["a", call("_load_type", b([0x4b, 1]))], ["b", call("_load_type", u("int"), u("int"))]));
    expect(r.issues.map((i) => i.code)).toEqual(["call-arguments", "call-arguments"]);
  });

  test("a namedtuple of another module would import it: unsafe", async () => {
    const r = await walk(dict(["p", call("_create_namedtuple", u("P"), b([0x28], u("x"), [0x74]), u("antigravity"))]));
    expect(r.issues.map((i) => [i.verdict, i.code])).toEqual([["unsafe", "call-arguments"]]);
  });

  test("dill's code-building, file-opening and calling helpers stay unsafe", async () => {
    for (const helper of [
      "_create_function",
      "_create_code",
      "_create_type",
      "_create_filehandle",
      "_eval_repr",
      "_import_module",
      "_getattr",
      "_create_array",
    ]) {
      const r = await walk(dict(["x", call(helper, u("a"))]));
      expect([helper, r.globals.map((g) => g.verdict)]).toEqual([helper, ["unsafe"]]);
    }
  });

  test("an organisation's own allowlist entry allows the helper with any argument", async () => {
    const org = new ModelLists({ extra: [{ module: "dill._dill", name: "_load_type", reason: "reviewed" }] });
    const r = await walkPickle(new BufferReader(dict(["code", call("_load_type", u("CodeType"))])), { lists: org });
    expect(r.issues).toEqual([]);
  });
});

const sys =
  "apiVersion: aigate/v1\nname: sys\nowner: {team: t, contact: t@example.com}\nprofile: {isGenAI: false, isLLM: false, trainsOrFinetunes: true, usesRAG: false, trainingDataSensitive: false, membershipSensitive: false, inputSensitive: false, modelIsIP: false, modelHostedExternally: false, untrustedInput: false, hasAgency: false}\n";
new RuleTester().run("model-unsafe", {
  valid: [
    {
      name: "a benign dill pickle",
      files: { "ai-system.yaml": sys, "models/state.pkl": dict(["dtype", call("_load_type", u("float"))], ["lock", call("_create_lock", b([0x89]))]) },
    },
  ],
  invalid: [
    {
      name: "dill rebuilding CodeType",
      files: { "ai-system.yaml": sys, "models/state.pkl": dict(["code", call("_load_type", u("CodeType"))]) },
      findings: [{ path: "models/state.pkl", line: 1, column: 1, message: 'dill._dill._load_type("CodeType")' }],
    },
  ],
});
