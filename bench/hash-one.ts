// Streams one file's sha256 the way the model scanner does when a digest is wanted (bench/compare.ts
// times it against sha256sum). Run: npx tsx bench/hash-one.ts FILE
import { statSync } from "node:fs";
import { RepoFileAccess } from "../src/inventory/scanners/models/repo-file.js";

const file = process.argv[2]!;
const ra = new RepoFileAccess(file, statSync(file).size, { bytesRead: 0 }, { hash: true });
try {
  console.log(await ra.sha256());
} finally {
  ra.close();
}
