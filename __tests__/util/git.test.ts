import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import {
  assertRef,
  findRepository,
  git,
  gitEnvironment,
  gitText,
  headCommit,
  listTreeFiles,
  listWorkTreeFiles,
  listWorkTreeWithBlobIds,
  mergeBase,
  pathInRepository,
  readBlobAtCommit,
  resolveCommit,
} from "../../src/util/git.js";

const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

function tempDir(prefix = "aigate-gitutil-"): string {
  const d = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  made.push(d);
  return d;
}

/** A real repository with a `main` branch; `g` runs the test's own git in it. */
function makeRepo(files: Record<string, string> = { "a.txt": "a\n" }) {
  const top = tempDir();
  const g = (...args: string[]) =>
    execFileSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", "-c", "init.defaultBranch=main", "-c", "protocol.file.allow=always", ...args], {
      cwd: top,
      stdio: "pipe",
    }).toString();
  g("init", "-q");
  write(top, files);
  g("add", "-A");
  g("commit", "-qm", "base");
  return { top, g };
}

function write(dir: string, files: Record<string, string>) {
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
}

test("the repository is found by its .git folder, from the top or any folder inside it", async () => {
  const { top } = makeRepo({ "svc/deep/x.txt": "x\n" });
  expect(await findRepository(top)).toEqual({ top, gitDir: join(top, ".git") });
  const repo = (await findRepository(join(top, "svc", "deep")))!;
  expect(repo).toEqual({ top, gitDir: join(top, ".git") });
  expect(await pathInRepository(repo, join(top, "svc", "deep"))).toBe("svc/deep");
  expect(await pathInRepository(repo, top)).toBe("");
  await expect(pathInRepository(repo, tmpdir())).rejects.toThrow(/not inside the git work tree/);
  expect(await findRepository(tempDir())).toBeNull();
});

test("a linked worktree's `gitdir:` file is followed", async () => {
  const { top, g } = makeRepo();
  const wt = join(tempDir(), "wt");
  g("worktree", "add", "-q", wt, "-b", "other");
  const repo = (await findRepository(wt))!;
  expect(repo.top).toBe(wt);
  expect(repo.gitDir).toBe(join(top, ".git", "worktrees", "wt"));
  expect(await headCommit(repo)).toBe(g("rev-parse", "HEAD").trim());
  expect((await listWorkTreeFiles(repo, "")).tracked).toEqual(["a.txt"]);
});

test("a committed folder that looks like a bare repository is never taken for one, and its fsmonitor never runs", async () => {
  const marker = join(tempDir(), "pwned");
  // The folder holds what git's discovery looks for: HEAD, config, objects/ and refs/, with a
  // config that asks git to run a command on every index refresh.
  const { top, g } = makeRepo({
    "svc/HEAD": "ref: refs/heads/main\n",
    "svc/config": `[core]\n\trepositoryformatversion = 0\n\tbare = true\n\tworktree = ..\n\tfsmonitor = "touch ${marker}"\n`,
    "svc/refs/heads/.keep": "",
    "svc/objects/.keep": "",
    "svc/app.py": "print(1)\n",
  });
  const repo = (await findRepository(join(top, "svc")))!;
  expect(repo.top).toBe(top);
  expect(await pathInRepository(repo, join(top, "svc"))).toBe("svc");
  writeFileSync(join(top, "svc/app.py"), "print(2)\n");
  await gitText(repo, ["status", "--porcelain"]);
  const listed = await listWorkTreeFiles(repo, "svc");
  expect(listed.tracked).toContain("svc/config");
  expect(existsSync(marker)).toBe(false);
  expect(g("status", "--porcelain")).toContain("svc/app.py");
});

test("fsmonitor, hooks and external diff named in the repository's own config do not run", async () => {
  const marker = join(tempDir(), "ran");
  const { top, g } = makeRepo({ "a.txt": "a\n" });
  g("config", "core.fsmonitor", `touch ${marker}-fsmonitor`);
  g("config", "diff.external", `touch ${marker}-extdiff`);
  mkdirSync(join(top, "hooks"));
  writeFileSync(join(top, "hooks/post-index-change"), `#!/bin/sh\ntouch ${marker}-hook\n`, { mode: 0o755 });
  g("config", "core.hooksPath", join(top, "hooks"));
  writeFileSync(join(top, "a.txt"), "b\n");
  const repo = (await findRepository(top))!;
  await gitText(repo, ["status", "--porcelain"]);
  await gitText(repo, ["diff", "HEAD"]);
  await gitText(repo, ["update-index", "--refresh"]).catch(() => "");
  expect(readdirSync(dirname(marker))).toEqual([]);
});

test("git gets a minimal environment: no tokens, no INPUT_*, no inherited GIT_*", async () => {
  const { top } = makeRepo();
  execFileSync("git", ["config", "alias.envdump", "!env"], { cwd: top });
  const saved = { ...process.env };
  process.env["INPUT_GITHUB-TOKEN"] = "ghs_input_secret";
  process.env.GITHUB_TOKEN = "ghs_env_secret";
  process.env.ACTIONS_RUNTIME_TOKEN = "runtime_secret";
  process.env.GIT_DIR = "/nonexistent";
  process.env.GIT_CONFIG_PARAMETERS = "'core.fsmonitor=touch /tmp/never'";
  try {
    const env = gitEnvironment();
    expect(Object.keys(env).filter((k) => /TOKEN|INPUT_|GITHUB/.test(k))).toEqual([]);
    expect(env.GIT_DIR).toBeUndefined();
    expect(env.GIT_CONFIG_NOSYSTEM).toBe("1");
    expect(env.LANG).toBe("C");
    expect(env.PATH).toBe(process.env.PATH);
    const dump = await gitText((await findRepository(top))!, ["envdump"]);
    expect(dump).not.toMatch(/secret|INPUT_|GITHUB_TOKEN|nonexistent/);
    expect(dump).toContain("GIT_CONFIG_NOSYSTEM=1");
  } finally {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  }
});

test("refs are checked, resolved to commit ids, and git's errors are one clear line", async () => {
  const { top, g } = makeRepo();
  const repo = (await findRepository(top))!;
  const head = g("rev-parse", "HEAD").trim();
  expect(await resolveCommit(repo, "main")).toBe(head);
  expect(await resolveCommit(repo, head.slice(0, 10))).toBe(head);
  expect(await headCommit(repo)).toBe(head);
  for (const bad of ["--output=/tmp/x", "-h", "", "main\nx", "a\0b"]) {
    expect(() => assertRef(bad)).toThrow(/invalid ref/);
    await expect(resolveCommit(repo, bad)).rejects.toThrow(/invalid ref/);
  }
  await expect(resolveCommit(repo, "no-such-branch")).rejects.toThrow(/no commit named "no-such-branch"/);
  await expect(git(repo, ["cat-file", "-p", "0000000000000000000000000000000000000001"])).rejects.toThrow(/^git cat-file failed: fatal: /);
  g("checkout", "-qb", "feature");
  writeFileSync(join(top, "b.txt"), "b\n");
  g("add", "b.txt");
  g("commit", "-qm", "b");
  expect(await mergeBase(repo, "main", "feature")).toBe(head);
});

test("a committed blob is read as committed: no filters; symbolic links, submodules and folders are refused", async () => {
  const marker = join(tempDir(), "filtered");
  const { top, g } = makeRepo({ "conf/policy.yaml": "rules: []\n", ".gitattributes": "*.yaml filter=evil\n", "dir/x.txt": "x\n" });
  symlinkSync("/etc/passwd", join(top, "link.yaml"));
  g("add", "link.yaml");
  const sub = makeRepo({ "s.txt": "s\n" });
  g("update-index", "--add", "--cacheinfo", `160000,${sub.g("rev-parse", "HEAD").trim()},vendored`);
  g("commit", "-qm", "more");
  const first = g("rev-parse", "HEAD").trim();
  writeFileSync(join(top, "conf/policy.yaml"), "rules: [changed]\n");
  g("config", "filter.evil.smudge", `touch ${marker}; cat`);
  g("config", "filter.evil.clean", `touch ${marker}; cat`);
  const repo = (await findRepository(top))!;

  expect((await readBlobAtCommit(repo, first, "conf/policy.yaml", 1000))!.toString()).toBe("rules: []\n");
  expect(await readBlobAtCommit(repo, first, "conf/missing.yaml", 1000)).toBeNull();
  expect(await readBlobAtCommit(repo, first, "link.yaml/x", 1000)).toBeNull();
  await expect(readBlobAtCommit(repo, first, "link.yaml", 1000)).rejects.toThrow(/symbolic link/);
  await expect(readBlobAtCommit(repo, first, "vendored", 1000)).rejects.toThrow(/submodule/);
  await expect(readBlobAtCommit(repo, first, "dir", 1000)).rejects.toThrow(/folder/);
  await expect(readBlobAtCommit(repo, first, "conf/policy.yaml", 5)).rejects.toThrow(/10 bytes, more than the 5 allowed/);
  await expect(readBlobAtCommit(repo, first, "../etc/passwd", 1000)).rejects.toThrow(/invalid repository path/);
  await expect(readBlobAtCommit(repo, first, "/etc/passwd", 1000)).rejects.toThrow(/invalid repository path/);
  await expect(readBlobAtCommit(repo, "-p", "conf/policy.yaml", 1000)).rejects.toThrow(/invalid ref/);
  expect(existsSync(marker)).toBe(false);

  const tree = await listTreeFiles(repo, first, "");
  const modes = Object.fromEntries(tree.map((e) => [e.path, e.mode]));
  expect(modes).toMatchObject({ "conf/policy.yaml": "100644", "link.yaml": "120000", vendored: "160000" });
  expect((await listTreeFiles(repo, first, "conf")).map((e) => e.path)).toEqual(["conf/policy.yaml"]);
});

test("the work tree: tracked files whatever .gitignore says, untracked files unless ignored", async () => {
  const { top, g } = makeRepo({ ".gitignore": ".env\n*.pkl\nbuild/\n", "app/main.py": "x\n" });
  write(top, { "app/.env": "KEY=1\n", "app/model.pkl": "p" });
  g("add", "-f", "app/.env", "app/model.pkl");
  g("commit", "-qm", "ignored but tracked");
  write(top, { "app/new.py": "n\n", "app/local.pkl": "p", "app/build/out.js": "o", "app/node_modules/m/i.js": "m", "top.txt": "t" });
  const nested = join(top, "app", "nested");
  mkdirSync(nested);
  execFileSync("git", ["init", "-q"], { cwd: nested });
  writeFileSync(join(nested, "n.txt"), "n");
  const repo = (await findRepository(join(top, "app")))!;

  const listed = await listWorkTreeFiles(repo, "app", { exclude: ["node_modules/"] });
  expect(listed.tracked.sort()).toEqual(["app/.env", "app/main.py", "app/model.pkl"]);
  expect(listed.untracked.sort()).toEqual(["app/new.py"]);
  expect(listed.unlisted).toEqual([{ path: "app/nested", reason: expect.stringMatching(/nested git repository/) }]);
  const all = await listWorkTreeFiles(repo, "");
  expect(all.tracked).toContain(".gitignore");
  expect(all.untracked.sort()).toEqual(["app/new.py", "app/node_modules/m/i.js", "top.txt"]);
  await expect(listWorkTreeFiles(repo, "../x")).rejects.toThrow(/invalid repository path/);
});

// git refuses a repository another user owns (its .git/config could run commands); the explicit
// --git-dir used here would skip that check, so git.ts makes it. Changing owners needs root.
(process.getuid?.() === 0 ? test : test.skip)("a repository owned by another user is refused unless safe.directory names it", async () => {
  const { top } = makeRepo();
  const trusted = makeRepo();
  execFileSync("chown", ["-R", "65534:65534", top, trusted.top]);
  const home = tempDir();
  writeFileSync(join(home, ".gitconfig"), `[safe]\n\tdirectory = ${trusted.top}\n`);
  const saved = process.env.HOME;
  process.env.HOME = home;
  try {
    await expect(gitText((await findRepository(top))!, ["status"])).rejects.toThrow(/git refuses .* owned by another user/);
    await expect(listWorkTreeFiles((await findRepository(top))!, "")).rejects.toThrow(/safe\.directory/);
    expect((await listWorkTreeFiles((await findRepository(trusted.top))!, "")).tracked).toEqual(["a.txt"]);
  } finally {
    process.env.HOME = saved;
  }
});

test("the listing with blob ids lists what listWorkTreeFiles lists, with the ids of unchanged files only, submodules included", async () => {
  const { top, g } = makeRepo({ "a.txt": "a\n", "svc/b.txt": "b\n", "svc/c.txt": "c\n" });
  writeFileSync(join(top, "svc/c.txt"), "changed\n");
  write(top, { "svc/new.txt": "n\n" });
  const repo = (await findRepository(top))!;
  for (const sub of ["", "svc"]) {
    const { blobIds: later, ...listing } = await listWorkTreeWithBlobIds(repo, sub);
    const blobIds = await later;
    expect(listing).toEqual(await listWorkTreeFiles(repo, sub));
    expect([...blobIds.keys()].sort()).toEqual(sub ? ["svc/b.txt"] : ["a.txt", "svc/b.txt"]);
    expect(blobIds.get("svc/b.txt")).toBe(g("rev-parse", "HEAD:svc/b.txt").trim());
  }
  expect((await listWorkTreeFiles(repo, "", { tracked: false })).tracked).toEqual([]);

  const inner = makeRepo({ "inner.txt": "i\n" });
  g("submodule", "add", "-q", inner.top, "mod");
  g("commit", "-qm", "submodule");
  const withModule = await listWorkTreeWithBlobIds(repo, "");
  expect(withModule.tracked).toEqual((await listWorkTreeFiles(repo, "")).tracked);
  expect(withModule.tracked).toContain("mod/inner.txt");
  expect((await withModule.blobIds).has("mod/inner.txt")).toBe(false);
});
