// How a local MCP server is launched, read from its command line without running anything: the
// package a runner fetches (npx, npm exec, pnpm dlx, yarn dlx, bunx, uvx, uv tool run, pipx run) and
// whether its version is pinned, the image `docker run` / `podman run` starts (pinned only by a
// digest), the container's privileges and mounts, and the folders given to a filesystem server.
import { cutAt, LINE_BREAK, stripTrailing } from "../../../util/strip.js";

export interface Launch {
  /** npx, uvx, pipx, docker, ... or undefined for a plain program. */
  runner?: string;
  /** The package or image spec, as written. */
  spec?: string;
  /** Index in argv (0 = the command) of the spec. */
  specIndex?: number;
  /** The package or image name without version. */
  name?: string;
  ecosystem?: "npm" | "pypi" | "docker";
  /** The pinned version or digest, when there is one. */
  version?: string;
  pinned: boolean;
  /** Why it is not pinned (for the message). */
  unpinnedWhy?: string;
  /** Arguments after the spec (the server's own arguments), with their argv index. */
  serverArgs: { value: string; index: number }[];
  /** Container privileges: --privileged, a root or docker-socket mount, added capabilities. */
  privileged: { what: string; index: number }[];
  /** Host folders mounted into the container: { source, index }. */
  mounts: { source: string; index: number }[];
}

const EXACT_SEMVER = /^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
const EXACT_PEP440 = /^\d+(?:\.\d+)*(?:(?:a|b|rc)\d+)?(?:\.post\d+)?(?:\.dev\d+)?$/;
const HEX_COMMIT = /^[0-9a-f]{40}$/i;
const isLocal = (s: string) => /^(?:\.{1,2}[\\/]|\/|~[\\/]|[A-Za-z]:[\\/]|file:)/.test(s);
const basename = (c: string) =>
  c
    .replace(/\\/g, "/")
    .replace(/^.*\//, "")
    .replace(/\.(?:cmd|exe|bat|ps1)$/i, "")
    .toLowerCase();

/** npm package spec: `name`, `name@version`, `@scope/name@version`, git/tarball specs. */
function npmSpec(spec: string): Pick<Launch, "name" | "version" | "pinned" | "unpinnedWhy"> {
  if (/^(?:git\+|github:|gitlab:|bitbucket:|git:\/\/|https?:\/\/)/.test(spec)) {
    // The ref after the first `#` with no `&` after it (`#commit=` optional), found in one pass.
    const hash = spec.indexOf("#", spec.lastIndexOf("&") + 1);
    const tail = hash < 0 ? "" : spec.slice(hash + 1);
    const ref = tail.startsWith("commit=") && tail.length > 7 ? tail.slice(7) : tail;
    if (ref && HEX_COMMIT.test(ref)) return { name: cutAt(spec, "#"), version: ref, pinned: true };
    if (/^https?:\/\/.*\.tgz$/.test(spec)) return { name: spec, pinned: false, unpinnedWhy: "a tarball URL whose content can change (no integrity hash)" };
    return { name: cutAt(spec, "#"), pinned: false, unpinnedWhy: "a git source without a commit hash" };
  }
  const at = spec.indexOf("@", spec.startsWith("@") ? 1 : 0);
  const name = at > 0 ? spec.slice(0, at) : spec;
  const version = at > 0 ? spec.slice(at + 1) : undefined;
  if (version === undefined || version === "")
    return { name, pinned: false, unpinnedWhy: "no version: each start fetches whatever the registry has as latest" };
  if (EXACT_SEMVER.test(version)) return { name, version, pinned: true };
  return { name, version, pinned: false, unpinnedWhy: `version "${version}" is a tag or range, not an exact version` };
}

/** PyPI requirement as uvx/pipx take it: `name`, `name==1.2`, `name[extra]==1.2`, `name@1.2` (uvx), git URLs. */
function pySpec(spec: string): Pick<Launch, "name" | "version" | "pinned" | "unpinnedWhy"> {
  const git = /^(?:([A-Za-z0-9._-]+)\s*@\s*)?git\+[^@#]+(?:@([^#]+))?/.exec(spec);
  if (git) {
    if (git[2] && HEX_COMMIT.test(git[2])) return { name: git[1] ?? spec, version: git[2], pinned: true };
    return { name: git[1] ?? spec, pinned: false, unpinnedWhy: "a git source without a commit hash" };
  }
  // A line break fails the expression's `(.*)$` only after trying every split of the version: none is a pin.
  // eslint-disable-next-line regexp/no-super-linear-backtracking -- without a line break, `.*$` matches at its first try
  const m = LINE_BREAK.test(spec) ? null : /^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*(?:(===?|@)\s*([^\s;,]+))?(.*)$/.exec(spec);
  if (!m) return { name: spec, pinned: false, unpinnedWhy: "a requirement that is not an exact pin" };
  const [, name, , op, version, rest] = m;
  if (!op)
    return {
      name: name!,
      pinned: false,
      unpinnedWhy: rest?.trim() ? `"${rest.trim()}" is a range, not ==version` : "no version: each start installs the latest release",
    };
  if (EXACT_PEP440.test(version!) && !rest?.trim()) return { name: name!, version, pinned: true };
  return { name: name!, version, pinned: false, unpinnedWhy: `version "${version}${rest ?? ""}" is not an exact version` };
}

/** Docker image reference: pinned only by `@sha256:` digest; a tag can be moved to other content. */
function imageSpec(spec: string): Pick<Launch, "name" | "version" | "pinned" | "unpinnedWhy"> {
  const digest = /@(sha256:[0-9a-f]{64})$/i.exec(spec);
  if (digest) return { name: spec.slice(0, digest.index), version: digest[1], pinned: true };
  const lastSlash = spec.lastIndexOf("/");
  const colon = spec.indexOf(":", lastSlash + 1);
  const name = colon > 0 ? spec.slice(0, colon) : spec;
  const tag = colon > 0 ? spec.slice(colon + 1) : undefined;
  if (!tag) return { name, pinned: false, unpinnedWhy: "no tag or digest: docker pulls whatever :latest is" };
  return { name, version: tag, pinned: false, unpinnedWhy: `tag ":${tag}" without an @sha256 digest: a tag can be moved to other content` };
}

// Options that take a value, per runner (the value is the next argument unless written `--opt=value`).
const VALUE_OPTS: Record<string, Set<string>> = {
  npm: new Set(["-p", "--package", "-c", "--call", "-w", "--workspace", "--registry", "--cache", "--prefix", "--userconfig"]),
  uv: new Set([
    "--from",
    "--with",
    "--with-editable",
    "--with-requirements",
    "-p",
    "--python",
    "--index",
    "--index-url",
    "--default-index",
    "--extra-index-url",
    "-c",
    "--constraints",
    "--overrides",
    "--directory",
    "--project",
    "--config-file",
    "--cache-dir",
    "-f",
    "--find-links",
    "--env-file",
  ]),
  pipx: new Set(["--spec", "--python", "--index-url", "--pip-args", "--fetch-python"]),
  docker: new Set([
    "-e",
    "--env",
    "--env-file",
    "-v",
    "--volume",
    "--mount",
    "-p",
    "--publish",
    "--name",
    "--network",
    "--net",
    "-w",
    "--workdir",
    "-u",
    "--user",
    "--entrypoint",
    "-l",
    "--label",
    "--platform",
    "--cap-add",
    "--cap-drop",
    "--security-opt",
    "--pull",
    "-m",
    "--memory",
    "--cpus",
    "--add-host",
    "--device",
    "-h",
    "--hostname",
    "--ipc",
    "--pid",
    "--restart",
    "--tmpfs",
    "--ulimit",
    "--log-driver",
    "--log-opt",
    "--runtime",
    "--gpus",
    "--shm-size",
    "--userns",
    "--uts",
    "--cgroupns",
    "--dns",
    "--expose",
    "--group-add",
    "--health-cmd",
    "--stop-signal",
    "--stop-timeout",
    "--cidfile",
    "--label-file",
    "--volumes-from",
    "--memory-swap",
    "--cpu-shares",
    "-c",
    "--cpuset-cpus",
    "--storage-opt",
    "--sysctl",
    "--link",
    "--attach",
    "-a",
  ]),
};

/** First positional argument from `from`, skipping options (and their values); collects `--opt value` pairs. */
function scanOptions(argv: string[], from: number, valueOpts: Set<string>, seen: (opt: string, value: string | undefined, index: number) => void): number {
  for (let i = from; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--") return i + 1 < argv.length ? i + 1 : -1;
    if (!a.startsWith("-") || a === "-") return i;
    const eq = a.indexOf("=");
    if (a.startsWith("--") && eq > 0) {
      seen(a.slice(0, eq), a.slice(eq + 1), i);
      continue;
    }
    if (valueOpts.has(a)) {
      seen(a, argv[i + 1], i + 1);
      i++;
      continue;
    }
    seen(a, undefined, i);
  }
  return -1;
}

const HOME = /^(?:~|\$HOME|\$\{HOME\}|\$\{env:HOME\}|\$\{env:USERPROFILE\}|\$\{userHome\}|%USERPROFILE%|%HOMEPATH%)$/;

/** A path that is the file system's root or a home folder (the whole of the user's files). */
export function isRootOrHome(path: string): "root" | "home" | undefined {
  const p = stripTrailing(path.trim(), "\\/");
  if (p === "" && path.trim().length > 0) return "root";
  if (/^[A-Za-z]:$/.test(p)) return "root";
  if (HOME.test(p) || /^\/(?:home|Users)(?:\/[^/]+)?$/.test(p) || p === "/root") return "home";
  return undefined;
}

/** Reads a launch command line: argv[0] is the command. */
export function analyseLaunch(argv: string[]): Launch {
  const out: Launch = { pinned: true, serverArgs: [], privileged: [], mounts: [] };
  if (argv.length === 0) return out;
  let i = 0;
  // `cmd /c npx ...` (Windows) runs what follows.
  if (basename(argv[0]!) === "cmd" && /^\/c$/i.test(argv[1] ?? "")) i = 2;
  const cmd = basename(argv[i] ?? "");
  const rest = (from: number) => argv.slice(from).map((value, k) => ({ value, index: from + k }));

  let runner: string | undefined;
  let start = -1;
  if (cmd === "npx" || cmd === "bunx") [runner, start] = [cmd, i + 1];
  else if (
    (cmd === "npm" && ["exec", "x"].includes(argv[i + 1] ?? "")) ||
    (["pnpm", "yarn"].includes(cmd) && argv[i + 1] === "dlx") ||
    (cmd === "bun" && argv[i + 1] === "x")
  )
    [runner, start] = [`${cmd} ${argv[i + 1]}`, i + 2];
  if (runner) {
    let pkgOpt: { value: string; index: number } | undefined;
    const pos = scanOptions(argv, start, VALUE_OPTS.npm!, (opt, value, index) => {
      if ((opt === "-p" || opt === "--package") && value) pkgOpt ??= { value, index };
    });
    const spec = pkgOpt ?? (pos >= 0 ? { value: argv[pos]!, index: pos } : undefined);
    if (!spec || isLocal(spec.value)) return { ...out, runner, serverArgs: pos >= 0 ? rest(pos + 1) : [] };
    return { ...out, runner, ecosystem: "npm", spec: spec.value, specIndex: spec.index, ...npmSpec(spec.value), serverArgs: pos >= 0 ? rest(pos + 1) : [] };
  }

  if (cmd === "uvx" || (cmd === "uv" && argv[i + 1] === "tool" && ["run", "uvx"].includes(argv[i + 2] ?? "")) || (cmd === "pipx" && argv[i + 1] === "run")) {
    runner = cmd === "uvx" ? "uvx" : cmd === "uv" ? "uv tool run" : "pipx run";
    start = cmd === "uvx" ? i + 1 : cmd === "uv" ? i + 3 : i + 2;
    let from: { value: string; index: number } | undefined;
    const pos = scanOptions(argv, start, cmd === "pipx" ? VALUE_OPTS.pipx! : VALUE_OPTS.uv!, (opt, value, index) => {
      if ((opt === "--from" || opt === "--spec") && value) from ??= { value, index };
    });
    const spec = from ?? (pos >= 0 ? { value: argv[pos]!, index: pos } : undefined);
    if (!spec || isLocal(spec.value)) return { ...out, runner, serverArgs: pos >= 0 ? rest(pos + 1) : [] };
    return { ...out, runner, ecosystem: "pypi", spec: spec.value, specIndex: spec.index, ...pySpec(spec.value), serverArgs: pos >= 0 ? rest(pos + 1) : [] };
  }

  if ((cmd === "docker" || cmd === "podman") && (argv[i + 1] === "run" || (argv[i + 1] === "container" && argv[i + 2] === "run"))) {
    runner = `${cmd} run`;
    start = argv[i + 1] === "run" ? i + 2 : i + 3;
    const privileged: Launch["privileged"] = [];
    const mounts: Launch["mounts"] = [];
    const pos = scanOptions(argv, start, VALUE_OPTS.docker!, (opt, value, index) => {
      if (opt === "--privileged" && (value === undefined || value === "true")) privileged.push({ what: "--privileged", index });
      if (opt === "--cap-add" && value && /^(?:ALL|SYS_ADMIN|CAP_SYS_ADMIN)$/i.test(value)) privileged.push({ what: `--cap-add ${value}`, index });
      if ((opt === "--pid" || opt === "--userns") && value === "host") privileged.push({ what: `${opt} host`, index });
      let source: string | undefined;
      if ((opt === "-v" || opt === "--volume") && value)
        source = value.startsWith("/") || /^[A-Za-z]:[\\/]/.test(value) || /^[~$%]/.test(value) ? splitVolume(value) : undefined;
      if (opt === "--mount" && value) source = /(?:^|,)(?:source|src)=([^,]*)/.exec(value)?.[1];
      if (source !== undefined) {
        mounts.push({ source, index });
        if (isRootOrHome(source) === "root") privileged.push({ what: `a mount of the host's root folder (${opt} ${value})`, index });
        if (/(?:^|\/)docker\.sock$/.test(source)) privileged.push({ what: `a mount of the Docker socket (${opt} ${value})`, index });
      }
    });
    if (pos < 0) return { ...out, runner, privileged, mounts };
    return { ...out, runner, ecosystem: "docker", spec: argv[pos]!, specIndex: pos, ...imageSpec(argv[pos]!), serverArgs: rest(pos + 1), privileged, mounts };
  }
  return { ...out, serverArgs: rest(i + 1) };
}

/** Host side of `-v host:container[:opts]` (Windows drive letters kept). */
function splitVolume(v: string): string {
  const drive = /^[A-Za-z]:[\\/]/.test(v) ? 2 : 0;
  const colon = v.indexOf(":", drive);
  return colon < 0 ? v : v.slice(0, colon);
}

/** A filesystem server by its package or image name (the reference server and its common forks). */
export const isFilesystemServer = (name: string | undefined): boolean => !!name && /(?:^|[/@_-])(?:filesystem|file-system|fs)(?:[/@_-]|$)/i.test(name);
