// Rules on the code scanner's data flow (src/inventory/scanners/code/python/flow.ts, js/flow.ts):
// untrusted input into sinks, tools that run what the model chooses, callables the model names,
// unauthenticated writes into a retrieval store, model calls without limits, input pasted into
// prompts, and inference UIs exposed without authentication. Each invalid case names the path the
// data takes in its message. The code scanner reads files that use an AI library (its prefilter).
import { RuleTester } from "../../src/policy/rule-tester.js";
import { LLM_APP, manifest } from "./helpers.js";

const tester = new RuleTester();
const llm = manifest(LLM_APP);
const py = (...lines: string[]) => lines.join("\n") + "\n";

tester.run("code-untrusted-input-to-sink", {
  valid: [
    {
      name: "a request parameter checked against a number",
      files: {
        "ai-system.yaml": llm,
        "app.py": py(
          "import subprocess",
          "from flask import Flask, request",
          "app = Flask(__name__)",
          "@app.route('/n')",
          "def n():",
          "    count = int(request.args['count'])",
          "    subprocess.run(['seq', str(count)])",
        ),
      },
    },
    {
      name: "console input to a shell is the person's own terminal",
      files: {
        "ai-system.yaml": llm,
        "cli.py": py(
          "import subprocess",
          "import sys",
          "from openai import OpenAI",
          "cmd = input('command: ')",
          "subprocess.run(cmd, shell=True)",
          "subprocess.run(sys.argv[1], shell=True)",
        ),
      },
    },
  ],
  invalid: [
    {
      name: "a FastAPI parameter through a helper into a shell",
      files: {
        "ai-system.yaml": llm,
        "api.py": py(
          "import os",
          "from fastapi import FastAPI",
          "from openai import OpenAI",
          "app = FastAPI()",
          "def build(name):",
          "    os.system('make ' + name)",
          "@app.get('/build')",
          "def route(name: str):",
          "    build(name)",
        ),
      },
      findings: [{ path: "api.py", line: 6, column: 5, message: "api.py:6 runs the request's name from api.py:8 as a command" }],
    },
  ],
});

tester.run("code-tool-runs-model-input", {
  valid: [
    {
      name: "a tool with a fixed command",
      files: {
        "ai-system.yaml": llm,
        "tools.py": py(
          "import subprocess",
          "from langchain_core.tools import tool",
          "@tool",
          "def disk_usage(path: str) -> str:",
          '    """Disk usage."""',
          "    return subprocess.run(['du', '-sh', '/data'], capture_output=True).stdout",
        ),
      },
    },
  ],
  invalid: [
    {
      files: {
        "ai-system.yaml": llm,
        "tools.py": py(
          "import subprocess",
          "from langchain_core.tools import tool",
          "@tool",
          "def shell(command: str) -> str:",
          '    """Runs a command."""',
          "    return subprocess.run(command, shell=True, capture_output=True).stdout",
        ),
      },
      findings: [
        {
          path: "tools.py",
          line: 6,
          column: 12,
          message: 'the tool "shell" passes the argument the model chooses to a subprocess (subprocess.run): tools.py:6 runs the argument command',
        },
      ],
    },
  ],
});

const DISPATCH = (guard: string) =>
  py(
    "import json",
    "from openai import OpenAI",
    "client = OpenAI()",
    "FUNCTIONS = {'refund': lambda **a: a}",
    "def step(q):",
    "    r = client.chat.completions.create(model='m', messages=[{'role': 'user', 'content': q}], tools=[])",
    "    for call in r.choices[0].message.tool_calls:",
    `        ${guard}FUNCTIONS[call.function.name](**json.loads(call.function.arguments))`,
  );
tester.run("code-tool-dispatch-without-approval", {
  valid: [{ name: "the user confirms first", files: { "ai-system.yaml": llm, "agent.py": DISPATCH("if input('run? ') == 'y': ") } }],
  invalid: [
    {
      files: { "ai-system.yaml": llm, "agent.py": DISPATCH("") },
      findings: [
        {
          path: "agent.py",
          line: 8,
          column: 9,
          message:
            "the code calls the function the model names (FUNCTIONS[call.function.name]), taken from the model answer at agent.py:6, with no approval step before it runs",
        },
      ],
    },
  ],
});

const INGEST = (auth: string) =>
  py(
    "from fastapi import Depends, FastAPI",
    "from langchain_chroma import Chroma",
    "app = FastAPI()",
    "store = Chroma()",
    "def current_user():",
    "    return 'u'",
    "@app.post('/docs')",
    `def add(text: str${auth}):`,
    "    store.add_texts([text])",
  );
tester.run("code-unauthenticated-retrieval-write", {
  valid: [
    { name: "an authenticated route", files: { "ai-system.yaml": llm, "ingest.py": INGEST(", user=Depends(current_user)") } },
    {
      name: "a Next.js middleware guards every route",
      files: {
        "ai-system.yaml": llm,
        "middleware.ts": "export { auth as middleware } from './auth';\n",
        "app/api/ingest/route.ts":
          'import { MemoryVectorStore } from "langchain/vectorstores/memory";\nexport async function POST(req: Request) {\n  const body = await req.json();\n  await MemoryVectorStore.fromTexts([body.text], [{}], undefined as never);\n}\n',
      },
    },
  ],
  invalid: [
    {
      files: { "ai-system.yaml": llm, "ingest.py": INGEST("") },
      findings: [
        {
          path: "ingest.py",
          line: 9,
          column: 5,
          message:
            "fastapi route add (ingest.py:8) has no authentication and writes the request's text into the retrieval store (langchain_chroma.Chroma().add_texts): anyone can p",
        },
      ],
    },
  ],
});

const CHAT = (extra: string) =>
  py(
    extra,
    "import streamlit as st",
    "from openai import OpenAI",
    "client = OpenAI()",
    "q = st.chat_input('Ask')",
    "if q:",
    "    st.write(client.chat.completions.create(model='m', messages=[{'role': 'user', 'content': q}]))",
  );
tester.run("code-unbounded-model-calls", {
  valid: [{ name: "a rate limiter in the file", files: { "ai-system.yaml": llm, "app.py": CHAT("from limits import parse") } }],
  invalid: [
    {
      files: { "ai-system.yaml": llm, "app.py": CHAT("import os") },
      findings: [
        {
          path: "app.py",
          line: 7,
          column: 14,
          message:
            "the Streamlit app calls the model (openai.OpenAI().chat.completions.create) with the user's chat message from app.py:5, and nothing limits how often (no rate li",
        },
      ],
    },
  ],
});

const ASK = (content: string) =>
  py(
    "from flask import Flask, request",
    "from openai import OpenAI",
    "from flask_limiter import Limiter",
    "app = Flask(__name__)",
    "client = OpenAI()",
    "@app.post('/ask')",
    "def ask():",
    "    q = request.json['q']",
    `    return client.chat.completions.create(model='m', messages=[{'role': 'system', 'content': 'Answer briefly.'}, {'role': 'user', 'content': ${content}}])`,
  );
tester.run("code-untrusted-input-into-prompt", {
  valid: [{ name: "the input in its own user message", files: { "ai-system.yaml": llm, "app.py": ASK("q") } }],
  invalid: [
    {
      files: { "ai-system.yaml": llm, "app.py": ASK("f'Customer question: {q}. Ignore anything that asks for refunds.'") },
      findings: [
        {
          path: "app.py",
          line: 9,
          column: 12,
          message:
            "the request body (flask.request.json) from app.py:8 is pasted into the prompt of openai.OpenAI().chat.completions.create(): instructions and untrusted text shar",
        },
      ],
    },
  ],
});

const UI = (launch: string) =>
  py("import gradio as gr", "def reply(message, history):", "    return message", "demo = gr.ChatInterface(reply)", `demo.launch(${launch})`);
tester.run("code-inference-ui-exposed", {
  valid: [
    { name: "local only", files: { "ai-system.yaml": llm, "ui.py": UI("") } },
    { name: "a public link with a password", files: { "ai-system.yaml": llm, "ui.py": UI("share=True, auth=('admin', 'secret-from-env')") } },
  ],
  invalid: [
    {
      files: { "ai-system.yaml": llm, "ui.py": UI('server_name="0.0.0.0", share=True') },
      findings: [{ path: "ui.py", line: 5, column: 6, message: 'gradio.ChatInterface().launch(share=True, server_name="0.0.0.0") serves the Gradio UI' }],
    },
  ],
});
