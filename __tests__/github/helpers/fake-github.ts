// A loopback stand-in for api.github.com. Every request is checked against GitHub's REST OpenAPI
// description; answers are built from the description's own examples and checked against its
// response schemas. Rules the description cannot express (comment size, review lines inside the
// diff, writes on a read-only fork token) are enforced here as GitHub enforces them.
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { parsePatch } from "../../../src/github/diff.js";
import { OpenApi, type MatchedOperation } from "./openapi.js";

export interface RecordedRequest {
  method: string;
  path: string;
  operationId: string | null;
  body: unknown;
  status: number;
}

export interface PrFile {
  filename: string;
  status: "added" | "modified" | "removed" | "renamed";
  patch?: string;
}

interface Comment {
  id: number;
  body: string;
  user: "github-actions[bot]" | "octocat";
}

export interface FakeGitHubState {
  files: PrFile[];
  issueComments: Comment[];
  reviewComments: (Comment & { path: string; line: number; commit_id: string })[];
  reviews: { id: number; body: string; comments: number }[];
  checkRuns: {
    id: number;
    name: string;
    head_sha: string;
    status: string;
    conclusion: string | null;
    annotations: unknown[];
    summary: string;
    title: string;
  }[];
  /** Files of the base commit by path (served by repos/get-content at any ref); absent paths are 404. */
  baseFiles?: Record<string, string>;
  /** Files of `compare/{base}...{head}` (the merge commit against its base); defaults to `files`. */
  compareFiles?: PrFile[];
  /** Reviews of the pull request (pulls/list-reviews). */
  prReviews?: { login: string; state: "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED"; commit_id: string }[];
  /**
   * Other repositories by "owner/repo": their files by commit SHA (repos/get-content with ?ref=, with
   * the real git blob id; files over 1 MB come without content, as GitHub sends them, and git/get-blob
   * has them) and their branches and tags by name (repos/get-commit). A token in `denyTokens` gets 404.
   */
  repos?: Record<string, { commits: Record<string, Record<string, string>>; refs?: Record<string, string> }>;
  /** Tokens that cannot read `repos` (a GITHUB_TOKEN of another repository): 404, as GitHub answers. */
  denyTokens?: string[];
  /** Organisations' repositories (repos/list-for-org): fields of minimal-repository to set on the example. */
  orgRepos?: Record<string, OrgRepoFixture[]>;
}

/** What a test sets of a repository that repos/list-for-org lists. */
export interface OrgRepoFixture {
  name: string;
  topics?: string[];
  language?: string | null;
  visibility?: "public" | "private" | "internal";
  archived?: boolean;
  fork?: boolean;
  disabled?: boolean;
  size?: number;
  default_branch?: string;
}

const BOT = { login: "github-actions[bot]", id: 41898282, type: "Bot" };
const HUMAN = { login: "octocat", id: 1, type: "User" };
const COMMENT_MAX = 65536;

export class FakeGitHub {
  readonly requests: RecordedRequest[] = [];
  /** Contract violations: any entry fails the test. */
  readonly violations: string[] = [];
  state: FakeGitHubState = { files: [], issueComments: [], reviewComments: [], reviews: [], checkRuns: [] };
  /** A fork PR's GITHUB_TOKEN: every write answers 403. */
  readOnly = false;
  /** Answers to give before serving normally (server errors, rate limits), oldest first. */
  faults: { status: number; headers?: Record<string, string>; message: string }[] = [];
  private server: Server;
  private nextId = 1000;
  private link: string | null = null;
  private base = "";

  constructor(private api: OpenApi) {
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  async start(): Promise<string> {
    await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", r));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.base;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  writes(): RecordedRequest[] {
    return this.requests.filter((r) => r.method !== "GET");
  }

  private token = "";

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.token = (req.headers.authorization ?? "").replace(/^(token|Bearer) /, "");
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      return this.send(res, null, req.method!, url.pathname, body, 400, { message: "Problems parsing JSON" }, "body is not JSON");
    }
    const m = this.api.match(req.method!, url.pathname);
    if (!m)
      return this.send(
        res,
        null,
        req.method!,
        url.pathname,
        body,
        404,
        { message: "Not Found" },
        `no operation ${req.method} ${url.pathname} in the OpenAPI description`,
      );
    if (!/^(token|Bearer) \S+$/.test(req.headers.authorization ?? "")) this.violations.push(`${req.method} ${url.pathname}: no token`);
    const errors = this.api.validateRequest(m, url.searchParams, body);
    if (errors.length)
      return this.send(
        res,
        m,
        req.method!,
        url.pathname,
        body,
        422,
        { message: "Validation Failed", documentation_url: "https://docs.github.com/rest" },
        `${m.operation.operationId}: ${errors.join("; ")}`,
        false,
      );
    const fault = this.faults.shift();
    if (fault) {
      this.requests.push({ method: req.method!, path: url.pathname, operationId: m.operation.operationId, body, status: fault.status });
      res.writeHead(fault.status, { "content-type": "application/json", ...fault.headers });
      res.end(JSON.stringify({ message: fault.message, documentation_url: "https://docs.github.com/rest" }));
      return;
    }
    if (req.method !== "GET" && this.readOnly)
      return this.send(res, m, req.method!, url.pathname, body, 403, {
        message: "Resource not accessible by integration",
        documentation_url: "https://docs.github.com/rest",
        status: "403",
      });
    const [status, answer, rule] = this.route(m, url, body as Record<string, unknown>);
    return this.send(res, m, req.method!, url.pathname, body, status, answer, rule);
  }

  private send(
    res: ServerResponse,
    m: MatchedOperation | null,
    method: string,
    path: string,
    body: unknown,
    status: number,
    answer: unknown,
    violation?: string,
    checkResponse = true,
  ): void {
    if (violation) this.violations.push(`${method} ${path}: ${violation}`);
    if (m && checkResponse && status < 300) {
      const errs = this.api.validateResponse(m, status, answer);
      if (errs.length) this.violations.push(`fake server answered off-contract for ${m.operation.operationId}: ${errs.join("; ").slice(0, 500)}`);
    }
    this.requests.push({ method, path, operationId: m?.operation.operationId ?? null, body, status });
    const payload = answer === undefined ? "" : JSON.stringify(answer);
    const headers: Record<string, string> = {
      "content-type": "application/json; charset=utf-8",
      "x-ratelimit-limit": "1000",
      "x-ratelimit-remaining": "999",
      "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + 3600),
      "x-ratelimit-resource": "core",
    };
    if (this.link) headers.link = this.link;
    this.link = null;
    res.writeHead(status, headers);
    res.end(payload);
  }

  private route(m: MatchedOperation, url: URL, body: Record<string, unknown>): [number, unknown, string?] {
    const id = m.operation.operationId;
    const ex = (status: number) => this.api.example(m, status) as Record<string, unknown>;
    const perPage = Number(url.searchParams.get("per_page") ?? 30);
    const page = Number(url.searchParams.get("page") ?? 1);
    const slice = <T>(items: T[]) => {
      if (page * perPage < items.length) {
        const next = new URL(url.toString());
        next.searchParams.set("page", String(page + 1));
        this.link = `<${next.toString().replace("http://127.0.0.1", this.base)}>; rel="next"`;
      }
      return items.slice((page - 1) * perPage, page * perPage);
    };
    switch (id) {
      case "pulls/list-files": {
        const template = (ex(200) as unknown as Record<string, unknown>[])[0]!;
        return [
          200,
          slice(this.state.files).map((f) => ({ ...template, filename: f.filename, status: f.status, patch: f.patch, additions: 1, deletions: 0, changes: 1 })),
        ];
      }
      case "issues/list-comments": {
        const template = (ex(200) as unknown as Record<string, unknown>[])[0]!;
        return [200, slice(this.state.issueComments).map((c) => this.issueComment(template, c))];
      }
      case "issues/create-comment": {
        const b = String(body.body);
        if (b.length > COMMENT_MAX)
          return [
            422,
            {
              message: "Validation Failed",
              errors: [{ resource: "IssueComment", code: "unprocessable", field: "data", message: "Body is too long (maximum is 65536 characters)" }],
            },
            `comment body of ${b.length} characters`,
          ];
        const c: Comment = { id: this.nextId++, body: b, user: "github-actions[bot]" };
        this.state.issueComments.push(c);
        return [201, this.issueComment(ex(201), c)];
      }
      case "issues/update-comment": {
        const c = this.state.issueComments.find((x) => x.id === Number(m.params.comment_id));
        if (!c) return [404, { message: "Not Found" }, "update of an unknown comment"];
        const b = String(body.body);
        if (b.length > COMMENT_MAX) return [422, { message: "Validation Failed" }, `comment body of ${b.length} characters`];
        c.body = b;
        return [200, this.issueComment(ex(200), c)];
      }
      case "issues/delete-comment": {
        const i = this.state.issueComments.findIndex((x) => x.id === Number(m.params.comment_id));
        if (i < 0) return [404, { message: "Not Found" }, "delete of an unknown comment"];
        this.state.issueComments.splice(i, 1);
        return [204, undefined];
      }
      case "pulls/list-review-comments": {
        const template = (ex(200) as unknown as Record<string, unknown>[])[0]!;
        return [
          200,
          slice(this.state.reviewComments).map((c) => ({
            ...template,
            id: c.id,
            body: c.body,
            path: c.path,
            line: c.line,
            commit_id: c.commit_id,
            user: { ...(template.user as object), ...(c.user === "octocat" ? HUMAN : BOT) },
          })),
        ];
      }
      case "pulls/create-review": {
        const comments = (body.comments as { path: string; line: number; side?: string; body: string }[] | undefined) ?? [];
        for (const c of comments) {
          const f = this.state.files.find((x) => x.filename === c.path);
          if (!f) return [422, { message: "Unprocessable Entity", errors: ["Path could not be resolved"] }, `review comment on ${c.path}, not in the PR`];
          const lines = f.patch ? parsePatch(f.patch).commentable : new Set<number>();
          if (!lines.has(c.line) || c.side === "LEFT")
            return [
              422,
              { message: "Unprocessable Entity", errors: ["Pull request review thread line must be part of the diff"] },
              `review comment on ${c.path}:${c.line}, not part of the diff`,
            ];
          if (c.body.length > COMMENT_MAX) return [422, { message: "Validation Failed" }, `review comment of ${c.body.length} characters`];
        }
        if ((body.event === "COMMENT" || body.event === "REQUEST_CHANGES") && !body.body)
          return [422, { message: "Unprocessable Entity" }, "review event needs a body"];
        const review = { id: this.nextId++, body: String(body.body ?? ""), comments: comments.length };
        this.state.reviews.push(review);
        for (const c of comments)
          this.state.reviewComments.push({
            id: this.nextId++,
            body: c.body,
            user: "github-actions[bot]",
            path: c.path,
            line: c.line,
            commit_id: String(body.commit_id),
          });
        return [200, { ...ex(200), id: review.id, body: review.body, commit_id: body.commit_id, state: "COMMENTED" }];
      }
      case "checks/create": {
        const output = (body.output ?? {}) as { title?: string; summary?: string; annotations?: unknown[] };
        const run = {
          id: this.nextId++,
          name: String(body.name),
          head_sha: String(body.head_sha),
          status: String(body.status ?? (body.conclusion ? "completed" : "queued")),
          conclusion: (body.conclusion as string) ?? null,
          annotations: [...(output.annotations ?? [])],
          summary: output.summary ?? "",
          title: output.title ?? "",
        };
        this.state.checkRuns.push(run);
        return [201, this.checkRun(ex(201), run)];
      }
      case "checks/update": {
        const run = this.state.checkRuns.find((x) => x.id === Number(m.params.check_run_id));
        if (!run) return [404, { message: "Not Found" }, "update of an unknown check run"];
        const output = (body.output ?? {}) as { title?: string; summary?: string; annotations?: unknown[] };
        if (body.status === "completed" && !body.conclusion) return [422, { message: "Validation Failed" }, "completed without a conclusion"];
        run.annotations.push(...(output.annotations ?? []));
        if (output.summary) run.summary = output.summary;
        if (body.status) run.status = String(body.status);
        if (body.conclusion) [run.status, run.conclusion] = ["completed", String(body.conclusion)];
        return [200, this.checkRun(ex(200), run)];
      }
      case "repos/get-content": {
        const other = this.otherRepo(m);
        if (other) return this.otherContent(m, url, other);
        const path = decodeURIComponent(String(m.params.path ?? ""));
        const text = this.state.baseFiles?.[path];
        if (text === undefined)
          return [404, { message: "Not Found", documentation_url: "https://docs.github.com/rest/repos/contents#get-repository-content", status: "404" }];
        const content = Buffer.from(text, "utf8").toString("base64");
        const name = path.split("/").pop()!;
        return [
          200,
          {
            type: "file",
            encoding: "base64",
            size: Buffer.byteLength(text),
            name,
            path,
            content,
            sha: "3d21ec53a331a6f037a91c368710b99387d012c1",
            url: `${this.base}/repos/o/r/contents/${path}`,
            git_url: null,
            html_url: null,
            download_url: null,
            _links: { self: `${this.base}/repos/o/r/contents/${path}`, git: null, html: null },
          },
        ];
      }
      case "pulls/list-reviews": {
        const template = (ex(200) as unknown as Record<string, unknown>[])[0]!;
        return [
          200,
          slice(this.state.prReviews ?? []).map((r, i) => ({
            ...template,
            id: 500 + i,
            state: r.state,
            commit_id: r.commit_id,
            user: { ...(template.user as object), login: r.login, type: "User" },
          })),
        ];
      }
      case "repos/compare-commits-with-basehead": {
        const template = ex(200);
        const fileTemplate = ((template.files as Record<string, unknown>[] | undefined) ?? [])[0] ?? {};
        const files = (this.state.compareFiles ?? this.state.files).map((f) => ({
          ...fileTemplate,
          filename: f.filename,
          status: f.status,
          patch: f.patch,
          additions: 1,
          deletions: 0,
          changes: 1,
        }));
        return [200, { ...template, files }];
      }
      case "repos/get-commit": {
        const other = this.otherRepo(m);
        if (!other) return [404, { message: "Not Found", documentation_url: "https://docs.github.com/rest", status: "404" }];
        const ref = decodeURIComponent(m.params.ref!);
        const sha = other.commits[ref] ? ref : other.refs?.[ref];
        if (!sha) return [422, { message: `No commit found for SHA: ${ref}`, documentation_url: "https://docs.github.com/rest" }];
        return [200, { ...ex(200), sha, node_id: "C_kwDOA", url: `${this.base}/repos/${m.params.owner}/${m.params.repo}/commits/${sha}`, files: [] }];
      }
      case "git/get-blob": {
        const other = this.otherRepo(m);
        const text = other
          ? Object.values(other.commits)
              .flatMap((files) => Object.values(files))
              .find((t) => gitBlobId(t) === m.params.file_sha)
          : undefined;
        if (text === undefined) return [404, { message: "Not Found", documentation_url: "https://docs.github.com/rest", status: "404" }];
        return [
          200,
          {
            ...ex(200),
            sha: m.params.file_sha,
            size: Buffer.byteLength(text),
            content: Buffer.from(text, "utf8").toString("base64"),
            encoding: "base64",
            url: `${this.base}/repos/${m.params.owner}/${m.params.repo}/git/blobs/${m.params.file_sha}`,
            node_id: "B_kwDOA",
          },
        ];
      }
      case "repos/list-for-org": {
        const repos = this.state.orgRepos?.[m.params.org!];
        if (!repos)
          return [
            404,
            { message: "Not Found", documentation_url: "https://docs.github.com/rest", status: "404" },
            `list of unknown organisation ${m.params.org}`,
          ];
        const template = (ex(200) as unknown as Record<string, unknown>[])[0]!;
        return [
          200,
          slice(repos).map((r, i) => ({
            ...template,
            id: 7000 + i,
            name: r.name,
            full_name: `${m.params.org}/${r.name}`,
            owner: { ...(template.owner as object), login: m.params.org },
            private: (r.visibility ?? "public") !== "public",
            visibility: r.visibility ?? "public",
            topics: r.topics ?? [],
            language: r.language ?? null,
            archived: r.archived ?? false,
            disabled: r.disabled ?? false,
            fork: r.fork ?? false,
            size: r.size ?? 100,
            default_branch: r.default_branch ?? "main",
            html_url: `https://github.com/${m.params.org}/${r.name}`,
          })),
        ];
      }
      default:
        return [404, { message: "Not Found" }, `the fake server does not serve ${id}`];
    }
  }

  /** The `repos` entry of the request's repository, unless the token may not read it. */
  private otherRepo(m: MatchedOperation) {
    const other = this.state.repos?.[`${m.params.owner}/${m.params.repo}`];
    return other && !this.state.denyTokens?.includes(this.token) ? other : undefined;
  }

  private otherContent(m: MatchedOperation, url: URL, other: NonNullable<FakeGitHubState["repos"]>[string]): [number, unknown, string?] {
    const notFound: [number, unknown] = [
      404,
      { message: "Not Found", documentation_url: "https://docs.github.com/rest/repos/contents#get-repository-content", status: "404" },
    ];
    const ref = url.searchParams.get("ref") ?? "";
    const sha = other.commits[ref] ? ref : other.refs?.[ref];
    const path = decodeURIComponent(String(m.params.path ?? ""));
    const text = sha ? other.commits[sha]?.[path] : undefined;
    if (text === undefined) return notFound;
    const size = Buffer.byteLength(text);
    const big = size > 1024 * 1024;
    const self = `${this.base}/repos/${m.params.owner}/${m.params.repo}/contents/${path}`;
    return [
      200,
      {
        type: "file",
        encoding: big ? "none" : "base64",
        size,
        name: path.split("/").pop()!,
        path,
        content: big ? "" : Buffer.from(text, "utf8").toString("base64"),
        sha: gitBlobId(text),
        url: self,
        git_url: null,
        html_url: null,
        download_url: null,
        _links: { self, git: null, html: null },
      },
    ];
  }

  private issueComment(template: Record<string, unknown>, c: Comment): unknown {
    return {
      ...template,
      id: c.id,
      body: c.body,
      html_url: `https://github.com/o/r/pull/1#issuecomment-${c.id}`,
      user: { ...(template.user as object), ...(c.user === "octocat" ? HUMAN : BOT) },
    };
  }

  private checkRun(template: Record<string, unknown>, r: FakeGitHubState["checkRuns"][number]): unknown {
    const output = template.output as Record<string, unknown>;
    return {
      ...template,
      id: r.id,
      name: r.name,
      head_sha: r.head_sha,
      status: r.status,
      conclusion: r.conclusion,
      html_url: `https://github.com/o/r/runs/${r.id}`,
      output: { ...output, title: r.title, summary: r.summary, annotations_count: r.annotations.length },
    };
  }
}

/** git's blob id of a text (what the contents API calls a file's sha). */
export function gitBlobId(text: string): string {
  const data = Buffer.from(text, "utf8");
  return createHash("sha1").update(`blob ${data.length}\0`).update(data).digest("hex");
}
