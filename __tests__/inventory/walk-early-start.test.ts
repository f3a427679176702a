// The walk started before the base and the configuration are known (the CLI's `check`): it tells
// git's untracked listing to the diff, which then does not list the files again, and says once when
// it lists enough files for the scan to start a worker early. The reports are the same either way.
import { join } from "node:path";
import { diffFromGit } from "../../src/github/diff.js";
import { startWalk, walkRepository } from "../../src/inventory/walk.js";
import { prewarmFor, run } from "../../src/run.js";
import { renderJson } from "../../src/report/json.js";
import { makeRepo, tempDir, writeFiles as write } from "../helpers/git-repo.js";

const SYSTEM =
  "apiVersion: aigate/v1\nname: s\nowner: {team: t, contact: t@example.com}\nprofile: {isGenAI: true, isLLM: true, trainsOrFinetunes: false, usesRAG: false, trainingDataSensitive: false, membershipSensitive: false, inputSensitive: false, modelIsIP: false, modelHostedExternally: true, untrustedInput: true, hasAgency: false}\n";

test("the diff takes the walk's untracked listing, and gives what it gives alone", async () => {
  const { top, g } = makeRepo({ "ai-system.yaml": SYSTEM, "app/main.py": "print(1)\n", "sub/keep.py": "x = 1\n" });
  write(top, {
    "app/main.py": "import pickle\npickle.load(open('m', 'rb'))\n",
    "app/new.py": "untracked\n",
    "sub/new.py": "y = 2\n",
    "node_modules/x/i.js": "ignored\n",
  });
  const base = g("rev-parse", "HEAD").trim();

  for (const root of [top, join(top, "sub")]) {
    const { walk, untracked } = startWalk(root);
    const listed = await untracked;
    expect(listed).not.toBeNull();
    expect([...listed!.paths].sort()).toEqual(root === top ? ["app/new.py", "sub/new.py"] : ["sub/new.py"]);
    const shared = await diffFromGit(root, base, { untracked });
    const alone = await diffFromGit(root, base);
    expect([...shared.files.keys()].sort()).toEqual([...alone.files.keys()].sort());
    expect([...alone.files.keys()].sort()).toEqual(root === top ? ["app/main.py", "app/new.py", "sub/new.py"] : ["new.py"]);
    // The walk started early is the walk run() would make.
    expect(JSON.stringify(await walk)).toBe(JSON.stringify(await walkRepository(root)));
  }

  // A listing of another folder is not taken: the diff lists for itself.
  const other = startWalk(join(top, "sub"));
  const fromTop = await diffFromGit(top, base, { untracked: other.untracked });
  expect([...fromTop.files.keys()].sort()).toEqual(["app/main.py", "app/new.py", "sub/new.py"]);
  await other.walk;

  // run() with the early walk and the shared listing reports the same bytes as without them.
  const { walk, untracked } = startWalk(top);
  const early = await run({ root: top, today: "2026-12-01", base: null, diff: await diffFromGit(top, base, { untracked }), scope: "changed", walk });
  const plain = await run({ root: top, today: "2026-12-01", base: null, diff: await diffFromGit(top, base), scope: "changed" });
  const bytes = (r: Parameters<typeof renderJson>[0]) => renderJson({ ...r, generatedAt: "" });
  expect(bytes(early)).toBe(bytes(plain));
});

test("outside git there is no listing to share, and the walk says once that it lists many files", async () => {
  const dir = tempDir("aigate-early-");
  write(dir, Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`m/f${i}.txt`, "x"])));
  let calls = 0;
  const { walk, untracked } = startWalk(dir, { atLeast: 10, call: () => calls++ });
  expect(await untracked).toBeNull();
  expect((await walk).files).toHaveLength(30);
  expect(calls).toBe(1);

  let few = 0;
  await startWalk(dir, { atLeast: 1000, call: () => few++ }).walk;
  expect(few).toBe(0);
});

test("inside git the count is git's listing (tracked and untracked), told before the files are stat-ed", async () => {
  const { top } = makeRepo(Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`t${i}.py`, "x\n"])));
  write(top, { "u.py": "y\n" });
  const seen: number[] = [];
  await walkRepository(top, [], { onManyFiles: { atLeast: 13, call: () => seen.push(13) } });
  await walkRepository(top, [], { onManyFiles: { atLeast: 14, call: () => seen.push(14) } });
  expect(seen).toEqual([13]);
});

test("a worker is started early only for a full scan that will use one", () => {
  expect(prewarmFor({ scope: "changed", threads: 2 })).toBeUndefined();
  expect(prewarmFor({ scope: "all", threads: 1 })).toBeUndefined();
  const cache = tempDir("aigate-early-cache-");
  // A cache folder that exists may answer every file: no worker until the scan knows it needs one.
  expect(prewarmFor({ scope: "all", threads: 2, cacheDir: cache })).toBeUndefined();
  const when = prewarmFor({ scope: "all", threads: 2, cacheDir: join(cache, "not-yet") });
  expect(when?.atLeast).toBeGreaterThan(1);
});
