// The allowlist tiers, the denylist and CPython's compat maps, loaded from policies/models/ (data,
// with a source per entry) and turned into one classifier for pickle globals.
import { loadData } from "../../../util/data.js";
import type { ScannerSettings } from "../../types.js";
import type { Value } from "./pickle/values.js";

export type GlobalVerdict = "safe" | "suspicious" | "unsafe";

export interface Classification {
  verdict: GlobalVerdict;
  /** What the loader imports, after compat mapping (`module.name`). */
  resolved: string;
  /** Why: the tier that allows it, the denylist reason, or "not on the allowlist". */
  reason: string;
}

/**
 * What each positional argument of a call must be for an allowlisted helper that is safe only with
 * some arguments: one of these constants, a constant string ("str"), a tuple or list of them
 * ("strs"), or anything ("any", a value the helper only stores).
 */
export type ArgRule = (string[] | "str" | "strs" | "any")[];

interface AllowFile {
  tiers: { id: string; default: boolean; entries: { module: string; names: string[]; args?: ArgRule }[] }[];
}
interface DenyFile {
  entries: { modules: string[]; names: string[] | "*"; reason: string; source: string }[];
}
interface CompatFile {
  modules: Record<string, string>;
  names: Record<string, string>;
}

const readJson = <T>(name: "allowlist.json" | "denylist.json" | "compat-pickle.json"): T => loadData<T>(`policies/models/${name}`);

let files: { allow: AllowFile; deny: DenyFile; compat: CompatFile } | undefined;
function data() {
  files ??= { allow: readJson<AllowFile>("allowlist.json"), deny: readJson<DenyFile>("denylist.json"), compat: readJson<CompatFile>("compat-pickle.json") };
  return files;
}

/** Modules whose mere presence as a component of a dotted name means an attribute walk into them. */
const DUNDER = /^__\w+__$/;

export interface ListOptions {
  /** Extra allowlist entries from the organisation's pack. */
  extra?: { module: string; name: string; reason?: string }[];
  /** Tier ids to switch on besides the default ones (e.g. "torch-nn-modules", "sklearn"). */
  tiers?: string[];
  /** Default tier ids to switch off. */
  disableTiers?: string[];
}

/** Reads the scanner's list options from the policy settings (`modelAllowlist`, `modelAllowlistTiers`). */
export function listOptions(settings: ScannerSettings): ListOptions {
  const extra: NonNullable<ListOptions["extra"]> = [];
  const raw = settings["modelAllowlist"];
  if (Array.isArray(raw)) {
    for (const e of raw) {
      if (e && typeof e === "object" && typeof (e as { module?: unknown }).module === "string" && typeof (e as { name?: unknown }).name === "string") {
        const { module, name, reason } = e as { module: string; name: string; reason?: unknown };
        extra.push({ module, name, reason: typeof reason === "string" ? reason : undefined });
      }
    }
  }
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
  return { extra, tiers: strings(settings["modelAllowlistTiers"]), disableTiers: strings(settings["modelAllowlistDisableTiers"]) };
}

export class ModelLists {
  private readonly allow = new Map<string, string>();
  /** Allowlisted globals that are safe only when called with these arguments. */
  private readonly argRules = new Map<string, ArgRule>();
  private readonly denyExact = new Map<string, string>();
  private readonly denyPrefix: { module: string; prefix: string; reason: string }[] = [];
  private readonly denyModules = new Map<string, string>();
  private readonly compat: CompatFile;
  /** Top-level names of denylisted modules: an attribute walk through one of them is unsafe. */
  private readonly denyRoots = new Set<string>();

  constructor(options: ListOptions = {}) {
    const d = data();
    this.compat = d.compat;
    const on = new Set(d.allow.tiers.filter((t) => t.default && !options.disableTiers?.includes(t.id)).map((t) => t.id));
    for (const t of options.tiers ?? []) on.add(t);
    for (const tier of d.allow.tiers) {
      if (!on.has(tier.id)) continue;
      for (const e of tier.entries) {
        for (const n of e.names) {
          if (this.allow.has(`${e.module}.${n}`)) continue;
          this.allow.set(`${e.module}.${n}`, `tier ${tier.id}`);
          if (e.args) this.argRules.set(`${e.module}.${n}`, e.args);
        }
      }
    }
    for (const e of options.extra ?? []) {
      // The organisation's own entry allows the global whatever it is called with.
      this.allow.set(`${e.module}.${e.name}`, `organisation allowlist${e.reason ? `: ${e.reason}` : ""}`);
      this.argRules.delete(`${e.module}.${e.name}`);
    }
    for (const e of d.deny.entries) {
      for (const m of e.modules) {
        const mods = m === "builtins" ? ["builtins", "__builtin__", "__builtins__"] : [m];
        for (const mod of mods) {
          if (e.names === "*") {
            this.denyModules.set(mod, e.reason);
            this.denyRoots.add(mod.split(".")[0]!);
          } else {
            for (const n of e.names) {
              if (n.endsWith("*")) this.denyPrefix.push({ module: mod, prefix: n.slice(0, -1), reason: e.reason });
              else this.denyExact.set(`${mod}.${n}`, e.reason);
            }
          }
        }
      }
    }
  }

  /** Applies CPython's protocol < 3 renames (`__builtin__.set` -> `builtins.set`). */
  mapCompat(module: string, name: string): [string, string] {
    const byName = this.compat.names[`${module}.${name}`];
    if (byName) {
      const i = byName.lastIndexOf(".");
      return [byName.slice(0, i), byName.slice(i + 1)];
    }
    return [this.compat.modules[module] ?? module, name];
  }

  /** The denylist reason for `module` + `name` (name may be dotted), or undefined. */
  private denied(module: string, name: string): string | undefined {
    const parts = name.split(".");
    // Every split of module.name into (module prefix, attribute path) the loader might resolve.
    const full = [...module.split("."), ...parts];
    for (let i = 1; i <= full.length; i++) {
      const mod = full.slice(0, i).join(".");
      const modReason = this.denyModuleReason(mod);
      if (modReason) return modReason;
      const rest = full.slice(i);
      if (rest.length === 0) continue;
      const exact = this.denyExact.get(`${mod}.${rest.join(".")}`) ?? this.denyExact.get(`${mod}.${rest[0]}`);
      if (exact) return exact;
      const pre = this.denyPrefix.find((p) => p.module === mod && rest[0]!.startsWith(p.prefix));
      if (pre) return pre.reason;
    }
    return undefined;
  }

  private denyModuleReason(mod: string): string | undefined {
    const direct = this.denyModules.get(mod);
    if (direct) return direct;
    const segs = mod.split(".");
    for (let i = segs.length - 1; i >= 1; i--) {
      const r = this.denyModules.get(segs.slice(0, i).join("."));
      if (r) return r;
    }
    return undefined;
  }

  /**
   * Why a call of an imported global with these arguments is unsafe, for an allowlisted helper
   * that is safe only with some arguments (dill's `_load_type("CodeType")`); undefined when it is fine.
   */
  callProblem(module: string, name: string, protocol: number, args: Value): string | undefined {
    const [mModule, mName] = protocol < 3 ? this.mapCompat(module, name) : [module, name];
    const rule = this.argRules.get(`${mModule}.${mName}`);
    if (!rule) return undefined;
    const items = args.t === "tuple" ? args.items : undefined;
    const shown = (v: Value | undefined) => (v?.t === "str" ? JSON.stringify(v.v.slice(0, 60)) : (v?.t ?? "nothing"));
    if (!items || (args.t === "tuple" && args.len > rule.length)) return `${mModule}.${mName} is called with arguments it is not allowlisted for`;
    for (let i = 0; i < rule.length; i++) {
      const want = rule[i]!;
      const v = items[i];
      if (v === undefined) continue; // an omitted optional argument takes the helper's default
      const ok =
        want === "any"
          ? true
          : want === "str"
            ? v.t === "str" && !v.truncated
            : want === "strs"
              ? (v.t === "tuple" || v.t === "list") && v.len === v.items.length && v.items.every((x) => x.t === "str")
              : v.t === "str" && !v.truncated && want.includes(v.v);
      if (!ok) return `${mModule}.${mName}(${items.map(shown).join(", ")}): argument ${i + 1} is not one it is allowlisted for`;
    }
    return undefined;
  }

  /** Classifies one imported global as the loader would resolve it under `protocol`. */
  classify(module: string, name: string, protocol: number): Classification {
    const [mModule, mName] = protocol < 3 ? this.mapCompat(module, name) : [module, name];
    const resolved = `${mModule}.${mName}`;
    const parts = name.split(".");
    if (parts.some((p) => DUNDER.test(p)) && parts.length > 1)
      return { verdict: "unsafe", resolved, reason: `dotted name walks through a dunder attribute (${name})` };
    // __torch__.* names TorchScript classes (resolved by TorchScript, not imported by Python).
    if (module.split(".").some((p) => DUNDER.test(p) && !["__builtin__", "__builtins__", "__main__", "__torch__"].includes(p)))
      return { verdict: "unsafe", resolved, reason: `module path walks through a dunder attribute (${module})` };
    const exact = this.allow.get(resolved);
    if (exact) return { verdict: "safe", resolved, reason: exact };
    const deny = this.denied(mModule, mName) ?? this.denied(module, name);
    if (deny) return { verdict: "unsafe", resolved, reason: deny };
    if (parts.length > 1) {
      // An attribute walk (protocol 4 dotted name): `pathlib` + `os.system` is `os.system`.
      const hop = parts.slice(0, -1).find((p) => this.denyRoots.has(p));
      if (hop) return { verdict: "unsafe", resolved, reason: `dotted name walks into module ${hop}` };
    }
    const tier = this.allow.get(resolved);
    if (tier) return { verdict: "safe", resolved, reason: tier };
    if (DUNDER.test(name)) return { verdict: "unsafe", resolved, reason: `imports a dunder attribute (${name})` };
    return { verdict: "suspicious", resolved, reason: "not on the allowlist" };
  }
}
