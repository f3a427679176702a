// The Exchange's risk analysis: from a system's profile facts, which threats apply, who must
// mitigate them, and which controls follow. Pure: the taxonomy and the profile in, the analysis out.
import type { ApplicabilityRule, Analysis, ControlAssessment, Reason, Responsibility, Taxonomy, ThreatAssessment, When } from "./types.js";

/** A supplier arrangement from the manifest: threats it covers and the share. */
export interface DeclaredResponsibility {
  threats: string[];
  share: "supplier" | "shared";
  supplier: string;
}

type Match = { fires: boolean; assumed: string[]; facts: When };

/**
 * Matches a rule's `when` against the facts. A stated fact must equal the rule's value. An unstated
 * fact lets an include rule fire (the conservative branch, "assumed") but never an ignore or
 * deprioritize rule, so that not stating a fact can only add threats.
 */
function match(rule: ApplicabilityRule, facts: When): Match {
  const assumed: string[] = [];
  const used: When = {};
  for (const [fact, want] of Object.entries(rule.when)) {
    const have = facts[fact];
    if (have === undefined) {
      if (rule.effect !== "include") return { fires: false, assumed: [], facts: used };
      assumed.push(fact);
      used[fact] = want;
    } else if (have !== want) return { fires: false, assumed: [], facts: used };
    else used[fact] = have;
  }
  return { fires: true, assumed, facts: used };
}

/** Applies the taxonomy's fact constraints and defaults to what the manifest states. */
export function normaliseFacts(t: Taxonomy, stated: When): Pick<Analysis, "facts" | "stated" | "implied" | "defaulted" | "unstated"> {
  const facts: When = { ...stated };
  const implied: Record<string, string> = {};
  for (let changed = true; changed;) {
    changed = false;
    for (const c of t.factConstraints) {
      if (!Object.entries(c.if).every(([k, v]) => facts[k] === v)) continue;
      for (const [k, v] of Object.entries(c.then)) {
        if (facts[k] === undefined) {
          facts[k] = v;
          implied[k] = c.why;
          changed = true;
        }
      }
    }
  }
  const defaulted: string[] = [];
  const unstated: string[] = [];
  for (const f of t.profileFacts) {
    if (facts[f.id] !== undefined) continue;
    if (!f.core && f.default !== undefined) {
      facts[f.id] = f.default;
      defaulted.push(f.id);
    } else unstated.push(f.id);
  }
  return { facts, stated: { ...stated }, implied, defaulted, unstated };
}

/** Contradictions between stated facts and the taxonomy's constraints (e.g. isLLM true, isGenAI false). */
export function factConflicts(t: Taxonomy, stated: When): { fact: string; because: string; why: string }[] {
  const out: { fact: string; because: string; why: string }[] = [];
  for (const c of t.factConstraints) {
    if (!Object.entries(c.if).every(([k, v]) => stated[k] === v)) continue;
    for (const [k, v] of Object.entries(c.then)) {
      if (stated[k] !== undefined && stated[k] !== v) out.push({ fact: k, because: Object.keys(c.if).join(", "), why: c.why });
    }
  }
  return out;
}

export function analyse(t: Taxonomy, stated: When, declared: DeclaredResponsibility[] = []): Analysis {
  const norm = normaliseFacts(t, stated);
  const facts = { ...norm.facts };
  const fired = new Map<string, { rule: ApplicabilityRule; m: Match }[]>();
  for (const th of t.threats) fired.set(th.id, []);

  const evaluate = (rules: ApplicabilityRule[]) => {
    for (const rule of rules) {
      const m = match(rule, facts);
      if (!m.fires) continue;
      for (const id of rule.threats) fired.get(id)?.push({ rule, m });
    }
  };
  const applies = (id: string) => {
    const f = fired.get(id) ?? [];
    return f.some((x) => x.rule.effect === "include") && !f.some((x) => x.rule.effect === "ignore");
  };

  evaluate(t.applicability.filter((r) => !r.usesDerivedFacts));
  for (const d of t.derivedFacts) facts[d.id] = d.anyThreatApplies.some(applies);
  evaluate(t.applicability.filter((r) => r.usesDerivedFacts));

  const threats: ThreatAssessment[] = t.threats.map((th) => {
    const f = fired.get(th.id)!;
    const includes = f.filter((x) => x.rule.effect === "include");
    const ok = applies(th.id);
    const reasons: Reason[] = f.map(({ rule, m }) => ({ rule: rule.id, effect: rule.effect, facts: m.facts, assumed: m.assumed }));
    let responsibility: Responsibility | null = null;
    if (ok) responsibility = includes.some((x) => x.rule.responsibility === "self") ? "self" : "supplier";
    const decl = ok ? declared.find((d) => d.threats.includes(th.id)) : undefined;
    if (decl) {
      responsibility = decl.share;
      reasons.push({
        rule: "manifest-responsibility",
        effect: "include",
        facts: {},
        assumed: [],
        note: `the manifest assigns it to ${decl.supplier} (${decl.share})`,
      });
    }
    return {
      id: th.id,
      title: th.title,
      link: th.link,
      applies: ok,
      responsibility,
      priority: ok ? (f.some((x) => x.rule.effect === "deprioritize") ? "low" : "normal") : null,
      // Assumed: every include rule that fired needed an unstated fact.
      assumed: ok && includes.every((x) => x.m.assumed.length > 0),
      reasons,
    };
  });

  const controls = selectControls(t, threats, facts);
  return { ...norm, threats, controls };
}

/** Whether a control's `relevantWhen` admits the profile (unstated facts admit it). */
function relevant(when: When[] | undefined, facts: When): boolean {
  if (!when || when.length === 0) return true;
  return when.some((w) => Object.entries(w).every(([k, v]) => facts[k] === undefined || facts[k] === v));
}

function selectControls(t: Taxonomy, threats: ThreatAssessment[], facts: When): ControlAssessment[] {
  const byId = new Map(threats.map((x) => [x.id, x]));
  return t.controls.map((c) => {
    const selfThreats: string[] = [];
    const supplierThreats: string[] = [];
    for (const id of c.threats) {
      const th = byId.get(id);
      if (!th?.applies) continue;
      (th.responsibility === "supplier" ? supplierThreats : selfThreats).push(id);
    }
    const isRelevant = relevant(c.relevantWhen, facts);
    let owner: ControlAssessment["owner"] = null;
    let because: string[] = [];
    if (isRelevant && (c.alwaysApply || selfThreats.length)) {
      owner = "self";
      because = c.alwaysApply ? ["always", ...selfThreats] : selfThreats;
    } else if (isRelevant && supplierThreats.length) {
      owner = "supplier";
      because = supplierThreats;
    }
    // Supplier threats need assurance from the supplier: that is supply-chain management, the organisation's job.
    if (c.id === "SUPPLYCHAINMANAGE") {
      const anySupplier = threats.filter((x) => x.applies && x.responsibility !== "self").map((x) => x.id);
      if (anySupplier.length && owner !== "self") {
        owner = "self";
        because = [...because, ...anySupplier.filter((x) => !because.includes(x))];
      }
    }
    return { id: c.id, title: c.title, link: c.link, applies: owner !== null, owner, because };
  });
}
