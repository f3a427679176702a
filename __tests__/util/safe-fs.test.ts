import { execFileSync } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readRegularFile, readRepoFile, UnsafePathError, writeOutputFile } from "../../src/util/safe-fs.js";

const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

function tempDir(): string {
  const d = realpathSync(mkdtempSync(join(tmpdir(), "aigate-safefs-")));
  made.push(d);
  return d;
}

/** A workspace and, beside it, a folder holding a file the repository must never reach. */
function setup() {
  const workspace = tempDir();
  const outside = tempDir();
  writeFileSync(join(outside, "victim.txt"), "original\n");
  return { workspace, outside, victim: join(outside, "victim.txt") };
}

const code = (c: UnsafePathError["code"]) => expect.objectContaining({ name: "UnsafePathError", code: c });

describe("writeOutputFile", () => {
  test("writes a new file, creating missing folders inside the workspace, and truncates an existing one", async () => {
    const { workspace } = setup();
    await writeOutputFile(join(workspace, "out/reports/aigate.json"), "{}\n", { within: workspace });
    expect(readFileSync(join(workspace, "out/reports/aigate.json"), "utf8")).toBe("{}\n");
    await writeOutputFile(join(workspace, "out/reports/aigate.json"), Buffer.from("x"), { within: workspace });
    expect(readFileSync(join(workspace, "out/reports/aigate.json"), "utf8")).toBe("x");
    // `..` that stays inside is fine.
    await writeOutputFile(join(workspace, "out/../b.sarif"), "s", { within: workspace });
    expect(readFileSync(join(workspace, "b.sarif"), "utf8")).toBe("s");
  });

  test("refuses a file that is a symbolic link, even a dangling one", async () => {
    const { workspace, victim } = setup();
    symlinkSync(victim, join(workspace, "report.json"));
    await expect(writeOutputFile(join(workspace, "report.json"), "pwned", { within: workspace })).rejects.toEqual(code("symlink"));
    await expect(writeOutputFile(join(workspace, "report.json"), "pwned")).rejects.toThrow(/report.json: it is a symbolic link/);
    symlinkSync(join(victim, "..", "new-file"), join(workspace, "dangling.json"));
    await expect(writeOutputFile(join(workspace, "dangling.json"), "pwned", { within: workspace })).rejects.toEqual(code("symlink"));
    expect(readFileSync(victim, "utf8")).toBe("original\n");
    expect(existsSync(join(victim, "..", "new-file"))).toBe(false);
  });

  test("refuses a symbolic link among the folders between the workspace and the file", async () => {
    const { workspace, outside } = setup();
    symlinkSync(outside, join(workspace, "reports"));
    await expect(writeOutputFile(join(workspace, "reports/victim.txt"), "pwned", { within: workspace })).rejects.toEqual(code("symlink"));
    await expect(writeOutputFile(join(workspace, "reports/sub/new.txt"), "pwned", { within: workspace })).rejects.toThrow(/reports is a symbolic link/);
    expect(readFileSync(join(outside, "victim.txt"), "utf8")).toBe("original\n");
    expect(existsSync(join(outside, "sub"))).toBe(false);
    writeFileSync(join(workspace, "file"), "");
    await expect(writeOutputFile(join(workspace, "file/x.json"), "x", { within: workspace })).rejects.toEqual(code("not-folder"));
  });

  test("refuses a path outside the workspace (absolute or through ..), and the workspace itself", async () => {
    const { workspace, victim } = setup();
    await expect(writeOutputFile(victim, "pwned", { within: workspace })).rejects.toEqual(code("outside"));
    await expect(writeOutputFile(join(workspace, "../x.json"), "pwned", { within: workspace })).rejects.toThrow(/outside/);
    await expect(writeOutputFile(workspace, "pwned", { within: workspace })).rejects.toEqual(code("not-regular"));
    expect(readFileSync(victim, "utf8")).toBe("original\n");
  });

  test("refuses a FIFO without blocking; without `within`, folders are created and only the file is checked", async () => {
    const { workspace, outside } = setup();
    execFileSync("mkfifo", [join(workspace, "fifo")]);
    await expect(writeOutputFile(join(workspace, "fifo"), "x", { within: workspace })).rejects.toEqual(code("not-regular"));
    await expect(writeOutputFile(join(workspace, "fifo"), "x")).rejects.toEqual(code("not-regular"));
    await writeOutputFile(join(outside, "cli/out.md"), "# report\n");
    expect(readFileSync(join(outside, "cli/out.md"), "utf8")).toBe("# report\n");
  });
});

describe("readRepoFile", () => {
  test("reads a regular file inside the root, with `..` that stays inside", async () => {
    const { workspace } = setup();
    mkdirSync(join(workspace, "conf"));
    writeFileSync(join(workspace, "conf/policy.yaml"), "rules: []\n");
    expect((await readRepoFile(workspace, "conf/policy.yaml", 100)).toString()).toBe("rules: []\n");
    expect((await readRepoFile(workspace, "conf/../conf/policy.yaml", 100)).toString()).toBe("rules: []\n");
  });

  test("refuses symbolic links (the file or a folder on the way), paths outside the root, and missing files", async () => {
    const { workspace, outside, victim } = setup();
    symlinkSync(victim, join(workspace, "link.yaml"));
    symlinkSync(outside, join(workspace, "dir"));
    await expect(readRepoFile(workspace, "link.yaml", 100)).rejects.toEqual(code("symlink"));
    await expect(readRepoFile(workspace, "dir/victim.txt", 100)).rejects.toThrow(/dir is a symbolic link/);
    await expect(readRepoFile(workspace, "../" + outside.split("/").pop() + "/victim.txt", 100)).rejects.toEqual(code("outside"));
    await expect(readRepoFile(workspace, victim, 100)).rejects.toEqual(code("outside"));
    await expect(readRepoFile(workspace, "missing/x.yaml", 100)).rejects.toEqual(code("missing"));
    await expect(readRepoFile(workspace, ".", 100)).rejects.toEqual(code("not-regular"));
    writeFileSync(join(workspace, "file"), "");
    await expect(readRepoFile(workspace, "file/x", 100)).rejects.toEqual(code("not-folder"));
  });

  test("a FIFO, a device or a folder is refused at once; a file over the limit is refused", async () => {
    const { workspace } = setup();
    execFileSync("mkfifo", [join(workspace, "pipe.yaml")]);
    mkdirSync(join(workspace, "folder"));
    writeFileSync(join(workspace, "big.bin"), Buffer.alloc(2000));
    await expect(readRepoFile(workspace, "pipe.yaml", 100)).rejects.toThrow(/pipe.yaml is a FIFO/);
    await expect(readRepoFile(workspace, "folder", 100)).rejects.toEqual(code("not-regular"));
    await expect(readRepoFile(workspace, "big.bin", 1000)).rejects.toThrow(/2000 bytes, more than the 1000 allowed/);
    expect((await readRepoFile(workspace, "big.bin", 2000)).length).toBe(2000);
  });
});

describe("readRegularFile", () => {
  test("reads an operator's file anywhere, following symbolic links unless told not to", async () => {
    const { workspace, victim } = setup();
    expect((await readRegularFile(victim, 100)).toString()).toBe("original\n");
    symlinkSync(victim, join(workspace, "policy.yaml"));
    expect((await readRegularFile(join(workspace, "policy.yaml"), 100)).toString()).toBe("original\n");
    await expect(readRegularFile(join(workspace, "policy.yaml"), 100, { noFollow: true })).rejects.toEqual(code("symlink"));
    await expect(readRegularFile(join(workspace, "nope.yaml"), 100)).rejects.toEqual(code("missing"));
    await expect(readRegularFile(victim, 3)).rejects.toEqual(code("too-large"));
  });

  test("a FIFO (or a link to one), a device or a folder is refused without blocking", async () => {
    const { workspace } = setup();
    execFileSync("mkfifo", [join(workspace, "fifo")]);
    symlinkSync(join(workspace, "fifo"), join(workspace, "to-fifo"));
    await expect(readRegularFile(join(workspace, "fifo"), 100)).rejects.toThrow(/is a FIFO \(named pipe\), not a regular file/);
    await expect(readRegularFile(join(workspace, "to-fifo"), 100)).rejects.toEqual(code("not-regular"));
    if (existsSync("/dev/zero") && lstatSync("/dev/zero").isCharacterDevice()) await expect(readRegularFile("/dev/zero", 100)).rejects.toThrow(/is a device/);
    await expect(readRegularFile(workspace, 100)).rejects.toThrow(/is a folder/);
  });
});
