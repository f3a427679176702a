// `aigate bom` reads the same configuration as `check`: aigate.yml's manifest glob (and packs,
// ignore) apply, and --no-config turns it off.
import { renameSync } from "node:fs";
import { join } from "node:path";
import { ConfigError } from "../../src/errors.js";
import { exampleRepo } from "../config/helpers.js";
import { cliInProcess } from "../helpers/cli.js";

test("aigate.yml's manifest glob finds the system; --no-config does not read it", async () => {
  const dir = exampleRepo("support-assistant", { "aigate.yml": "apiVersion: aigate/v1\nmanifest: assistant.aigate.yaml\n" });
  renameSync(join(dir, "ai-system.yaml"), join(dir, "assistant.aigate.yaml"));
  const r = await cliInProcess(["bom", dir, "--today", "2026-11-27"]);
  expect(r.code).toBe(0);
  expect(JSON.parse(r.out).metadata.component.name).toBe("support-assistant");
  await expect(cliInProcess(["bom", dir, "--today", "2026-11-27", "--no-config"])).rejects.toThrow(ConfigError);
});
