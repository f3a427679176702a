import { execFileSync } from "node:child_process";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readRangeSync } from "../../src/inventory/context.js";
import { tempDir } from "../helpers/git-repo.js";

// readRangeSync skips the fstat when a read returns every byte asked for: what it still refuses is
// whatever stands where the walk saw a regular file by the time it is read.
describe("readRangeSync", () => {
  const root = tempDir("aigate-context-");
  writeFileSync(join(root, "a.py"), "import os\n");
  writeFileSync(join(root, "big.bin"), Buffer.alloc(100_000, 7));

  test("a regular file: the whole file, a range, a request past its end cut to what is there", () => {
    expect(readRangeSync(join(root, "a.py"), 0, 10).toString()).toBe("import os\n");
    expect(readRangeSync(join(root, "a.py"), 7, 2).toString()).toBe("os");
    expect(readRangeSync(join(root, "a.py"), 0, 64).toString()).toBe("import os\n");
    // Over 64 KiB the request is cut to the file's size before the buffer is made.
    expect(readRangeSync(join(root, "big.bin"), 99_990, 1 << 30)).toEqual(Buffer.alloc(10, 7));
  });

  test("a FIFO where a non-empty file was walked is refused, not read as empty", () => {
    execFileSync("mkfifo", [join(root, "pipe.py")]);
    expect(() => readRangeSync(join(root, "pipe.py"), 0, 10)).toThrow("not a regular file");
  });

  test("a directory and a symbolic link are refused", () => {
    mkdirSync(join(root, "dir.py"));
    symlinkSync(join(root, "a.py"), join(root, "link.py"));
    expect(() => readRangeSync(join(root, "dir.py"), 0, 10)).toThrow("not a regular file");
    expect(() => readRangeSync(join(root, "link.py"), 0, 10)).toThrow(/ELOOP/);
  });
});
