// The data-flow analysis of one file (python/flow.ts, js/flow.ts): what carries taint (returns,
// parameters of the file's own functions, self.x and module state such as st.session_state,
// containers, f-strings), what stops it (sanitisers, bound SQL parameters, console input), the
// paths named in messages, and long generated files read in one bounded pass each.
import { analyzeJs } from "../../../../src/inventory/scanners/code/js/index.js";
import { analyzePython } from "../../../../src/inventory/scanners/code/python/index.js";
import type { FileAnalysis } from "../../../../src/inventory/scanners/code/model.js";
import { parseSource, type LanguageId } from "../../../../src/inventory/scanners/code/parser.js";

async function analyse(lang: LanguageId, source: string, path?: string): Promise<FileAnalysis> {
  const tree = (await parseSource(lang, source))!;
  try {
    return lang === "python" ? analyzePython(tree, source) : analyzeJs(tree, source, { path });
  } finally {
    tree.delete();
  }
}
const py = (...lines: string[]) => lines.join("\n") + "\n";
const hits = (a: FileAnalysis, kind?: string) => a.hits.filter((h) => !kind || h.kind === kind).map((h) => `${h.row + 1}:${h.kind}`);
const HEAD = ["import os", "import subprocess", "from openai import OpenAI", "client = OpenAI()"];
const LLM = "client.chat.completions.create(model='m', messages=[])";

describe("python", () => {
  test("a function that returns the model's answer is a source wherever it is called", async () => {
    const a = await analyse(
      "python",
      py(
        ...HEAD,
        "def ask(q):",
        `    r = ${LLM}`,
        "    return r.choices[0].message.content",
        "def main():",
        "    cmd = ask('list files')",
        "    os.system(cmd)",
      ),
    );
    expect(hits(a, "code.output-to-sink")).toEqual(["10:code.output-to-sink"]);
    expect(a.hits[0]!.message).toContain("{at:9} runs the model answer from {at:5} as a command");
  });

  test("taint goes into the file's functions through their parameters, positional and keyword", async () => {
    const a = await analyse(
      "python",
      py(
        ...HEAD,
        "def run(cmd, shell=True):",
        "    subprocess.run(cmd, shell=shell)",
        "def other(x, text=''):",
        "    os.system(text)",
        `answer = ${LLM}`,
        "run(answer)",
        "other(1, text=answer)",
      ),
    );
    expect(hits(a, "code.output-to-sink")).toEqual(["6:code.output-to-sink", "8:code.output-to-sink"]);
  });

  test("self.x set in one method reaches a sink in another; st.session_state crosses functions", async () => {
    const cls = await analyse(
      "python",
      py(...HEAD, "class Bot:", "    def think(self):", `        self.plan = ${LLM}`, "    def act(self):", "        os.system(self.plan)"),
    );
    expect(hits(cls, "code.output-to-sink")).toEqual(["9:code.output-to-sink"]);
    const st = await analyse(
      "python",
      py(
        "import streamlit as st",
        "from openai import OpenAI",
        "client = OpenAI()",
        "def answer():",
        `    st.session_state.reply = ${LLM}`,
        "def show():",
        "    st.markdown(st.session_state.reply, unsafe_allow_html=True)",
        "    st.markdown(st.session_state.reply)",
      ),
    );
    expect(hits(st, "code.output-to-sink")).toEqual(["7:code.output-to-sink"]);
  });

  test("containers, f-strings and loops carry taint; sanitisers and bound SQL parameters stop it", async () => {
    const a = await analyse(
      "python",
      py(
        ...HEAD,
        "import shlex",
        "import sqlite3",
        "conn = sqlite3.connect('x')",
        `r = ${LLM}`,
        "parts = []",
        "parts.append(r)",
        "os.system(' '.join(parts))",
        "os.system(f'echo {r}')",
        "os.system('echo ' + shlex.quote(r))",
        "os.system(str(int(r)))",
        "conn.execute('select ?', (r,))",
        "conn.execute(f'select {r}')",
        "for line in r:",
        "    eval(line)",
      ),
    );
    expect(hits(a, "code.output-to-sink")).toEqual(["11:code.output-to-sink", "12:code.output-to-sink", "16:code.output-to-sink", "18:code.output-to-sink"]);
  });

  test("console input and CLI arguments are the operator's own: not untrusted input for sinks", async () => {
    const a = await analyse("python", py(...HEAD, "import sys", "os.system(input('> '))", "subprocess.run(sys.argv[1:])"));
    expect(hits(a)).not.toContain("6:code.input-to-sink");
    expect(hits(a, "code.input-to-sink")).toEqual([]);
  });

  test("a Flask route's form through a helper into SQL; an authenticated route still reports the sink", async () => {
    const a = await analyse(
      "python",
      py(
        "from flask import Flask, request",
        "from flask_login import login_required",
        "from openai import OpenAI",
        "import sqlite3",
        "app = Flask(__name__)",
        "db = sqlite3.connect('x')",
        "def find(name):",
        "    return db.execute('select * from t where n = ' + name)",
        "@app.route('/f')",
        "@login_required",
        "def f():",
        "    return find(request.args['name'])",
      ),
    );
    expect(hits(a, "code.input-to-sink")).toEqual(["8:code.input-to-sink"]);
  });

  test("model calls fed by a Streamlit user are unbounded, unless the client runs on the user's own key", async () => {
    const app = (key: string) =>
      py(
        "import streamlit as st",
        "from openai import OpenAI",
        `client = OpenAI(api_key=${key})`,
        "q = st.chat_input('Ask')",
        "if q:",
        "    st.write(client.chat.completions.create(model='m', messages=[{'role': 'user', 'content': q}]))",
      );
    expect(hits(await analyse("python", app("st.secrets['OPENAI_API_KEY']")), "code.unbounded-model-calls")).toEqual(["6:code.unbounded-model-calls"]);
    expect(hits(await analyse("python", app("st.sidebar.text_input('OpenAI API key', type='password')")), "code.unbounded-model-calls")).toEqual([]);
    // An agent built around such a client; a chain built from uploaded documents is still the app's.
    const agent = py(
      "import streamlit as st",
      "from langchain_openai import ChatOpenAI",
      "from langchain.agents import initialize_agent",
      "key = st.sidebar.text_input('key', type='password')",
      "q = st.chat_input('Ask')",
      "llm = ChatOpenAI(openai_api_key=key)",
      "agent = initialize_agent([], llm)",
      "st.write(agent.run(q))",
    );
    expect(hits(await analyse("python", agent), "code.unbounded-model-calls")).toEqual([]);
  });

  test("SQL sinks are database calls: a service's own execute() is not one", async () => {
    const a = await analyse(
      "python",
      py(
        ...HEAD,
        "import sqlite3",
        "cur = sqlite3.connect('x').cursor()",
        `r = ${LLM}`,
        "cur.execute('select ' + r)",
        "runner.execute('select ' + r)",
        "self_service.jobs.execute(r)",
      ),
    );
    expect(hits(a, "code.output-to-sink")).toEqual(["8:code.output-to-sink"]);
  });

  test("a 3,000-function chain: each function is read a bounded number of times and every sink is found", async () => {
    let src = py(...HEAD);
    for (let i = 0; i < 3000; i++) src += py(`def f${i}(x):`, "    os.system(x)", `    return f${i + 1}(x)`);
    src += py("def f3000(x):", "    return x", `f0(${LLM})`);
    const a = await analyse("python", src);
    expect(hits(a, "code.output-to-sink")).toHaveLength(3000);
  });
});

describe("javascript / typescript", () => {
  test("an Express route's body into a child process, a middleware with auth does not silence the sink", async () => {
    const src = [
      'import express from "express";',
      'import OpenAI from "openai";',
      'import { exec } from "child_process";',
      "const app = express();",
      'app.post("/run", requireAuth, (req, res) => {',
      "  exec(`tar ${req.body.name}`);",
      "});",
      "function requireAuth(req, res, next) { next(); }",
    ].join("\n");
    const a = await analyse("javascript", src);
    expect(hits(a, "code.input-to-sink")).toEqual(["6:code.input-to-sink"]);
  });

  test("a server action's argument pasted into a prompt; a route handler known by its path", async () => {
    const action = [
      '"use server";',
      'import { ChatOpenAI } from "@langchain/openai";',
      "const llm = new ChatOpenAI({});",
      "export async function summarise(text: string) {",
      "  return llm.invoke(`Summarise for the board: ${text}`);",
      "}",
    ].join("\n");
    const a = await analyse("typescript", action, "app/actions.ts");
    expect(hits(a, "code.input-into-prompt")).toEqual(["5:code.input-into-prompt"]);
    expect(hits(a, "code.unbounded-model-calls")).toEqual(["5:code.unbounded-model-calls"]);
    const route = [
      'import OpenAI from "openai";',
      "const client = new OpenAI();",
      "export async function POST(req: Request) {",
      "  const { q } = await req.json();",
      '  return client.chat.completions.create({ model: "m", messages: [{ role: "user", content: q }] });',
      "}",
    ].join("\n");
    expect(hits(await analyse("typescript", route, "app/api/chat/route.ts"), "code.unbounded-model-calls")).toEqual(["5:code.unbounded-model-calls"]);
    expect(hits(await analyse("typescript", route, "lib/chat.ts"), "code.unbounded-model-calls")).toEqual([]);
  });

  test("a helper's return value and DOMPurify", async () => {
    const src = [
      'import OpenAI from "openai";',
      'import DOMPurify from "dompurify";',
      "const client = new OpenAI();",
      "async function answer(q) {",
      '  const r = await client.chat.completions.create({ model: "m", messages: [] });',
      "  return r.choices[0].message.content;",
      "}",
      "export async function show(el, q) {",
      "  const a = await answer(q);",
      "  el.innerHTML = a;",
      "  el.innerHTML = DOMPurify.sanitize(a);",
      "}",
    ].join("\n");
    const a = await analyse("javascript", src);
    expect(hits(a, "code.output-to-sink")).toEqual(["10:code.output-to-sink"]);
  });
});
