// The Dockerfile scanner (parseDockerfile and analyzeDockerfile: continuation lines, heredocs, ENV
// and ARG assignments, pip and curl/wget commands). Every input yields observations; an exception is
// a bug.
import { analyzeDockerfile } from "../../src/inventory/scanners/docker/index.js";
import type { TargetMeta } from "../lib/harness.js";

export const meta: TargetMeta = {
  description: "Dockerfile scanner (parseDockerfile, analyzeDockerfile)",
  dict: "dockerfile",
  seedGlobs: ["__tests__/inventory/scanners/docker/fixtures/**/*"],
  sync: true,
};

export function fuzz(data: Buffer): void {
  analyzeDockerfile("Dockerfile", data.toString("utf8"));
}
