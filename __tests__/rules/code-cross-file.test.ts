// Data flow across files (src/inventory/scanners/code/cross-file.ts): a function one module
// defines returns a model answer, or passes its parameter to a sink, and another module imports
// and calls it. Found where the value is passed (or at the sink its result reaches), with the
// source's and the sink's places in the message.
import { RuleTester } from "../../src/policy/rule-tester.js";
import { LLM_APP, manifest } from "./helpers.js";

const tester = new RuleTester();
const llm = manifest(LLM_APP);
const py = (...lines: string[]) => lines.join("\n") + "\n";

const MODEL = py(
  "from openai import OpenAI",
  "client = OpenAI()",
  "def ask(question):",
  '    r = client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": question}])',
  "    return r.choices[0].message.content",
);
const SHELL = py("import os", "def run(command):", "    os.system(command)", "def show(text):", "    print(text)");

tester.run("code-model-output-to-sink", {
  valid: [
    {
      name: "a constant passed to the shell helper",
      files: {
        "ai-system.yaml": llm,
        "pkg/__init__.py": "",
        "pkg/llm.py": MODEL,
        "pkg/shell.py": SHELL,
        "pkg/app.py": py("from .llm import ask", "from .shell import run", "run('ls -l')"),
      },
    },
    {
      name: "the answer passed to a helper that only prints",
      files: {
        "ai-system.yaml": llm,
        "pkg/__init__.py": "",
        "pkg/llm.py": MODEL,
        "pkg/shell.py": SHELL,
        "pkg/app.py": py("from .llm import ask", "from .shell import show", "show(ask('hi'))"),
      },
    },
  ],
  invalid: [
    {
      name: "an imported model call's answer passed to an imported shell helper",
      files: {
        "ai-system.yaml": llm,
        "pkg/__init__.py": "",
        "pkg/llm.py": MODEL,
        "pkg/shell.py": SHELL,
        "pkg/app.py": py("from .llm import ask", "from .shell import run", "answer = ask('which command?')", "run(answer)"),
      },
      findings: [
        {
          path: "pkg/app.py",
          line: 4,
          column: 1,
          message: "from pkg/llm.py:4, passed to pkg.shell.run at pkg/app.py:4, which runs it as a command (os.system at pkg/shell.py:3)",
        },
      ],
    },
    {
      name: "a module imported with an alias; the answer reaches a sink of the caller's own",
      files: {
        "ai-system.yaml": llm,
        "pkg/__init__.py": "",
        "pkg/llm.py": MODEL,
        "main.py": py("import subprocess", "import pkg.llm as m", "subprocess.run(m.ask('cmd'), shell=True)"),
      },
      findings: [
        {
          path: "main.py",
          line: 3,
          column: 1,
          message:
            "model output from openai.OpenAI().chat.completions.create reaches a shell command (subprocess.run) without encoding or validation: from pkg/llm.py:4, to subprocess.run at main.py:3, which runs it as a command",
        },
      ],
    },
    {
      name: "a method inherited from a base class in another module, through a helper's parameter and a loop",
      files: {
        "ai-system.yaml": llm,
        "bot/__init__.py": "",
        "bot/base.py": py(
          "from openai import OpenAI",
          "class Base:",
          "    def answer(self, q):",
          '        r = OpenAI().chat.completions.create(model="gpt-4o", messages=[])',
          "        return r.choices[0].message.content",
        ),
        "bot/util.py": py("import subprocess", "def execute(cmd):", "    helper(cmd)", "def helper(c):", "    subprocess.Popen(c, shell=True)"),
        "bot/child.py": py(
          "from .base import Base",
          "from .util import execute",
          "class Child(Base):",
          "    def loop(self):",
          "        last = ''",
          "        while True:",
          "            execute(last)",
          "            last = super().answer('next?')",
        ),
      },
      findings: [
        {
          path: "bot/child.py",
          line: 7,
          column: 13,
          message: "passed to bot.util.execute at bot/child.py:7, which runs it as a command (subprocess.Popen at bot/util.py:5)",
        },
      ],
    },
  ],
});

const JS_MODEL =
  [
    'import OpenAI from "openai";',
    "const client = new OpenAI();",
    "export async function complete(prompt) {",
    '  const r = await client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: prompt }] });',
    "  return r.choices[0].message.content;",
    "}",
  ].join("\n") + "\n";

tester.run("code-model-output-to-sink", {
  valid: [
    {
      name: "JS: the answer rendered as text",
      files: {
        "ai-system.yaml": llm,
        "lib/llm.ts": JS_MODEL,
        "lib/view.ts": ["export function show(el, text) {", "  el.textContent = text;", "}"].join("\n") + "\n",
        "app/page.ts":
          [
            'import { complete } from "../lib/llm";',
            'import { show } from "@/lib/view";',
            "export async function render(el) {",
            '  show(el, await complete("hi"));',
            "}",
          ].join("\n") + "\n",
      },
    },
  ],
  invalid: [
    {
      name: "JS: an imported completion passed to an imported helper that writes innerHTML",
      files: {
        "ai-system.yaml": llm,
        "lib/llm.ts": JS_MODEL,
        "lib/view.ts": ["export function show(el, html) {", "  el.innerHTML = html;", "}"].join("\n") + "\n",
        "app/page.ts":
          [
            'import { complete } from "../lib/llm";',
            'import { show } from "@/lib/view";',
            "export async function render(el) {",
            '  const answer = await complete("hi");',
            "  show(el, answer);",
            "}",
          ].join("\n") + "\n",
      },
      findings: [
        {
          path: "app/page.ts",
          line: 5,
          column: 3,
          message:
            "model output from openai().chat.completions.create reaches HTML (innerHTML) without encoding or validation: from lib/llm.ts:4, passed to @/lib/view.show at app/page.ts:5, which renders it as HTML (innerHTML at lib/view.ts:2)",
        },
      ],
    },
  ],
});

// What only the whole repository shows: a limiter the app sets up in another module; a cap on
// tokens for authenticated users; input typed by the person running a CLI.
const ROUTE = py(
  "from flask import Blueprint, request",
  "from openai import OpenAI",
  "bp = Blueprint('api', __name__)",
  "client = OpenAI()",
  "@bp.post('/ask')",
  "def ask():",
  "    q = request.json['q']",
  "    return client.chat.completions.create(model='m', messages=[{'role': 'user', 'content': q}])",
);
tester.run("code-unbounded-model-calls", {
  valid: [
    {
      name: "a limiter with default limits set up for the app in the package's __init__",
      files: {
        "ai-system.yaml": llm,
        "web/__init__.py": py(
          "from flask import Flask",
          "from flask_limiter import Limiter",
          "from flask_limiter.util import get_remote_address",
          "app = Flask(__name__)",
          "limiter = Limiter(get_remote_address, app=app, default_limits=['60 per minute'])",
        ),
        "web/routes.py": ROUTE,
      },
    },
    {
      name: "an authenticated route whose client caps the tokens of a call",
      files: {
        "ai-system.yaml": llm,
        "api.py": py(
          "from fastapi import FastAPI, Depends",
          "from openai import OpenAI",
          "from .auth import require_user",
          "app = FastAPI()",
          "client = OpenAI()",
          "@app.post('/ask')",
          "def ask(q: str, user=Depends(require_user)):",
          "    return client.chat.completions.create(model='m', max_tokens=300, messages=[{'role': 'user', 'content': q}])",
        ),
      },
    },
  ],
  invalid: [
    {
      name: "the limiter is imported in another module but never set up for the app",
      files: {
        "ai-system.yaml": llm,
        "web/__init__.py": py("from flask import Flask", "from flask_limiter import Limiter", "app = Flask(__name__)"),
        "web/routes.py": ROUTE,
      },
      findings: [
        {
          path: "web/routes.py",
          line: 8,
          column: 12,
          message:
            "flask entry point ask calls the model (openai.OpenAI().chat.completions.create) with the request body from web/routes.py:7, and nothing limits how often (no rat",
        },
      ],
    },
  ],
});

tester.run("code-untrusted-input-into-prompt", {
  valid: [
    {
      name: "a CLI's own argument in its prompt",
      files: {
        "ai-system.yaml": llm,
        "cli.py": py(
          "import sys",
          "from openai import OpenAI",
          "client = OpenAI()",
          "client.chat.completions.create(model='m', messages=[{'role': 'user', 'content': f'Summarise {sys.argv[1]}'}])",
        ),
      },
    },
  ],
  invalid: [
    {
      files: {
        "ai-system.yaml": llm,
        "app.py": py(
          "import streamlit as st",
          "from openai import OpenAI",
          "client = OpenAI()",
          "doc = st.file_uploader('doc').read().decode()",
          "client.chat.completions.create(model='m', messages=[{'role': 'user', 'content': f'Summarise: {doc}'}])",
        ),
      },
      findings: [{ path: "app.py", line: 5, column: 1, message: "an uploaded file (streamlit.file_uploader) from app.py:4 is pasted into the prompt" }],
    },
  ],
});

tester.run("code-unpinned-model-download", {
  valid: [
    {
      name: "from_pretrained of the repository's own tokenizer class",
      files: {
        "ai-system.yaml": llm,
        "pkg/__init__.py": "",
        "pkg/tok.py": py("class Tok:", "    @classmethod", "    def from_pretrained(cls, name):", "        return cls()"),
        "pkg/use.py": py("from transformers import AutoConfig", "from pkg.tok import Tok", "t = Tok.from_pretrained('local')"),
      },
    },
  ],
  invalid: [
    {
      files: {
        "ai-system.yaml": llm,
        "pkg/__init__.py": "",
        "pkg/use.py": py("from transformers import AutoTokenizer", "t = AutoTokenizer.from_pretrained('org/model')"),
      },
      findings: [{ path: "pkg/use.py", line: 2, column: 5, message: 'transformers.AutoTokenizer.from_pretrained() downloads "org/model"' }],
    },
  ],
});

const RUNNER = py("import subprocess", "def build(target):", "    subprocess.run('make ' + target, shell=True)");
tester.run("code-untrusted-input-to-sink", {
  valid: [
    {
      name: "a request parameter checked against a list before the helper",
      files: {
        "ai-system.yaml": llm,
        "svc/__init__.py": "",
        "svc/runner.py": RUNNER,
        "svc/api.py": py(
          "from flask import Flask, request",
          "from openai import OpenAI",
          "from .runner import build",
          "app = Flask(__name__)",
          "@app.post('/build')",
          "def route():",
          "    build('all')",
        ),
      },
    },
  ],
  invalid: [
    {
      name: "a request parameter handed to a helper in another module that runs a shell",
      files: {
        "ai-system.yaml": llm,
        "svc/__init__.py": "",
        "svc/runner.py": RUNNER,
        "svc/api.py": py(
          "from flask import Flask, request",
          "from openai import OpenAI",
          "from .runner import build",
          "app = Flask(__name__)",
          "@app.post('/build')",
          "def route():",
          "    build(request.json['target'])",
        ),
      },
      findings: [
        {
          path: "svc/api.py",
          line: 7,
          column: 5,
          message: "passed to svc.runner.build at svc/api.py:7, which runs it as a command (subprocess.run at svc/runner.py:3)",
        },
      ],
    },
  ],
});

tester.run("code-tool-runs-model-input", {
  valid: [
    {
      name: "a tool that hands its argument to a helper that only logs it",
      files: {
        "ai-system.yaml": llm,
        "agent/__init__.py": "",
        "agent/log.py": py("import logging", "def note(text):", "    logging.info(text)"),
        "agent/tools.py": py(
          "from langchain_core.tools import tool",
          "from .log import note",
          "@tool",
          "def remember(text: str) -> str:",
          '    """Remember a note."""',
          "    note(text)",
          "    return 'ok'",
        ),
      },
    },
  ],
  invalid: [
    {
      name: "a tool that hands the model's argument to a helper in another module that runs a shell",
      files: {
        "ai-system.yaml": llm,
        "agent/__init__.py": "",
        "agent/shell.py": py("import os", "def run(cmd):", "    os.system(cmd)"),
        "agent/tools.py": py(
          "from langchain_core.tools import tool",
          "from .shell import run",
          "@tool",
          "def terminal(command: str) -> str:",
          '    """Run a command."""',
          "    run(command)",
          "    return 'ok'",
        ),
      },
      findings: [
        {
          path: "agent/tools.py",
          line: 6,
          column: 5,
          message: "passed to agent.shell.run at agent/tools.py:6, which runs it as a command (os.system at agent/shell.py:3)",
        },
      ],
    },
  ],
});

tester.run("code-model-output-to-sink", {
  valid: [
    {
      name: "CommonJS: the answer logged",
      files: {
        "ai-system.yaml": llm,
        "src/llm.js":
          [
            'const OpenAI = require("openai");',
            "const client = new OpenAI();",
            "async function complete(prompt) {",
            '  const r = await client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: prompt }] });',
            "  return r.choices[0].message.content;",
            "}",
            "module.exports = { complete };",
          ].join("\n") + "\n",
        "src/cli.js": ['const { complete } = require("./llm");', 'complete("hi").then((a) => console.log(a));'].join("\n") + "\n",
      },
    },
  ],
  invalid: [
    {
      name: "CommonJS: an answer from a required module run with child_process",
      files: {
        "ai-system.yaml": llm,
        "src/llm.js":
          [
            'const OpenAI = require("openai");',
            "const client = new OpenAI();",
            "async function complete(prompt) {",
            '  const r = await client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: prompt }] });',
            "  return r.choices[0].message.content;",
            "}",
            "module.exports = { complete };",
          ].join("\n") + "\n",
        "src/run.js":
          [
            'const { execSync } = require("child_process");',
            'const { complete } = require("./llm");',
            "async function main() {",
            '  const cmd = await complete("which command lists files?");',
            "  execSync(cmd);",
            "}",
          ].join("\n") + "\n",
      },
      findings: [{ path: "src/run.js", line: 5, column: 3, message: "from src/llm.js:4, to child_process.execSync at src/run.js:5" }],
    },
  ],
});
