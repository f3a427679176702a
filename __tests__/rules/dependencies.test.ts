// Rules on the dependency scanner's observations (policies/builtin/dependencies.yaml): unpinned AI
// libraries, known advisories, installs from URLs, extra indexes, files that do not parse.
import { RuleTester } from "../../src/policy/rule-tester.js";
import { LLM_APP, manifest } from "./helpers.js";

const tester = new RuleTester();
const sys = manifest(LLM_APP);

tester.run("dependency-ai-library-unpinned", {
  valid: [
    { name: "pinned", files: { "ai-system.yaml": sys, "requirements.txt": "torch==2.6.0\n" } },
    { name: "a library that is not an AI library", files: { "ai-system.yaml": sys, "requirements.txt": "requests>=2\n" } },
    {
      name: "a lockfile pins it",
      files: {
        "ai-system.yaml": sys,
        "package.json": '{"name": "app", "dependencies": {"openai": "^4.0.0"}}\n',
        "package-lock.json":
          '{"name": "app", "lockfileVersion": 3, "packages": {"": {"dependencies": {"openai": "^4.0.0"}}, "node_modules/openai": {"version": "4.77.0"}}}\n',
      },
    },
  ],
  invalid: [
    {
      files: { "ai-system.yaml": sys, "requirements.txt": "requests==2.32.3\ntorch>=2.0\ntransformers\n" },
      findings: [
        { path: "requirements.txt", line: 2, column: 1, message: "AI/ML library torch is not pinned (torch>=2.0) and no lockfile pins it: each install may" },
        { path: "requirements.txt", line: 3, column: 1, message: "AI/ML library transformers is not pinned" },
      ],
    },
  ],
});

tester.run("dependency-ai-library-vulnerable", {
  valid: [{ name: "a version past every advisory", files: { "ai-system.yaml": sys, "requirements.txt": "anthropic==0.87.0\n" } }],
  invalid: [
    {
      files: { "ai-system.yaml": sys, "requirements.txt": "torch==2.5.1\n" },
      findings: [{ path: "requirements.txt", line: 1, column: 1, message: "torch 2.5.1 has" }],
    },
  ],
});

tester.run("dependency-url-install", {
  valid: [{ files: { "ai-system.yaml": sys, "requirements.txt": `mylib @ git+https://github.com/org/mylib.git@${"c0".repeat(20)}\n` } }],
  invalid: [
    {
      files: { "ai-system.yaml": sys, "requirements.txt": "mylib @ git+https://github.com/org/mylib.git@main\nother @ https://example.com/other-1.0.tar.gz\n" },
      findings: [
        { path: "requirements.txt", line: 1, column: 1, message: "mylib is installed from git+https://github.com/org/mylib.git@main without a pinned commit" },
        { path: "requirements.txt", line: 2, column: 1, message: "https://example.com/other-1.0.tar.gz without a hash: the file behind the URL can change" },
      ],
    },
  ],
});

tester.run("dependency-extra-index", {
  valid: [{ files: { "ai-system.yaml": sys, "requirements.txt": "--index-url https://pypi.internal.example.com/simple\ntorch==2.6.0\n" } }],
  invalid: [
    {
      files: { "ai-system.yaml": sys, "requirements.txt": "--extra-index-url https://pypi.internal.example.com/simple\ntorch==2.6.0\n" },
      findings: [
        { path: "requirements.txt", line: 1, column: 1, message: "--extra-index-url adds the package index https://pypi.internal.example.com/simple" },
      ],
    },
  ],
});

tester.run("dependency-file-malformed", {
  valid: [{ files: { "ai-system.yaml": sys, "pyproject.toml": '[project]\nname = "app"\ndependencies = ["torch==2.6.0"]\n' } }],
  invalid: [
    {
      files: { "ai-system.yaml": sys, "pyproject.toml": '[project]\nname = "app"\ndependencies = ["torch==2.6.0"\n' },
      findings: [{ path: "pyproject.toml", line: 4, column: 1, message: "pyproject.toml:" }],
    },
  ],
});
