// A small LLM app as a new user's repository looks on day one: an OpenAI agent with a shell tool
// implemented in another file, a JS/TS tool, literal hosted model names, a local pickle model, a
// CSV of support tickets with e-mail addresses and phone numbers, CODEOWNERS, and a sub-folder
// that is its own system. Shared by the init tests and the quick-start walk-through.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/** A pickle (protocol 2) of {"w": [0.1, 0.2]}: a tiny model file the models scanner reads. */
const PICKLE = Buffer.from("80027d710058010000007771015d710228473fb999999999999a473fc999999999999a65732e", "hex");

export const APP_FILES: Record<string, string | Buffer> = {
  "agent/main.py": [
    "from openai import OpenAI",
    "from agent.tools.shell import run_command",
    "",
    "client = OpenAI()",
    "",
    "TOOLS = [",
    '    {"type": "function", "function": {"name": "run_command", "description": "Run a diagnostic command", "parameters": {"type": "object", "properties": {"cmd": {"type": "string"}}}}},',
    "]",
    "",
    "def answer(question: str) -> str:",
    '    r = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": question}], tools=TOOLS)',
    '    return r.choices[0].message.content or ""',
    "",
  ].join("\n"),
  "agent/tools/shell.py": [
    "import subprocess",
    "",
    "def run_command(cmd: str) -> str:",
    '    return subprocess.run(["sh", "-c", cmd], capture_output=True, text=True).stdout',
    "",
  ].join("\n"),
  "agent/tools/notify.ts": [
    'import OpenAI from "openai";',
    "const client = new OpenAI();",
    "export const tools = [",
    '  { type: "function", function: { name: "send_alert", description: "Page the on-call", parameters: { type: "object", properties: {} } } },',
    "];",
    "export async function ask(q: string) {",
    '  return client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: q }], tools });',
    "}",
    "",
  ].join("\n"),
  "data/tickets.csv": "ticket_id,customer_email,phone,issue\n1,ann@example.com,+31 6 12345678,printer\n2,bob@example.org,+44 20 7946 0958,vpn\n",
  "models/router.pkl": PICKLE,
  ".github/CODEOWNERS": "# owners\n* @acme/ml-platform\n",
  "requirements.txt": "openai==1.54.0\n",
  // A sub-folder with its own manifest: a separate system that init must leave out.
  "services/ranker/ai-system.yaml": "apiVersion: aigate/v1\nname: ranker\nowner: {team: search, contact: search@example.com}\nprofile: {isGenAI: false}\n",
  "services/ranker/rank.py": 'from openai import OpenAI\nOpenAI().chat.completions.create(model="o3-mini", messages=[])\n',
};

/** Writes `files` under a new temporary folder (a git repository when `git` is set) and returns it. */
export function makeRepo(files: Record<string, string | Buffer>, opts: { git?: boolean; name?: string } = {}): string {
  const root = join(mkdtempSync(join(tmpdir(), "aigate-app-")), opts.name ?? "app");
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), text);
  }
  if (opts.git) {
    const env = {
      ...process.env,
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_AUTHOR_NAME: "t",
      GIT_AUTHOR_EMAIL: "t@example.com",
      GIT_COMMITTER_NAME: "t",
      GIT_COMMITTER_EMAIL: "t@example.com",
    };
    execFileSync("git", ["init", "-q", "-b", "main", "."], { cwd: root, env });
    execFileSync("git", ["add", "-A"], { cwd: root, env });
    execFileSync("git", ["-c", "commit.gpgsign=false", "commit", "-q", "-m", "day one"], { cwd: root, env });
  }
  return root;
}
