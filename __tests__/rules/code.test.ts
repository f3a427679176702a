// Rules on the code scanner's observations and the checks that compare code with the manifest
// (policies/builtin/code.yaml): unsafe loaders, remote code, unpinned downloads, model output in
// sinks, tools, secrets, profile evidence, suppressions and notebooks that cannot be read.
import { RuleTester } from "../../src/policy/rule-tester.js";
import { LLM_APP, manifest, TRAINED } from "./helpers.js";

const tester = new RuleTester();
const llm = manifest(LLM_APP);
const py = (...lines: string[]) => lines.join("\n") + "\n";

tester.run("code-unsafe-model-load", {
  valid: [
    {
      name: "weights_only=True and numpy without pickles",
      files: {
        "ai-system.yaml": llm,
        "load.py": py("import torch", "import numpy as np", 'state = torch.load("m.pt", weights_only=True)', 'arr = np.load("a.npy")'),
      },
    },
  ],
  invalid: [
    {
      files: {
        "ai-system.yaml": llm,
        "load.py": py("import pickle", "import torch", 'model = torch.load("model.pt")', 'with open("x.pkl", "rb") as f:', "    obj = pickle.load(f)"),
      },
      findings: [
        {
          path: "load.py",
          line: 3,
          column: 9,
          message: "torch.load() runs without weights_only=True, so it unpickles arbitrary objects: a crafted file runs code when it is loaded",
        },
        { path: "load.py", line: 5, column: 11, message: "pickle.load() deserialises with pickle" },
      ],
    },
    {
      name: "a suppression with a reason: reported as suppressed",
      files: {
        "ai-system.yaml": llm,
        "load.py": py("import pickle", "ok = pickle.loads(blob)  # aigate: ignore[code-unsafe-model-load] produced by our signed pipeline"),
      },
      findings: [{ path: "load.py", line: 2, column: 6, status: "suppressed", message: "pickle.loads() deserialises with pickle" }],
    },
  ],
});

tester.run("code-torch-load-old-torch", {
  valid: [
    {
      name: "torch 2.6.0 pinned",
      files: { "ai-system.yaml": llm, "requirements.txt": "torch==2.6.0\n", "load.py": py("import torch", 'state = torch.load("m.pt", weights_only=True)') },
    },
  ],
  invalid: [
    {
      files: { "ai-system.yaml": llm, "requirements.txt": "torch==2.5.1\n", "load.py": py("import torch", 'state = torch.load("m.pt", weights_only=True)') },
      findings: [
        { path: "load.py", line: 2, column: 9, message: "torch.load(weights_only=True) is not a safe loader with torch 2.5.1 (pinned at requirements.txt:1)" },
      ],
    },
  ],
});

tester.run("code-trust-remote-code", {
  valid: [
    {
      files: {
        "ai-system.yaml": llm,
        "m.py": py("from transformers import AutoModel", `m = AutoModel.from_pretrained("org/custom", revision="${"3f".repeat(20)}", trust_remote_code=False)`),
      },
    },
  ],
  invalid: [
    {
      files: {
        "ai-system.yaml": llm,
        "m.py": py("from transformers import AutoModel", `m = AutoModel.from_pretrained("org/custom", revision="${"3f".repeat(20)}", trust_remote_code=True)`),
      },
      findings: [
        { path: "m.py", line: 2, column: 98, message: "AutoModel.from_pretrained(trust_remote_code=True) runs Python code downloaded with the model" },
      ],
    },
  ],
});

tester.run("code-unpinned-model-download", {
  valid: [
    {
      name: "a commit hash and a local folder",
      files: {
        "ai-system.yaml": llm,
        "m.py": py(
          "from transformers import AutoModel",
          `a = AutoModel.from_pretrained("org/model", revision="${"3f".repeat(20)}")`,
          'b = AutoModel.from_pretrained("./models/local")',
        ),
      },
    },
  ],
  invalid: [
    {
      files: {
        "ai-system.yaml": llm,
        "m.py": py(
          "from transformers import AutoModel",
          'a = AutoModel.from_pretrained("org/model")',
          'b = AutoModel.from_pretrained("org/model", revision="main")',
        ),
        "web/dl.mjs": py('import { pipeline } from "@huggingface/transformers";', 'const p = await pipeline("sentiment-analysis", "Xenova/bert");'),
      },
      findings: [
        { path: "m.py", line: 2, column: 5, message: 'AutoModel.from_pretrained() downloads "org/model" without revision=' },
        { path: "m.py", line: 3, column: 5, message: 'AutoModel.from_pretrained() downloads "org/model" at revision "main", a movable name' },
        { path: "web/dl.mjs", line: 2, column: 17, message: 'downloads "Xenova/bert" without a commit-hash revision' },
      ],
    },
  ],
});

tester.run("code-model-output-to-sink", {
  valid: [
    {
      name: "printed, not run",
      files: {
        "ai-system.yaml": llm,
        "app.py": py(
          "from openai import OpenAI",
          "client = OpenAI()",
          'resp = client.chat.completions.create(model="gpt-4o", messages=[])',
          "code = resp.choices[0].message.content",
          "print(code)",
        ),
      },
    },
  ],
  invalid: [
    {
      files: {
        "ai-system.yaml": llm,
        "app.py": py(
          "import subprocess",
          "from openai import OpenAI",
          "client = OpenAI()",
          'resp = client.chat.completions.create(model="gpt-4o", messages=[])',
          "code = resp.choices[0].message.content",
          "exec(code)",
          "subprocess.run(code, shell=True)",
        ),
      },
      findings: [
        {
          path: "app.py",
          line: 6,
          column: 1,
          message:
            "model output from openai.OpenAI().chat.completions.create reaches exec() (exec) without encoding or validation: app.py:6 executes the model answer from app.py:4",
        },
        { path: "app.py", line: 7, column: 1, message: "model output from openai.OpenAI().chat.completions.create reaches a subprocess" },
      ],
    },
  ],
});

const AGENT = py(
  "import shutil",
  "from langchain_core.tools import tool",
  "",
  "@tool",
  "def archive_report(path: str) -> str:",
  '    """Moves a report to the archive."""',
  '    shutil.move(path, "/archive")',
  '    return "ok"',
);
const withTools = (...entries: string[]) => manifest(LLM_APP, "tools:", ...entries.map((e) => `  - {${e}}`));
tester.run("code-undeclared-tool", {
  valid: [
    {
      name: "declared with - for _",
      files: { "ai-system.yaml": withTools("name: archive-report, privileges: [write], resources: [archive], humanApproval: on-write"), "agent.py": AGENT },
    },
  ],
  invalid: [
    {
      files: { "ai-system.yaml": llm, "agent.py": AGENT },
      findings: [{ path: "agent.py", line: 5, column: 1, message: 'but the manifest\'s tools[] does not declare "archive_report"' }],
    },
  ],
});

tester.run("code-readonly-tool-writes", {
  valid: [
    {
      name: "declared with write",
      files: { "ai-system.yaml": withTools("name: archive_report, privileges: [write], resources: [archive], humanApproval: on-write"), "agent.py": AGENT },
    },
  ],
  invalid: [
    {
      files: { "ai-system.yaml": withTools("name: archive_report, privileges: [read], humanApproval: never"), "agent.py": AGENT },
      findings: [
        {
          path: "ai-system.yaml",
          line: 6,
          column: 40,
          endLine: 6,
          endColumn: 46,
          message: 'tool "archive_report" is declared with privileges [read], but its code writes: agent.py:5 (shutil.move() at line 7)',
        },
      ],
    },
  ],
});

tester.run("code-ai-service-secret", {
  valid: [
    {
      name: "read from the environment",
      files: { "ai-system.yaml": llm, "app.py": py("import os", "from openai import OpenAI", 'client = OpenAI(api_key=os.environ["OPENAI_API_KEY"])') },
    },
  ],
  invalid: [
    {
      files: {
        "ai-system.yaml": llm,
        "app.py": py("from openai import OpenAI", 'HF_TOKEN = "hf_AbCdEfGhIjKlMnOpQrStUvWxYz01234567"'),
        ".env.example": "HF_TOKEN=hf_AbCdEfGhIjKlMnOpQrStUvWxYz01234567\n",
      },
      findings: [
        {
          path: ".env.example",
          line: 1,
          column: 10,
          message: "Hugging Face secret committed to the repository: hf_…(37 chars); anyone who can read the repository or its history can use it",
        },
        {
          path: "app.py",
          line: 2,
          column: 12,
          message: "Hugging Face secret committed to the repository: hf_…(37 chars); anyone who can read the repository or its history can use it",
        },
      ],
    },
  ],
});

const TRAINER = py(
  "from transformers import AutoModelForSequenceClassification, Trainer",
  'model = AutoModelForSequenceClassification.from_pretrained("org/bert")',
  "trainer = Trainer(model=model)",
  "trainer.train()",
);
tester.run("profile-contradicted-by-code", {
  valid: [{ name: "the profile says it trains", files: { "ai-system.yaml": manifest(TRAINED), "train.py": TRAINER } }],
  invalid: [
    {
      files: { "ai-system.yaml": manifest(LLM_APP), "train.py": TRAINER },
      findings: [
        {
          path: "ai-system.yaml",
          line: 4,
          column: 58,
          endLine: 4,
          endColumn: 63,
          message: "profile.trainsOrFinetunes is false, but train.py:3:11 calls transformers.Trainer",
        },
      ],
    },
  ],
});

const CHAT = py("from openai import OpenAI", "client = OpenAI()", 'resp = client.chat.completions.create(model="gpt-4o", messages=[])');
tester.run("profile-fact-inferred-from-code", {
  valid: [{ name: "every fact the code shows is stated", files: { "ai-system.yaml": llm, "app.py": CHAT } }],
  invalid: [
    {
      files: { "ai-system.yaml": manifest("profile: {isGenAI: true, isLLM: true, trainsOrFinetunes: false}"), "app.py": CHAT },
      findings: [
        {
          path: "ai-system.yaml",
          line: 4,
          column: 1,
          endLine: 4,
          endColumn: 8,
          message: "profile.modelHostedExternally is not stated; the code says true: app.py:3:8",
        },
      ],
    },
  ],
});

tester.run("code-suppression-without-reason", {
  valid: [
    {
      files: {
        "ai-system.yaml": llm,
        "load.py": py("import pickle", "ok = pickle.loads(blob)  # aigate: ignore[code-unsafe-model-load] produced by our signed pipeline"),
      },
    },
  ],
  invalid: [
    {
      files: {
        "ai-system.yaml": llm,
        "load.py": py("import pickle", "ok = pickle.loads(blob)  # aigate: ignore[code-unsafe-model-load]", "# aigate: ignore[]  because"),
      },
      findings: [
        { path: "load.py", line: 2, column: 26, message: "inline suppression without a reason: it suppresses nothing until it names the rule and says why" },
        { path: "load.py", line: 3, column: 1, message: "suppression without a rule id" },
      ],
    },
  ],
});

tester.run("code-file-malformed", {
  valid: [
    {
      files: {
        "ai-system.yaml": llm,
        "nb.ipynb": JSON.stringify({ cells: [{ cell_type: "code", source: ["import torch\n"] }], metadata: {}, nbformat: 4, nbformat_minor: 5 }),
      },
    },
  ],
  invalid: [
    {
      files: { "ai-system.yaml": llm, "nb.ipynb": '{"cells": [{"cell_type": "code", "source": ["import torch\\n"' },
      findings: [{ path: "nb.ipynb", line: 1, column: 61, message: "nb.ipynb could not be read (invalid notebook JSON); its code cells were not scanned" }],
    },
  ],
});
