// Data flow across files (src/inventory/scanners/code/cross-file.ts): a function one module
// defines returns a model answer, or passes its parameter to a sink, and another module imports
// and calls it. Found where the value is passed (or at the sink its result reaches), with the
// source's and the sink's places in the message.
import { RuleTester } from "../../src/policy/rule-tester.js";
import { LLM_APP, manifest } from "./helpers.js";

const tester = new RuleTester();
const llm = manifest(LLM_APP);
const py = (...lines: string[]) => lines.join("\n") + "\n";

const MODEL = py("from openai import OpenAI", "client = OpenAI()", "def ask(question):", '    r = client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": question}])', "    return r.choices[0].message.content");
const SHELL = py("import os", "def run(command):", "    os.system(command)", "def show(text):", "    print(text)");

tester.run("code-model-output-to-sink", {
  valid: [
    { name: "a constant passed to the shell helper", files: { "ai-system.yaml": llm, "pkg/__init__.py": "", "pkg/llm.py": MODEL, "pkg/shell.py": SHELL, "pkg/app.py": py("from .llm import ask", "from .shell import run", "run('ls -l')") } },
    { name: "the answer passed to a helper that only prints", files: { "ai-system.yaml": llm, "pkg/__init__.py": "", "pkg/llm.py": MODEL, "pkg/shell.py": SHELL, "pkg/app.py": py("from .llm import ask", "from .shell import show", "show(ask('hi'))") } },
  ],
  invalid: [
    {
      name: "an imported model call's answer passed to an imported shell helper",
      files: { "ai-system.yaml": llm, "pkg/__init__.py": "", "pkg/llm.py": MODEL, "pkg/shell.py": SHELL, "pkg/app.py": py("from .llm import ask", "from .shell import run", "answer = ask('which command?')", "run(answer)") },
      findings: [{ path: "pkg/app.py", line: 4, column: 1, message: "the model answer (openai.OpenAI().chat.completions.create() at pkg/llm.py:4) is passed to pkg.shell.run at pkg/app.py:4, which runs it as a command (os.system at pkg/shell.py:3)" }],
    },
    {
      name: "a module imported with an alias; the answer reaches a sink of the caller's own",
      files: { "ai-system.yaml": llm, "pkg/__init__.py": "", "pkg/llm.py": MODEL, "main.py": py("import subprocess", "import pkg.llm as m", "subprocess.run(m.ask('cmd'), shell=True)") },
      findings: [{ path: "main.py", line: 3, column: 1, message: "the model answer (openai.OpenAI().chat.completions.create() at pkg/llm.py:4) reaches subprocess.run at main.py:3" }],
    },
    {
      name: "a method inherited from a base class in another module, through a helper's parameter and a loop",
      files: {
        "ai-system.yaml": llm,
        "bot/__init__.py": "",
        "bot/base.py": py("from openai import OpenAI", "class Base:", "    def answer(self, q):", '        r = OpenAI().chat.completions.create(model="gpt-4o", messages=[])', "        return r.choices[0].message.content"),
        "bot/util.py": py("import subprocess", "def execute(cmd):", "    helper(cmd)", "def helper(c):", "    subprocess.Popen(c, shell=True)"),
        "bot/child.py": py("from .base import Base", "from .util import execute", "class Child(Base):", "    def loop(self):", "        last = ''", "        while True:", "            execute(last)", "            last = super().answer('next?')"),
      },
      findings: [{ path: "bot/child.py", line: 7, column: 13, message: "is passed to bot.util.execute at bot/child.py:7, which runs it as a command (subprocess.Popen at bot/util.py:5)" }],
    },
  ],
});

const JS_MODEL = ["import OpenAI from \"openai\";", "const client = new OpenAI();", "export async function complete(prompt) {", '  const r = await client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: prompt }] });', "  return r.choices[0].message.content;", "}"].join("\n") + "\n";

tester.run("code-model-output-to-sink", {
  valid: [{ name: "JS: the answer rendered as text", files: { "ai-system.yaml": llm, "lib/llm.ts": JS_MODEL, "lib/view.ts": ["export function show(el, text) {", "  el.textContent = text;", "}"].join("\n") + "\n", "app/page.ts": ["import { complete } from \"../lib/llm\";", "import { show } from \"@/lib/view\";", "export async function render(el) {", "  show(el, await complete(\"hi\"));", "}"].join("\n") + "\n" } }],
  invalid: [
    {
      name: "JS: an imported completion passed to an imported helper that writes innerHTML",
      files: {
        "ai-system.yaml": llm,
        "lib/llm.ts": JS_MODEL,
        "lib/view.ts": ["export function show(el, html) {", "  el.innerHTML = html;", "}"].join("\n") + "\n",
        "app/page.ts": ["import { complete } from \"../lib/llm\";", "import { show } from \"@/lib/view\";", "export async function render(el) {", "  const answer = await complete(\"hi\");", "  show(el, answer);", "}"].join("\n") + "\n",
      },
      findings: [{ path: "app/page.ts", line: 5, column: 3, message: "the model answer (openai().chat.completions.create() at lib/llm.ts:4) is passed to @/lib/view.show at app/page.ts:5, which renders it as HTML (innerHTML at lib/view.ts:2)" }],
    },
  ],
});
