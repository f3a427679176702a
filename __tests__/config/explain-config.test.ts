// `aigate explain` reads the same configuration as `check`: aigate.yml's manifest glob applies, a
// manifest file named on the command line is the one explained, and --no-config reads none.
import { renameSync } from "node:fs";
import { join } from "node:path";
import { cliInProcess } from "../helpers/cli.js";
import { exampleRepo } from "./helpers.js";

test("aigate.yml's manifest glob finds the system; a named manifest file wins; --no-config reads none", async () => {
  const dir = exampleRepo("support-assistant", { "aigate.yml": "apiVersion: aigate/v1\nmanifest: assistant.aigate.yaml\n" });
  renameSync(join(dir, "ai-system.yaml"), join(dir, "assistant.aigate.yaml"));
  const byConfig = await cliInProcess(["explain", dir, "--json"]);
  expect(byConfig.code).toBe(0);
  expect((JSON.parse(byConfig.out) as { name: string }[]).map((s) => s.name)).toEqual(["support-assistant"]);
  const named = await cliInProcess(["explain", join(dir, "assistant.aigate.yaml"), "--json"]);
  expect((JSON.parse(named.out) as { name: string }[]).map((s) => s.name)).toEqual(["support-assistant"]);
  const none = await cliInProcess(["explain", dir, "--no-config"]);
  expect(none.out).toContain("no AI system manifest found");
});
