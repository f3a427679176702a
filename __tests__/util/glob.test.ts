import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { minimatch } from "minimatch";
import { parse } from "yaml";
import {
  anyGlobTest,
  anyPathMatches,
  checkGlob,
  GLOB_LIMITS,
  globOrBelowTest,
  globParamProblem,
  globTest,
  matchesAny,
  matchesGlobOrBelow,
  matchGlob,
  matchingPaths,
  pathIndex,
} from "../../src/util/glob.js";
import { packageRoot } from "../../src/util/package-root.js";

const PATHS = [
  ".env",
  "svc/.env",
  "svc/.env.example",
  "README.md",
  "docs/security/policy.md",
  "src/app.py",
  "src/deep/er/model.pt",
  "data/train.csv",
  "data/raw/2024/part-0001.parquet",
  ".github/workflows/codeql-analysis.yml",
  "a/b/c/d/e/f.txt",
  "weights/model.safetensors",
];

const GLOBS = [
  "**",
  "*",
  ".env",
  "**/.env",
  "**/.env.*",
  "*.md",
  "docs/**",
  "src/*.py",
  "src/**/*.pt",
  "**/*.{pt,pth,bin,safetensors}",
  "data/**/part-[0-9][0-9][0-9][0-9].parquet",
  "data/[!r]*.csv",
  ".github/workflows/*codeql*",
  "**/*threat*model*",
  "a/**/f.txt",
  "a/**/c/**/f.txt",
  "!(*.md)",
  "+(a|b)/**",
  "!**/*.md",
  "#comment",
  "weights/model.?afetensors",
  "{src,data}/**",
];

describe("matchesAny", () => {
  it.each(GLOBS)("matches %s as minimatch does (dot files included, matchBase without /)", (glob) => {
    for (const p of PATHS) {
      const expected = minimatch(p, glob, { dot: true, matchBase: !glob.includes("/") });
      expect([p, matchesAny(p, [glob])]).toEqual([p, expected]);
    }
  });

  it("matches when any glob matches, and not for an empty list", () => {
    expect(matchesAny("src/app.py", ["*.md", "src/*.py"])).toBe(true);
    expect(matchesAny("src/app.py", [])).toBe(false);
  });

  it("lets a glob without / match a file's name in any folder, and one with / only from the root", () => {
    expect(matchesAny("svc/deep/.env", [".env"])).toBe(true);
    expect(matchesAny("svc/.env", ["svc/x/.env"])).toBe(false);
  });

  it("matches nothing with a glob that fails checkGlob, negated or not", () => {
    const bomb = "{a,b}".repeat(20);
    expect(checkGlob(bomb)).not.toBeNull();
    expect(matchesAny("a".repeat(20), [bomb])).toBe(false);
    expect(matchesAny("README.md", ["!" + "x".repeat(600)])).toBe(false);
  });

  it("finishes hostile globs quickly enough to gate a pull request", () => {
    // The brace bomb that took 46-109 s on 40 files, and globs built to backtrack.
    const files = Array.from({ length: 40 }, (_, i) => `dir${i}/` + "ab".repeat(10) + ".txt");
    for (const g of ["{a,b}".repeat(20), "*a".repeat(30) + "b", "**/a*/".repeat(8) + "b", "+(a|aa)".repeat(10) + "b"]) {
      for (const f of files) matchesAny(f, [g]);
      matchesAny("a".repeat(5000) + "/" + "a/".repeat(500) + "c", [g]);
    }
  });
});

describe("matchGlob", () => {
  it("does not use matchBase unless asked", () => {
    expect(matchGlob("sub/data.csv", "data.csv")).toBe(false);
    expect(matchGlob("sub/data.csv", "data.csv", { matchBase: true })).toBe(true);
  });

  it("matches observation kinds (no slashes) as globs", () => {
    expect(matchGlob("model.unsafe", "model.*")).toBe(true);
    expect(matchGlob("data.secret", "model.*")).toBe(false);
    expect(matchGlob("code.secret", "code.secret")).toBe(true);
  });
});

describe("matchesGlobOrBelow", () => {
  it("matches the path itself, or anything below a folder the glob names", () => {
    expect(matchesGlobOrBelow("data/train.csv", "data/train.csv")).toBe(true);
    expect(matchesGlobOrBelow("data/raw/x.csv", "data")).toBe(true);
    expect(matchesGlobOrBelow("data/raw/x.csv", "data/")).toBe(true);
    expect(matchesGlobOrBelow("data/raw/x.csv", "d*")).toBe(true);
    expect(matchesGlobOrBelow("database/x.csv", "data")).toBe(false);
    expect(matchesGlobOrBelow("sub/data/x.csv", "data")).toBe(false);
  });

  it("accepts a glob at the limit of `**` even though `glob/**` has one more", () => {
    const g = Array.from({ length: GLOB_LIMITS.maxGlobstars }, () => "**").join("/x/");
    expect(checkGlob(g)).toBeNull();
    expect(matchesGlobOrBelow(`${"x/".repeat(GLOB_LIMITS.maxGlobstars)}y/z`, g)).toBe(true);
  });

  it("matches nothing with a glob that fails checkGlob", () => {
    expect(matchesGlobOrBelow("data/x.csv", "data/{a,b}{c,d}{e,f}{g,h}{i,j}{k,l}{m,n}")).toBe(false);
  });
});

describe("checkGlob", () => {
  it.each([
    ["x".repeat(GLOB_LIMITS.maxLength + 1), /characters long \(at most 500\)/],
    ["{a,b}".repeat(7), /expand to more than 64 patterns/],
    ["file-{1..100}.csv", /expand to more than 64 patterns/],
    ["{a,{b,{c,{d,{e,f}}}}}", /braces nest 5 deep \(at most 4\)/],
    [
      Array(GLOB_LIMITS.maxGlobstars + 1)
        .fill("**")
        .join("/a/"),
      /9 "\*\*" \(at most 8\)/,
    ],
    ["*a".repeat(GLOB_LIMITS.maxWildcards + 1), /33 wildcards \(at most 32\)/],
  ])("reports %s", (glob, problem) => {
    expect(checkGlob(glob)).toMatch(problem);
  });

  it.each([
    "**/*.{pt,pth,bin,ckpt,safetensors,gguf,onnx,h5,keras,pkl,pickle,joblib,npy,npz,parquet,csv,jsonl,arrow,feather,tar,gz,zip,7z}",
    "{a,b}".repeat(6),
    "data/shard-{0..63}.parquet",
    "**/*threat*model*",
    "!(*.md)",
    "\\{literal\\}",
  ])("accepts %s", (glob) => {
    expect(checkGlob(glob)).toBeNull();
  });

  it("accepts every glob of the built-in pack", () => {
    const dir = join(packageRoot(), "policies", "builtin");
    const globs: string[] = [];
    for (const f of readdirSync(dir).filter((n) => n.endsWith(".yaml"))) {
      const pack = parse(readFileSync(join(dir, f), "utf8")) as { rules?: { check: Record<string, unknown>; paths?: string[] }[] };
      for (const r of pack.rules ?? []) {
        for (const k of ["signals", "require", "forbid", "except", "sizeGlobs", "match"]) {
          const v = r.check[k];
          globs.push(...(Array.isArray(v) ? (v as string[]) : typeof v === "string" ? [v] : []));
        }
        globs.push(...(r.paths ?? []));
      }
    }
    expect(globs.length).toBeGreaterThan(20);
    expect(globs.map((g) => [g, checkGlob(g)]).filter(([, p]) => p !== null)).toEqual([]);
  });
});

describe("globParamProblem", () => {
  it("names the parameter and the glob", () => {
    expect(globParamProblem({ forbid: ["*.pem", "{a,b}".repeat(7)] }, ["require", "forbid"])).toMatch(/^check\.forbid glob "\{a,b\}.*": its braces expand/);
    expect(globParamProblem({ match: "x".repeat(600) }, ["match"])).toMatch(/^check\.match glob "x{77}\.\.\.": the glob is 600 characters long/);
    expect(globParamProblem({ forbid: ["*.pem"] }, ["forbid"])).toBeUndefined();
  });
});

describe("compiled tests and the path index", () => {
  const MORE_PATHS = [
    ...PATHS,
    "b",
    "a/../b",
    "docs/x/SECURITY.md",
    ".pem",
    "keys/a.tar.pem",
    "svc/service-account-1.json",
    "middleware.ts",
    "src/middleware.mjs",
    "*x",
    "a*x",
  ];
  const MORE_GLOBS = [
    ...GLOBS,
    "a/../b",
    "./README.md",
    "middleware.{ts,js,mjs}",
    "src/middleware.{ts,js,mjs}",
    "**/*.pem",
    "*.pem",
    "**/service-account*.json",
    "SECURITY.md",
    "**/ai-system.{yaml,yml}",
    "\\*x",
    "**/.env.*",
    "*.{md,pt}",
    "!*.md",
  ];

  it.each(MORE_GLOBS)("gives minimatch's answer for %s whichever way it is asked", (glob) => {
    const index = pathIndex([...MORE_PATHS]);
    for (const matchBase of [true, false]) {
      const expected = MORE_PATHS.map((p, i) => [i, minimatch(p, glob, { dot: true, matchBase: matchBase && !glob.includes("/") })] as const)
        .filter(([, m]) => m)
        .map(([i]) => i);
      const asked = matchBase ? matchingPaths(index, [glob]) : matchingPaths(index, [glob], { matchBase: false });
      expect([glob, matchBase, asked]).toEqual([glob, matchBase, expected]);
      expect(anyPathMatches(index, [glob], { matchBase })).toBe(expected.length > 0);
    }
    const any = anyGlobTest([glob]);
    const one = globTest(glob);
    const below = globOrBelowTest(glob);
    for (const p of MORE_PATHS) {
      expect([p, any(p)]).toEqual([p, matchesAny(p, [glob])]);
      expect([p, one(p)]).toEqual([p, matchGlob(p, glob)]);
      expect([p, below(p)]).toEqual([p, matchesGlobOrBelow(p, glob)]);
    }
  });

  it("lists the paths any glob of a list matches, in the list's order, once each", () => {
    const index = pathIndex(["a/x.pem", "b/.env", "c/y.pem", "d/z.txt"]);
    expect(matchingPaths(index, ["**/*.pem", "**/.env", "c/**"])).toEqual([0, 1, 2]);
    expect(matchingPaths(index, [])).toEqual([]);
    expect(matchingPaths(index, ["x".repeat(600)])).toEqual([]);
    // A pattern minimatch makes nothing of (an empty glob matches the empty path only).
    expect(matchGlob("", "")).toBe(minimatch("", "", { dot: true }));
  });
});
