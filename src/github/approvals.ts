// Who approved a pull request, for `settings.exceptionApprovers`: the exceptions a change adds
// count once someone the base configuration names, other than the author, approved the change at
// its current head. Team entries (`@org/team`) need a token that can read team membership.
import { errorText, type Octokit } from "./client.js";
import type { RunContext } from "./context.js";

export interface Approval {
  /** Approvers the configuration names who approved the current head. */
  approvedBy: string[];
  notes: string[];
}

interface ApiReview {
  state?: string;
  commit_id?: string | null;
  user?: { login?: string } | null;
}

export async function approvalsFor(octokit: Octokit, ctx: RunContext, approvers: readonly string[]): Promise<Approval> {
  const notes: string[] = [];
  const pull = ctx.pull;
  if (!pull || !approvers.length) return { approvedBy: [], notes };
  const reviews = (await octokit.paginate(octokit.rest.pulls.listReviews, {
    owner: ctx.owner,
    repo: ctx.repo,
    pull_number: pull.number,
    per_page: 100,
  })) as ApiReview[];
  // The latest review per person decides; an approval of an older head does not carry over.
  const latest = new Map<string, ApiReview>();
  for (const r of reviews) if (r.user?.login && r.state !== "COMMENTED") latest.set(r.user.login.toLowerCase(), r);
  const approvedLogins = [...latest.entries()]
    .filter(([login, r]) => r.state === "APPROVED" && r.commit_id === pull.headSha && login !== (pull.author ?? "").toLowerCase())
    .map(([login]) => login);
  const approvedBy: string[] = [];
  for (const who of approvers) {
    if (!who.includes("/")) {
      const login = who.replace(/^@/, "").toLowerCase();
      if (approvedLogins.includes(login)) approvedBy.push(login);
      continue;
    }
    const [org, team] = who.replace(/^@/, "").split("/") as [string, string];
    for (const login of approvedLogins) {
      try {
        const m = await octokit.rest.teams.getMembershipForUserInOrg({ org, team_slug: team, username: login });
        if (m.data.state === "active") approvedBy.push(`${login} (${who})`);
      } catch (e) {
        const status = (e as { status?: number }).status;
        if (status === 404) continue;
        notes.push(
          `Team ${who} could not be read with this token (${errorText(e)}): its members' approvals do not count; name logins or use a token with members: read.`,
        );
        break;
      }
    }
  }
  return { approvedBy: [...new Set(approvedBy)], notes };
}
