// Regular expressions that read the same characters again and again. Each was quadratic on a value a
// pull request writes: a run of `/`, `#`, `?`, `(`, `_`, `|`, blanks or openers with no match at its
// end made the engine scan the rest of the run from every position of it (a JS block comment of
// 280 KB held the gate 4 s; at the 2 MB a source file may have, about 200 s per file).
//
// Two kinds of test: each rewrite gives what the expression gave, on every short string of the
// characters that matter (fast-check, against the expression itself); and each entry point takes a
// megabyte of the input that was quadratic within the test's time limit. The old expressions took
// 1 to 33 s on an eighth of each of these inputs, and 30 s on the tool classes; the new ones take
// milliseconds.
import fc from "fast-check";
import { cutAt, cutSpacedComment, stripEnds, stripLeading, stripTrailing } from "../../src/util/strip.js";
import { hasCredentialParameter, isReference, literalSecret, urlSecrets } from "../../src/inventory/scanners/agents/secrets.js";
import { analyseLaunch, isRootOrHome } from "../../src/inventory/scanners/agents/launch.js";
import { parseConfig } from "../../src/inventory/scanners/agents/source.js";
import { parseSuppression } from "../../src/inventory/scanners/code/suppressions.js";
import { analyzeEnvFile } from "../../src/inventory/scanners/code/env-file.js";
import { schemaToolName } from "../../src/inventory/scanners/code/python/tools.js";
import { scanCodeFile } from "../../src/inventory/scanners/code/scanner.js";
import { cutPeerSuffix, parsePnpmLock } from "../../src/inventory/scanners/dependencies/yarn-pnpm.js";
import { parseCondaEnvironment } from "../../src/inventory/scanners/dependencies/conda.js";
import { poetryExact } from "../../src/inventory/scanners/dependencies/poetry-spec.js";
import { specifierBounds } from "../../src/inventory/scanners/dependencies/ranges.js";
import { parseDockerfile } from "../../src/inventory/scanners/docker/parse.js";
import { redactText } from "../../src/util/redact.js";
import { snippetOf } from "../../src/report/snippets.js";

/** Strings of the characters an expression turns on, short enough for the expression itself. */
const textOf = (chars: string) => fc.string({ unit: fc.constantFrom(...chars), maxLength: 14 });
const same = <T>(arb: fc.Arbitrary<T>, check: (v: T) => void) => fc.assert(fc.property(arb, check), { numRuns: 3000 });

describe("each rewrite gives what the expression gave", () => {
  test("trims and cuts", () => {
    same(textOf("/-a \n\r\u2028#("), (s) => {
      expect(stripTrailing(s, "/")).toBe(s.replace(/\/+$/, ""));
      expect(stripLeading(s, "/")).toBe(s.replace(/^\/+/, ""));
      expect(stripEnds(s, "-")).toBe(s.replace(/^-+|-+$/g, ""));
      expect(stripTrailing(s, "\\/")).toBe(s.replace(/[\\/]+$/, ""));
      expect(cutAt(s, "#")).toBe(s.replace(/#.*$/, ""));
      expect(cutAt(s, "(")).toBe(s.replace(/\(.*$/, ""));
    });
    same(textOf("a #\t "), (s) => expect(cutSpacedComment(s)).toBe(s.replace(/\s+#.*$/, "")));
  });

  test("credential parameters in a URL", () => {
    same(textOf("?&=keytoauhsrcx"), (s) => expect(hasCredentialParameter(s)).toBe(/[?&][^=&]*(?:key|token|auth|secret)[^=&]*=/i.test(s)));
  });

  test("variable references", () => {
    const old = /\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*|\{\{[^}]*\}\}|%[A-Za-z_][A-Za-z0-9_]*%|\{env:[^}]*\}/;
    same(textOf("${}%a_1 env:"), (s) => expect(isReference(s)).toBe(old.test(s)));
  });

  test("inline suppressions", () => {
    const old = (c: string) => {
      const m = /aigate:\s*ignore\[([^\]]*)\]\s*(.*)$/.exec(c);
      return m
        ? [
            m[1]!
              .split(",")
              .map((r) => r.trim())
              .filter(Boolean),
            m[2]!.replace(/\*\/\s*$/, "").trim(),
          ]
        : undefined;
    };
    const pieces = fc.array(fc.constantFrom("aigate:", "aigate: ", "ignore[", "]", "a", ",", " ", "\n", "*/", "x"), { maxLength: 10 });
    same(
      pieces.map((p) => p.join("")),
      (c) => {
        const s = parseSuppression(c, 1, 1, false);
        expect(s ? [s.rules, s.reason] : undefined).toEqual(old(c));
      },
    );
  });

  test("tool names in a schema, pnpm peer suffixes, Poetry pins", () => {
    const oldSchema = /["']type["']\s*:\s*["']function["'][\s\S]*?["']name["']\s*:\s*["']([\w.-]+)["']/;
    const pieces = fc.array(fc.constantFrom('"type"', '"name"', ":", ' "function"', ' "f"', "'x'", " ", "\n"), { maxLength: 12 });
    same(
      pieces.map((p) => p.join("")),
      (s) => expect(schemaToolName(s)).toBe(oldSchema.exec(s)?.[1]),
    );
    same(textOf("a_@.(-!/"), (s) => expect(cutPeerSuffix(s)).toBe(s.replace(/_[\w.@+-]*$/, "")));
    same(textOf(" =1.2a,"), (s) => {
      const m = /^\s*(?:===?|=)?\s*([0-9][^\s,*<>^~!|=]*)\s*$/.exec(s);
      expect(poetryExact(s)).toBe(m && poetryExact(m[1]!) === m[1] ? m[1] : undefined);
    });
  });
});

describe("a megabyte of what was quadratic is read in one pass", () => {
  const MB = 1 << 20;
  const run = (c: string, n = MB) => c.repeat(Math.ceil(n / c.length));
  const cases: [string, () => unknown][] = [
    ["a block comment of suppression openers", () => parseSuppression(`/* ${run("aigate:ignore[")}\n*/`, 1, 1, false)],
    ["a .env value of blanks before a line separator", () => analyzeEnvFile(`A=${run(" ")}x\u2028\nB=1${run(" ")}x`)],
    ["a URL of question marks", () => hasCredentialParameter(run("?"))],
    ["a credential of `${` openers", () => literalSecret("api_key", run("${"))],
    ["a URL query of `#` before a line break", () => urlSecrets(`https://h/?${run("#")}\n`)],
    ["a git spec of `#`", () => analyseLaunch(["npx", `git+https://h/r${run("#")}&`])],
    ["a uvx version before a line break", () => analyseLaunch(["uvx", `a@${run("1")}\n`])],
    ["a path of slashes", () => isRootOrHome(`${run("/")}x`)],
    [
      "a TOML header of blanks, when a server is located",
      () => {
        const parsed = parseConfig("toml", `x = """\n[${run(" ")}!]\n"""\n[mcp_servers.a]\ncommand = "npx"\n`);
        if (!("doc" in parsed)) throw new Error(parsed.error);
        return parsed.doc.locate(["mcp_servers", "a", "command"]);
      },
    ],
    [
      "a pnpm key of `(` and `_`",
      () => parsePnpmLock("pnpm-lock.yaml", `lockfileVersion: '6.0'\npackages:\n  /${run("(")}:\n    resolution: {}\n  /a${run("_")}!:\n    resolution: {}\n`),
    ],
    ["a pnpm section name of `:`", () => parsePnpmLock("pnpm-lock.yaml", `${run(":")}\u2028x\n`)],
    ["a conda spec before a line break", () => parseCondaEnvironment("environment.yml", `dependencies:\n  - "a${run("a")}!\\nb"\n`)],
    ["a version clause before a line separator", () => specifierBounds(`==${run(" ")}x\u2028y`)],
    ["a Poetry version of blanks", () => poetryExact(`${run(" ")}x`)],
    ["a Dockerfile line of blanks before a lone \\r", () => parseDockerfile(`ENV${run(" ")}x\r`)],
    ["a URL ending in a run of dots", () => redactText(`see http://h/${run(".")}a`)],
    ["a line of blanks", () => snippetOf(`${run(" ")}x`, 1)],
    [
      "tool classes with blanks after `name`",
      () => {
        const cls = (i: number) => `class T${i}(BaseTool):\n    name${"\n".padEnd(9000, " ").repeat(2)}x = 1\n    def _run(self): pass\n`;
        const text = `from langchain.tools import BaseTool\n${Array.from({ length: 60 }, (_, i) => cls(i)).join("")}`;
        return scanCodeFile({ path: "tools.py", size: text.length }, async () => Buffer.from(text));
      },
    ],
  ];
  test.each(cases)(
    "%s",
    async (_name, f) => {
      await f();
    },
    20_000,
  );
});
