// The platform team's commands: `aigate org list` and `aigate org shard` (what the reusable
// org-scan workflow runs to fan out) and `aigate merge` (reports into the organisation posture:
// JSON, Markdown, one HTML page).
import { appendFile, readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { Command, Option } from "commander";
import { collect, isoDate, wholeNumber, type CommandIO } from "../cli-options.js";
import { ConfigError } from "../errors.js";
import { termText } from "../util/escape.js";
import { writeOutputFile } from "../util/safe-fs.js";
import { renderPostureHtml } from "./html.js";
import { listOrgRepos, type OrgRepo } from "./list.js";
import { renderPostureMarkdown } from "./markdown.js";
import { expandReportArgs, mergeReports } from "./merge.js";
import { shardRepos } from "./shard.js";

type IO = CommandIO;

export function addOrgCommands(program: Command, io: IO): void {
  const env = io.env ?? process.env;
  const cwd = io.cwd ?? process.cwd();
  const log = (l: string) => io.stderr(`aigate: ${termText(l)}\n`);

  const org = program.command("org").description("fan out over an organisation's repositories (what the reusable org-scan workflow runs)");
  org
    .command("list")
    .description("list an organisation's repositories, filtered, as JSON for `aigate org shard`")
    .requiredOption("--org <name>", "the organisation")
    .option("--topic <topic>", "keep repositories with this topic (repeat: any of them)", collect, [] as string[])
    .option("--language <language>", "keep repositories whose primary language is this (repeat: any of them)", collect, [] as string[])
    .option("--visibility <visibility>", "keep repositories of this visibility: public, private or internal (repeat: any of them)", collect, [] as string[])
    .addOption(new Option("--archived <which>", "archived repositories").choices(["exclude", "include", "only"]).default("exclude"))
    .option("--forks", "keep forks too")
    .option(
      "--include <glob>",
      "keep only repositories whose name matches (repeat: any of them; owner/name when the glob has a slash)",
      collect,
      [] as string[],
    )
    .option("--exclude <glob>", "leave out repositories whose name matches (repeat)", collect, [] as string[])
    .option("--token-env <name>", "environment variable holding the token", "GITHUB_TOKEN")
    .option("-o, --output <file>", "write the list to a file instead of standard output")
    .action(
      async (o: {
        org: string;
        topic: string[];
        language: string[];
        visibility: string[];
        archived: "exclude" | "include" | "only";
        forks?: boolean;
        include: string[];
        exclude: string[];
        tokenEnv: string;
        output?: string;
      }) => {
        for (const v of o.visibility)
          if (!["public", "private", "internal"].includes(v)) throw new ConfigError(`--visibility must be public, private or internal; got "${v}"`);
        const { repos, listed } = await listOrgRepos(
          o.org,
          {
            topics: o.topic,
            languages: o.language,
            visibility: o.visibility,
            archived: o.archived,
            forks: o.forks === true,
            include: o.include,
            exclude: o.exclude,
          },
          { apiUrl: (env.GITHUB_API_URL || "https://api.github.com").replace(/\/$/, ""), token: env[o.tokenEnv] ?? "" },
        );
        const text = JSON.stringify({ org: o.org, listed, repositories: repos }, null, 2) + "\n";
        if (o.output) await writeOutputFile(resolve(cwd, o.output), text);
        else io.stdout(text);
        io.stderr(`aigate: ${repos.length} of ${listed} repositories of ${termText(o.org)} kept\n`);
        io.setExit(0);
      },
    );
  org
    .command("shard")
    .description('split a repository list into the jobs of a workflow matrix (at most 256), balanced by size; prints {"include": [{shard, repos, count}]}')
    .requiredOption("--repos <file>", "the list: what `aigate org list` wrote, a JSON array of owner/name, or one owner/name per line (- for standard input)")
    .option("--max-jobs <n>", "jobs at most (GitHub's limit is 256 per workflow run)", wholeNumber, 256)
    .option("--repos-per-job <n>", "repositories a job takes", wholeNumber, 20)
    .option("--wave <n>", "this wave, 0-based (with --waves: every waves-th repository)", wholeNumber, 0)
    .option("--waves <n>", "waves the list is split into (one workflow run each)", wholeNumber, 1)
    .option("--github-output", "also write matrix=<json> and count=<n> to the file GITHUB_OUTPUT names")
    .action(async (o: { repos: string; maxJobs: number; reposPerJob: number; wave: number; waves: number; githubOutput?: boolean }) => {
      const text =
        o.repos === "-"
          ? await readStdin()
          : await readFile(resolve(cwd, o.repos), "utf8").catch((e: Error) => {
              throw new ConfigError(`cannot read ${o.repos}: ${e.message}`);
            });
      const plan = shardRepos(parseRepoList(text), { maxJobs: o.maxJobs, reposPerJob: o.reposPerJob, wave: o.wave, waves: o.waves });
      const matrix = JSON.stringify({ include: plan.include });
      io.stdout(matrix + "\n");
      if (o.githubOutput) {
        if (!env.GITHUB_OUTPUT) throw new ConfigError("--github-output: GITHUB_OUTPUT is not set (it is, in a workflow step)");
        await appendFile(env.GITHUB_OUTPUT, `matrix=${matrix}\ncount=${plan.total}\njobs=${plan.include.length}\n`);
      }
      io.stderr(`aigate: ${plan.total} repositories in ${plan.include.length} jobs${plan.waves > 1 ? ` (wave ${plan.wave} of ${plan.waves})` : ""}\n`);
      io.setExit(0);
    });

  program
    .command("merge")
    .description(
      "combine many repositories' JSON reports into the organisation posture: posture.json, posture.md and one self-contained posture.html (systems × controls, threats, failing rules, risk acceptances by expiry, change since --previous)",
    )
    .argument("<reports...>", "report files, folders (every .json below) or quoted globs such as 'reports/**/*.json'")
    .requiredOption("-o, --output <dir>", "folder to write posture.json, posture.md and posture.html into")
    .option("--previous <file>", "a posture.json of an earlier merge, to show what changed")
    .option("--today <date>", "count acceptance expiries from this date (YYYY-MM-DD, default: today in UTC)", isoDate)
    .option("--title <text>", "the page's title", "AI security posture")
    .action(async (args: string[], o: { output: string; previous?: string; today?: string; title: string }) => {
      const files = await expandReportArgs(args, cwd);
      if (!files.length) throw new ConfigError(`no report file matches ${args.join(" ")}`);
      const posture = await mergeReports(files, { cwd, today: o.today, previous: o.previous, warn: log });
      if (posture.inputs.reports === 0) throw new ConfigError(`none of the ${files.length} files is a valid aigate report`);
      const dir = resolve(cwd, o.output);
      await writeOutputFile(join(dir, "posture.json"), JSON.stringify(posture) + "\n");
      await writeOutputFile(join(dir, "posture.md"), renderPostureMarkdown(posture));
      await writeOutputFile(join(dir, "posture.html"), renderPostureHtml(posture, { title: o.title }));
      const t = posture.totals;
      io.stderr(
        `aigate: ${t.systems} systems in ${t.repositories} repositories (${posture.inputs.reports} reports, ${posture.inputs.invalid.length} left out): ${t.failed} failed, ${t.notEvaluated} not evaluated, ${t.passed} passed; wrote ${termText(o.output)}/posture.{json,md,html}\n`,
      );
      io.setExit(0);
    });
}

/** A repository list: `org list` output, a JSON array (names or objects with `repository`), or lines. */
export function parseRepoList(text: string): (OrgRepo | string)[] {
  const trimmed = text.trim();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    let v: unknown;
    try {
      v = JSON.parse(trimmed);
    } catch (e) {
      throw new ConfigError(`the repository list is not valid JSON: ${(e as Error).message}`);
    }
    const items = Array.isArray(v) ? v : (v as { repositories?: unknown }).repositories;
    if (!Array.isArray(items)) throw new ConfigError("the repository list has no repositories array");
    return items.map((x) =>
      typeof x === "string" ? x : x && typeof x === "object" && typeof (x as OrgRepo).repository === "string" ? (x as OrgRepo) : String(x),
    );
  }
  return trimmed
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"));
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
