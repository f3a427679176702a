// Which parser reads which file, by name. One parser per format, each in its own module.
import { parseCondaEnvironment } from "./conda.js";
import type { ParsedFile } from "./model.js";
import { parsePackageJson, parsePackageLock } from "./npm.js";
import { parsePipfile } from "./pipfile.js";
import { parsePipfileLock, parseTomlLock } from "./python-locks.js";
import { parsePyproject } from "./pyproject.js";
import { parseRequirements } from "./requirements.js";
import { parseSetupCfg } from "./setup-cfg.js";
import { parsePnpmLock, parseYarnLock } from "./yarn-pnpm.js";

export interface Format {
  id: string;
  /** True for lockfiles: what they list is pinned, and they may be large. */
  lock: boolean;
  parse(path: string, text: string): ParsedFile;
}

const REQUIREMENTS: Format = { id: "requirements", lock: false, parse: parseRequirements };
const BY_NAME: Record<string, Format> = {
  "pyproject.toml": { id: "pyproject", lock: false, parse: parsePyproject },
  "poetry.lock": { id: "poetry-lock", lock: true, parse: parseTomlLock },
  "uv.lock": { id: "uv-lock", lock: true, parse: parseTomlLock },
  "pdm.lock": { id: "pdm-lock", lock: true, parse: parseTomlLock },
  Pipfile: { id: "pipfile", lock: false, parse: parsePipfile },
  "Pipfile.lock": { id: "pipfile-lock", lock: true, parse: parsePipfileLock },
  "environment.yml": { id: "conda", lock: false, parse: parseCondaEnvironment },
  "environment.yaml": { id: "conda", lock: false, parse: parseCondaEnvironment },
  "setup.cfg": { id: "setup-cfg", lock: false, parse: parseSetupCfg },
  "package.json": { id: "package-json", lock: false, parse: parsePackageJson },
  "package-lock.json": { id: "package-lock", lock: true, parse: parsePackageLock },
  "npm-shrinkwrap.json": { id: "package-lock", lock: true, parse: parsePackageLock },
  "yarn.lock": { id: "yarn-lock", lock: true, parse: parseYarnLock },
  "pnpm-lock.yaml": { id: "pnpm-lock", lock: true, parse: parsePnpmLock },
};

export function formatFor(path: string): Format | undefined {
  const base = path.slice(path.lastIndexOf("/") + 1);
  const byName = Object.hasOwn(BY_NAME, base) ? BY_NAME[base] : undefined;
  if (byName) return byName;
  if (/^(requirements|constraints)[\w.-]*\.(txt|in|lock)$/i.test(base)) return REQUIREMENTS;
  if (/(^|\/)requirements\/[^/]+\.(txt|in)$/i.test(path)) return REQUIREMENTS;
  return undefined;
}

/** Files named by `-r`/`-c` are requirements files whatever their name. */
export const includedFormat = (): Format => REQUIREMENTS;
