// Which observation kinds a rule id stands for, so that `# aigate: ignore[rule-id]` can drop the
// observations it names. Read from the built-in packs (an `observation` rule's `match`), plus the
// dedicated check kinds that read code observations.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { packageRoot } from "../../../util/package-root.js";

const CHECK_KIND_OBSERVATIONS: Record<string, string> = {
  "code-undeclared-tool": "code.tool",
  "code-tool-privileges": "code.tool",
  "code-torch-weights-only": "code.torch-load-weights-only",
};

let cached: Map<string, string[]> | undefined;

export function ruleObservationKinds(): Map<string, string[]> {
  if (cached) return cached;
  const map = new Map<string, string[]>();
  const dir = join(packageRoot(), "policies", "builtin");
  let files: string[] = [];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith(".yaml"));
  } catch {
    // no built-in packs: only observation kinds themselves can be named
  }
  for (const f of files) {
    try {
      const pack = parse(readFileSync(join(dir, f), "utf8")) as { rules?: { id?: string; check?: { kind?: string; match?: string } }[] };
      for (const r of pack?.rules ?? []) {
        if (!r?.id || !r.check?.kind) continue;
        const kind = r.check.kind === "observation" ? r.check.match : CHECK_KIND_OBSERVATIONS[r.check.kind];
        if (kind) map.set(r.id, [...(map.get(r.id) ?? []), kind]);
      }
    } catch {
      // another area's pack that does not parse is that pack's problem, reported by the loader
    }
  }
  cached = map;
  return map;
}
