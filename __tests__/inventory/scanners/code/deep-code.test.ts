// Generated code the analyzers must read linearly and without recursion: long chained assignments,
// long attribute and call chains, deeply nested calls and long binary expressions. Each case
// asserts what is found (not how long it took); a file given up on is unscanned with a plain reason.
import { analyzeJs } from "../../../../src/inventory/scanners/code/js/index.js";
import { analyzePython } from "../../../../src/inventory/scanners/code/python/index.js";
import type { FileAnalysis } from "../../../../src/inventory/scanners/code/model.js";
import { parseSource, type LanguageId } from "../../../../src/inventory/scanners/code/parser.js";
import { AnalysisGaveUp, SubtreeSearch } from "../../../../src/inventory/scanners/code/tree-walk.js";

async function analyse(lang: LanguageId, source: string): Promise<FileAnalysis> {
  const tree = await parseSource(lang, source);
  expect(tree).toBeDefined();
  try {
    return lang === "python" ? analyzePython(tree!, source) : analyzeJs(tree!, source);
  } finally {
    tree!.delete();
  }
}

const sinks = (a: FileAnalysis) => a.hits.filter((h) => h.kind === "code.output-to-sink").map((h) => `${h.row + 1}:${h.data!["source"]}->${h.data!["sink"]}`);

const PY_HEAD = "import os\nimport openai\nclient = openai.OpenAI()\n";
const PY_LLM = "client.chat.completions.create(model='m', messages=[])";

describe("python: chained assignments", () => {
  it("a 6,000-link chain taints every target once", async () => {
    const src = `${PY_HEAD}m = ${"t = ".repeat(6000)}${PY_LLM}\nos.system(m)\nos.system(t)\n`;
    const a = await analyse("python", src);
    expect(sinks(a)).toEqual(["5:openai.OpenAI().chat.completions.create->os.system", "6:openai.OpenAI().chat.completions.create->os.system"]);
  });

  it("a 96 KB file of chains is read whole: the chain after them still reaches its sink", async () => {
    let src = PY_HEAD;
    while (src.length < 96 * 1024) src += `m = ${"t = ".repeat(200)}x\n`;
    const line = src.split("\n").length;
    src += `reply = ${"a = ".repeat(200)}${PY_LLM}\nos.system(a)\nos.system(m)\n`;
    const a = await analyse("python", src);
    expect(sinks(a)).toEqual([`${line + 1}:openai.OpenAI().chat.completions.create->os.system`]);
  });

  it("a chain gives every target the value's type, not the next target's", async () => {
    const a = await analyse("python", `${PY_HEAD}c = d = openai.OpenAI()\nr = c.chat.completions.create(model='m')\nexec(r)\n`);
    expect(sinks(a)).toEqual(["6:openai.OpenAI().chat.completions.create->exec"]);
    expect(a.evidence.some((e) => e.fact === "isLLM" && e.row === 4)).toBe(true);
  });
});

describe("python: deep expressions", () => {
  it("a 6,000-link attribute chain, a 6,000-call chain and a 6,000-term sum", async () => {
    const src = `${PY_HEAD}x = a${".b".repeat(6000)}\ny = a${".b()".repeat(6000)}\nz = a${" + a".repeat(6000)}\nr = ${PY_LLM}\nos.system(r)\n`;
    const a = await analyse("python", src);
    expect(sinks(a)).toEqual(["8:openai.OpenAI().chat.completions.create->os.system"]);
  });

  it("2,000 nested sink calls around a model call: each is reported", async () => {
    const src = `${PY_HEAD}${"exec(".repeat(2000)}${PY_LLM}${")".repeat(2000)}\n`;
    const a = await analyse("python", src);
    expect(sinks(a)).toHaveLength(2000);
  });
});

const JS_HEAD = 'import OpenAI from "openai";\nconst client = new OpenAI();\nlet m, t, a;\n';
const JS_LLM = 'client.chat.completions.create({ model: "m" })';

describe("javascript: the same shapes", () => {
  it("a 6,000-link chain and deep expressions", async () => {
    const src = `${JS_HEAD}m = ${"t = ".repeat(6000)}${JS_LLM};\neval(t);\nconst x = a${".b".repeat(6000)};\nconst y = a${".b()".repeat(6000)};\nconst z = a${" + a".repeat(6000)};\neval(m);\n`;
    const a = await analyse("javascript", src);
    expect(sinks(a)).toEqual(["5:openai().chat.completions.create->eval", "9:openai().chat.completions.create->eval"]);
  });

  it("a chain that ends in innerHTML is reported at that assignment", async () => {
    const a = await analyse("javascript", `${JS_HEAD}m = el.innerHTML = ${JS_LLM};\n`);
    expect(a.hits.filter((h) => h.kind === "code.output-to-sink").map((h) => `${h.row + 1}:${h.column + 1}:${h.data!["sink"]}`)).toEqual(["4:5:innerHTML"]);
  });
});

describe("a search past its budget", () => {
  it("stops with a plain reason that the scanner reports as the file's unscanned reason", async () => {
    const src = `${PY_HEAD}x = ${"f(".repeat(500)}1${")".repeat(500)}\n`;
    const tree = (await parseSource("python", src))!;
    try {
      const search = new SubtreeSearch(() => undefined, 100);
      expect(() => search.find(tree.rootNode)).toThrow(AnalysisGaveUp);
      expect(() => new SubtreeSearch(() => undefined, 100).find(tree.rootNode)).toThrow(/^the data-flow analysis gave up after 100 steps/);
      // Within budget, every node is read once however often it is asked about.
      const counted = new SubtreeSearch(() => undefined, tree.rootNode.descendantCount + 1);
      for (let i = 0; i < 50; i++) expect(counted.find(tree.rootNode)).toBeUndefined();
    } finally {
      tree.delete();
    }
  });
});
