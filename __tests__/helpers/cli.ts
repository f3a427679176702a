// The CLI run in-process from the sources, its output captured: a usage error from commander is
// exit status 2; any other exception reaches the test.
import { buildProgram } from "../../src/cli.js";

export async function cliInProcess(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  let code = 0;
  const program = buildProgram({ stdout: (s) => void (out += s), stderr: (s) => void (err += s), setExit: (c) => (code = c) });
  try {
    await program.parseAsync(args, { from: "user" });
  } catch (e) {
    const c = (e as { code?: string }).code;
    if (!c?.startsWith("commander.")) throw e;
    code = 2;
  }
  return { code, out, err };
}
