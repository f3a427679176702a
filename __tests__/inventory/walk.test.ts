import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, rmSync, symlinkSync } from "node:fs";
import { join, resolve } from "node:path";
import { walkRepository, type WalkResult } from "../../src/inventory/walk.js";
import { makeRepo, tempDir as newDir, writeFiles as write } from "../helpers/git-repo.js";

const tempDir = () => newDir("aigate-walk-");

const chains: { base: string; name: string; depth: number }[] = [];
afterAll(() => {
  // A chain deeper than PATH_MAX is removed bottom-up with relative steps (fs.rmSync cannot reach its end).
  for (const c of chains) {
    const script = `const fs=require("fs");const [name,depth]=[${JSON.stringify(c.name)},${c.depth}];for(let i=0;i<depth;i++)process.chdir(name);fs.rmSync("bottom.txt",{force:true});for(let i=0;i<depth;i++){process.chdir("..");fs.rmdirSync(name);}`;
    spawnSync(process.execPath, ["-e", script], { cwd: c.base });
    rmSync(c.base, { recursive: true, force: true });
  }
});

const paths = (w: WalkResult) => w.files.map((f) => f.path);

/** A chain of `depth` folders named `name` with a file at the bottom, made with relative steps (no path limit). */
function deepChain(base: string, name: string, depth: number) {
  const script = `const fs=require("fs");for(let i=0;i<${depth};i++){fs.mkdirSync(${JSON.stringify(name)});process.chdir(${JSON.stringify(name)});}fs.writeFileSync("bottom.txt","x");`;
  execFileSync(process.execPath, ["-e", script], { cwd: base });
  chains.push({ base, name, depth });
}

describe("inside a git work tree", () => {
  test("a tracked file is listed whatever .gitignore or the default ignores say; untracked ones only when not ignored", async () => {
    const { top, g } = makeRepo({ ".gitignore": ".env\n*.pkl\nsecret/\n", "app/main.py": "print(1)\n" });
    write(top, {
      "app/.env": "OPENAI_API_KEY=sk-1\n",
      "models/model.pkl": "pickle",
      "secret/token.txt": "t",
      "node_modules/evil/index.js": "x",
      ".venv/lib/site.py": "v",
    });
    g("add", "-f", "app/.env", "models/model.pkl", "secret/token.txt", "node_modules/evil/index.js", ".venv/lib/site.py");
    g("commit", "-qm", "committed despite .gitignore");
    write(top, {
      "models/local.pkl": "untracked, ignored",
      "app/new.py": "untracked\n",
      "node_modules/other/i.js": "untracked, default-ignored",
      "app/__pycache__/m.pyc": "c",
    });

    const w = await walkRepository(top);
    expect(w.source).toBe("git");
    expect(paths(w)).toEqual([
      ".gitignore",
      ".venv/lib/site.py",
      "app/.env",
      "app/main.py",
      "app/new.py",
      "models/model.pkl",
      "node_modules/evil/index.js",
      "secret/token.txt",
    ]);
    expect(w.files.find((f) => f.path === "models/model.pkl")!.size).toBe(6);
    expect([...w.folders].sort()).toEqual(["", ".venv", ".venv/lib", "app", "models", "node_modules", "node_modules/evil", "secret"]);
    expect(w.skipped).toEqual([]);

    // A folder inside the repository: paths relative to it, same rules.
    const sub = await walkRepository(join(top, "models"));
    expect(paths(sub)).toEqual(["model.pkl"]);
    expect([...sub.folders]).toEqual([""]);
  });

  test("symbolic links (tracked or not) are reported as skipped and never followed", async () => {
    const outside = tempDir();
    write(outside, { "stolen.txt": "secret", "dir/x.txt": "x" });
    const { top, g } = makeRepo({ "a.txt": "a\n" });
    symlinkSync(join(outside, "stolen.txt"), join(top, "tracked-link.txt"));
    g("add", "tracked-link.txt");
    g("commit", "-qm", "link");
    symlinkSync(join(outside, "dir"), join(top, "untracked-dir-link"));
    symlinkSync("../nowhere", join(top, "dangling"));

    const w = await walkRepository(top);
    expect(paths(w)).toEqual(["a.txt"]);
    expect(w.skipped).toEqual([
      { path: "dangling", reason: "a symbolic link (not followed)" },
      { path: "tracked-link.txt", reason: "a symbolic link (not followed)" },
      { path: "untracked-dir-link", reason: "a symbolic link (not followed)" },
    ]);
  });

  test("a tracked path under a folder replaced by a symbolic link, a deleted tracked file, a FIFO, a submodule", async () => {
    const outside = tempDir();
    write(outside, { "x.txt": "outside" });
    const { top, g } = makeRepo({ "dir/x.txt": "x\n", "gone.txt": "g\n", pipe: "p\n", "keep.txt": "k\n" });
    const sub = makeRepo({ "s.txt": "s\n" });
    g("update-index", "--add", "--cacheinfo", `160000,${sub.g("rev-parse", "HEAD").trim()},vendored`);
    g("commit", "-qm", "submodule");
    mkdirSync(join(top, "vendored"));
    execFileSync("rm", ["-r", join(top, "dir"), join(top, "gone.txt"), join(top, "pipe")]);
    symlinkSync(outside, join(top, "dir"));
    execFileSync("mkfifo", [join(top, "pipe")]);

    const w = await walkRepository(top);
    expect(paths(w)).toEqual(["keep.txt"]);
    expect(w.skipped).toEqual([
      { path: "dir", reason: "a symbolic link (not followed)" },
      { path: "gone.txt", reason: expect.stringMatching(/tracked by git but missing from the work tree/) },
      { path: "pipe", reason: "a FIFO (named pipe), not a regular file" },
      { path: "vendored", reason: "a git submodule that is not checked out" },
    ]);
  });

  test("a root git tracks nothing in (an ignored folder) is read folder by folder", async () => {
    const { top } = makeRepo({ ".gitignore": "out/\n", "a.txt": "a" });
    write(top, { "out/report.txt": "r", "out/.gitignore": "*.tmp\n", "out/x.tmp": "t" });
    const w = await walkRepository(join(top, "out"));
    expect(w.source).toBe("filesystem");
    expect(w.gitError).toBeUndefined();
    expect(paths(w)).toEqual([".gitignore", "report.txt"]);
  });

  test("a nested repository is skipped; the entry limit gives one skipped entry", async () => {
    const { top } = makeRepo({ "a.txt": "a", "b.txt": "b", "c/d.txt": "d" });
    mkdirSync(join(top, "nested"));
    execFileSync("git", ["init", "-q"], { cwd: join(top, "nested") });
    const w = await walkRepository(top);
    expect(w.skipped).toEqual([{ path: "nested", reason: expect.stringMatching(/nested git repository/) }]);
    const limited = await walkRepository(top, [], { maxEntries: 2 });
    expect(paths(limited)).toEqual(["a.txt", "b.txt"]);
    expect(limited.skipped).toContainEqual({
      path: "c",
      reason: "the walk lists at most 2 files and folders; this and 1 more paths were not listed",
      bounded: true,
    });
  });
});

describe("a 5,000-deep folder chain", () => {
  const chain = (name: string, n: number) => Array.from({ length: n }, () => name).join("/");
  let top = "";
  beforeAll(() => {
    top = makeRepo({ "a.txt": "a\n", [chain("t", 12) + "/deep.txt"]: "d" }).top;
    deepChain(top, "d", 5000);
  });

  test("inside git: the chain and a too-deep tracked file give skipped entries, not a throw", async () => {
    const w = await walkRepository(top, [], { maxDepth: 10 });
    expect(paths(w)).toEqual(["a.txt"]);
    expect(w.skipped).toEqual([
      { path: chain("d", 11), reason: "more than 10 folders deep; not entered", bounded: true },
      { path: chain("t", 11), reason: "more than 10 folders deep; not entered", bounded: true },
    ]);
    const byDefault = await walkRepository(top);
    expect(paths(byDefault)).toEqual(["a.txt", chain("t", 12) + "/deep.txt"]);
    expect(byDefault.skipped).toEqual([{ path: chain("d", 257), reason: "more than 256 folders deep; not entered", bounded: true }]);
    // With no depth limit of its own, git stops at the system's path limit; its warning is a skipped entry.
    const unlimited = await walkRepository(top, [], { maxDepth: 100_000 });
    expect(paths(unlimited)).toEqual(paths(byDefault));
    expect(unlimited.skipped.length).toBeGreaterThan(0);
    expect(unlimited.skipped.every((s) => s.path.startsWith("d/d/d/") && /git could not read/.test(s.reason))).toBe(true);
  });

  test("reading the folders: the walk stops at the depth limit, or at the path limit (ENAMETOOLONG)", async () => {
    const w = await walkRepository(top, [], { useGit: false });
    expect(paths(w)).toEqual(["a.txt", chain("t", 12) + "/deep.txt"]);
    expect(w.skipped).toEqual([{ path: chain("d", 257), reason: "more than 256 folders deep; not entered", bounded: true }]);
    expect(w.folders.size).toBe(1 + 256 + 12);
    const unlimited = await walkRepository(top, [], { useGit: false, maxDepth: 100_000 });
    expect(unlimited.skipped).toHaveLength(1);
    expect(unlimited.skipped[0]!.reason).toMatch(/^ENAMETOOLONG/);
  });
});

describe("outside git", () => {
  test("nested .gitignore files and the default ignores apply; folders are listed", async () => {
    const root = tempDir();
    write(root, {
      ".gitignore": "*.log\n",
      "a.log": "x",
      "keep.py": "k",
      "sub/.gitignore": "local.txt\n",
      "sub/local.txt": "x",
      "sub/code.py": "c",
      "node_modules/m/i.js": "m",
      "other/local.txt": "kept: the rule is sub's",
    });
    mkdirSync(join(root, "empty"));
    const w = await walkRepository(root);
    expect(w.source).toBe("filesystem");
    expect(w.gitError).toBeUndefined();
    expect(paths(w)).toEqual([".gitignore", "keep.py", "other/local.txt", "sub/.gitignore", "sub/code.py"]);
    expect([...w.folders].sort()).toEqual(["", "empty", "other", "sub"]);
    expect(w.skipped).toEqual([]);
  });

  // Ignore scopes made only of names are answered by name (the walk enters no ignored folder).
  const NAME_CASES: [string, Record<string, string>, string[]][] = [
    [
      "a name pattern answers by name and kind in every folder; a pattern with a slash or a negation by path",
      {
        ".gitignore": "build/\n*.tmp\n",
        build: "a file named like the ignored folder is kept",
        "a/build/x.py": "x",
        "a/b/build": "kept",
        "a/b/c.tmp": "x",
        "a/b/d.py": "d",
        "n/.gitignore": "*.py\n!keep.py\n",
        "n/keep.py": "k",
        "n/drop.py": "x",
        "n/deeper/keep.py": "k",
        "n/deeper/drop.py": "x",
        "s/.gitignore": "gen/out.txt\n",
        "s/gen/out.txt": "x",
        "s/other/gen/out.txt": "kept: the rule is anchored at s/",
      },
      [".gitignore", "a/b/build", "a/b/d.py", "build", "n/.gitignore", "n/deeper/keep.py", "n/keep.py", "s/.gitignore", "s/other/gen/out.txt"],
    ],
    [
      "plain names ignore regardless of ASCII case, as git's rules do, and only ASCII letters fold",
      {
        ".gitignore": "Kernel.txt\nbuild/\n",
        "a/KERNEL.TXT": "x",
        "a/kernel.txt": "x",
        "a/\u212Aernel.txt": "kept: the Kelvin sign is not a k",
        "BUILD/x.py": "x",
        "b/Build": "kept: a file, and the rule names folders",
        "Node_Modules/m.js": "x",
        "c/.ds_store": "x",
      },
      [".gitignore", "a/\u212Aernel.txt", "b/Build"],
    ],
  ];
  test.each(NAME_CASES)("%s", async (_, files, expected) => {
    const root = tempDir();
    write(root, files);
    expect(paths(await walkRepository(root))).toEqual(expected);
  });

  test("a .gitignore that is a symbolic link is not read; symbolic links and FIFOs are skipped", async () => {
    const outside = tempDir();
    write(outside, { ignore: "*.pkl\n" });
    const root = tempDir();
    write(root, { "model.pkl": "p", "a.txt": "a" });
    symlinkSync(join(outside, "ignore"), join(root, ".gitignore"));
    symlinkSync(outside, join(root, "linked-dir"));
    execFileSync("mkfifo", [join(root, "fifo")]);
    const w = await walkRepository(root);
    expect(paths(w)).toEqual(["a.txt", "model.pkl"]);
    expect(w.skipped).toEqual([
      { path: ".gitignore", reason: "a symbolic link (not followed)" },
      { path: "fifo", reason: "a FIFO (named pipe), not a regular file" },
      { path: "linked-dir", reason: "a symbolic link (not followed)" },
    ]);
  });

  test("folder names that together pass the system's path limit are skipped (ENAMETOOLONG)", async () => {
    const long = tempDir();
    write(long, { "a.txt": "a" });
    deepChain(long, "n".repeat(250), 20);
    const l = await walkRepository(long, [], { maxDepth: 100 });
    expect(paths(l)).toEqual(["a.txt"]);
    expect(l.skipped).toHaveLength(1);
    expect(l.skipped[0]!.reason).toMatch(/^ENAMETOOLONG/);
  });

  (process.getuid?.() === 0 ? test : test.skip)(
    "in a work tree git refuses to list (another user's), the folders are read and .gitignore does not hide files",
    async () => {
      const { top } = makeRepo({ ".gitignore": "*.pkl\n", "a.txt": "a" });
      write(top, { "m.pkl": "p" });
      execFileSync("chown", ["-R", "65534:65534", top]);
      const w = await walkRepository(top);
      expect(w.source).toBe("filesystem");
      expect(w.gitError).toMatch(/owned by another user/);
      expect(paths(w)).toEqual([".gitignore", "a.txt", "m.pkl"]);
    },
  );

  test("useGit: false reads the folders of a work tree (then .gitignore hides files)", async () => {
    const { top } = makeRepo({ ".gitignore": "*.pkl\n", "a.txt": "a" });
    write(top, { "m.pkl": "p" });
    const w = await walkRepository(top, [], { useGit: false });
    expect(w.source).toBe("filesystem");
    expect(paths(w)).toEqual([".gitignore", "a.txt"]);
  });
});

// Root reads every folder whatever its mode; a child without the capabilities that allow it sees
// EACCES as any other user would.
const isRoot = process.getuid?.() === 0;
const setpriv = isRoot && spawnSync("setpriv", ["--version"]).status === 0;
(isRoot && !setpriv ? test.skip : test)("an unreadable folder is a skipped entry (EACCES), in both modes", async () => {
  const { top } = makeRepo({ "a.txt": "a", "locked/x.txt": "x" });
  write(top, { "untracked/locked/y.txt": "y" });
  chmodSync(join(top, "locked"), 0o000);
  chmodSync(join(top, "untracked/locked"), 0o000);
  try {
    const script = `import { walkRepository } from ${JSON.stringify(resolve("src/inventory/walk.ts"))};
      const out = [];
      for (const useGit of [true, false]) { const w = await walkRepository(${JSON.stringify(top)}, [], { useGit }); out.push({ source: w.source, files: w.files.map((f) => f.path), skipped: w.skipped }); }
      process.stdout.write(JSON.stringify(out));`;
    const node = [process.execPath, "--import", "tsx", "--input-type=module", "-e", script];
    const drop = ["--inh-caps=-dac_override,-dac_read_search", "--bounding-set=-dac_override,-dac_read_search"];
    const r = isRoot ? spawnSync("setpriv", [...drop, ...node], { encoding: "utf8" }) : spawnSync(node[0]!, node.slice(1), { encoding: "utf8" });
    expect(r.stderr).toBe("");
    const [viaGit, viaFolders] = JSON.parse(r.stdout) as { source: string; files: string[]; skipped: { path: string; reason: string }[] }[];
    expect(viaGit!.source).toBe("git");
    expect(viaGit!.files).toEqual(["a.txt"]);
    expect(viaGit!.skipped).toEqual([
      { path: "locked", reason: "git could not read it: Permission denied" },
      { path: "locked/x.txt", reason: "EACCES: permission denied" },
      { path: "untracked/locked", reason: "git could not read it: Permission denied" },
    ]);
    expect(viaFolders!.source).toBe("filesystem");
    expect(viaFolders!.files).toEqual(["a.txt"]);
    expect(viaFolders!.skipped).toEqual([
      { path: "locked", reason: "EACCES: permission denied" },
      { path: "untracked/locked", reason: "EACCES: permission denied" },
    ]);
  } finally {
    chmodSync(join(top, "locked"), 0o755);
    chmodSync(join(top, "untracked/locked"), 0o755);
  }
});
