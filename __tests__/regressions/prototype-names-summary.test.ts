// Found in review of the Python analyzer's split: the data-flow summary a file gives other files
// (src/inventory/scanners/code/summary.ts) kept functions and classes in plain objects by name. A
// top-level `def __proto__(...)` that returns a model answer wrote `returns` onto Object.prototype
// (every object in the scanning process then "returned the model answer"), and `constructor` or
// `toString` found what Object inherits instead of nothing. The records have no prototype now and
// are read through Object.hasOwn, also after a worker or the cache gave them a prototype back.
import { scanCodeFile, codeResult } from "../../src/inventory/scanners/code/scanner.js";
import { functionOf, basesOf } from "../../src/inventory/scanners/code/summary.js";

const PY = `from openai import OpenAI
import subprocess
client = OpenAI()

def __proto__(q):
    return client.chat.completions.create(model="m", messages=[{"role": "user", "content": q}]).choices[0].message.content

def constructor(cmd):
    subprocess.run(cmd, shell=True)

class toString(Base):
    def run(self, cmd):
        subprocess.run(cmd, shell=True)
`;

async function summaryOf(path: string, text: string) {
  const bytes = Buffer.from(text);
  const out = await scanCodeFile({ path, size: bytes.length } as never, async (_p, pos, len) => bytes.subarray(pos, pos + len));
  return out!;
}

afterEach(() => {
  // Nothing a scan does may reach Object.prototype.
  for (const k of ["returns", "sinks", "run"]) expect(Object.hasOwn(Object.prototype, k)).toBe(false);
});

test("functions and classes named after Object.prototype members are summarised as their own", async () => {
  const out = await summaryOf("pkg/agent.py", PY);
  const s = out.summary!;
  expect(functionOf(s, "__proto__")?.returns?.kind).toBe("model");
  expect(functionOf(s, "constructor")?.sinks?.[0]?.sinkKind).toBe("shell");
  expect(basesOf(s, "toString")).toEqual(["Base"]);
  expect(functionOf(s, "hasOwnProperty")).toBeUndefined();
  expect(({} as Record<string, unknown>).returns).toBeUndefined();
});

test("after a round trip through JSON (the cache) no name finds an inherited member", async () => {
  const out = await summaryOf("pkg/agent.py", PY);
  const copy = JSON.parse(JSON.stringify(out)) as typeof out;
  expect(functionOf(copy.summary!, "__proto__")?.returns?.kind).toBe("model");
  expect(functionOf(copy.summary!, "toString")).toBeUndefined();
  expect(functionOf(copy.summary!, "valueOf")).toBeUndefined();
  // Another file calling these names across files is joined without a crash.
  const caller = await summaryOf(
    "pkg/main.py",
    "import subprocess\nfrom pkg.agent import __proto__, constructor, valueOf\nimport sys\nanswer = __proto__(sys.argv[1])\nsubprocess.run(answer, shell=True)\nconstructor(input())\nvalueOf(input())\n",
  );
  expect(() => codeResult([copy, JSON.parse(JSON.stringify(caller))])).not.toThrow();
});
