import { filesUnder, pathsOf, relativePaths } from "../../src/inventory/file-index.js";

const f = (path: string) => ({ path, size: 1 });

describe("filesUnder", () => {
  it("gives the files below a folder in the list's order, from a sorted list or not", () => {
    const sorted = ["a", "a-b/x", "a/b", "a/c/d", "a0/x", "b/a/x"].map(f);
    expect(filesUnder(sorted, "a").map((x) => x.path)).toEqual(["a/b", "a/c/d"]);
    expect(filesUnder(sorted, "a/c").map((x) => x.path)).toEqual(["a/c/d"]);
    expect(filesUnder(sorted, "b/a/x")).toEqual([]);
    expect(filesUnder(sorted, "")).toBe(sorted);
    const unsorted = ["b/a/x", "a/c/d", "a", "a/b"].map(f);
    expect(filesUnder(unsorted, "a").map((x) => x.path)).toEqual(["a/c/d", "a/b"]);
  });
});

describe("relativePaths", () => {
  it("strips the folder from the paths below it, once per list and folder", () => {
    const paths = ["svc/a.py", "svc/x/b.py", "other/c.py"];
    expect(relativePaths(paths, "svc")).toEqual(["a.py", "x/b.py", "other/c.py"]);
    expect(relativePaths(paths, "svc")).toBe(relativePaths(paths, "svc"));
    expect(relativePaths(paths, "")).toBe(paths);
  });
});

describe("pathsOf", () => {
  it("gives a list's paths, the same array for the same list", () => {
    const files = ["a", "b/c"].map(f);
    expect(pathsOf(files)).toEqual(["a", "b/c"]);
    expect(pathsOf(files)).toBe(pathsOf(files));
  });
});
