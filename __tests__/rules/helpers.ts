// Shared pieces of the rule tests' repositories: a manifest built from its lines (the header is
// lines 1-3, so the first line given is line 4), and profiles that make every control apply or
// keep a system small.
export const HEAD = ["apiVersion: aigate/v1", "name: sys", "owner: {team: t, contact: t@example.com}"] as const;

/** ai-system.yaml: the header, then these lines (line 4 onwards). */
export const manifest = (...lines: string[]): string => [...HEAD, ...lines].join("\n") + "\n";

/** Every core fact true: every threat, and so every control, applies (one line). */
export const ALL_TRUE =
  "profile: {isGenAI: true, isLLM: true, trainsOrFinetunes: true, usesRAG: true, trainingDataSensitive: true, membershipSensitive: true, inputSensitive: true, modelIsIP: true, modelHostedExternally: false, untrustedInput: true, hasAgency: true, isClassifier: true, hasSystemPrompt: true}";

/** An LLM application on a hosted model with RAG and tools (one line). */
export const LLM_APP =
  "profile: {isGenAI: true, isLLM: true, trainsOrFinetunes: false, usesRAG: true, trainingDataSensitive: false, membershipSensitive: false, inputSensitive: true, modelIsIP: false, modelHostedExternally: true, untrustedInput: true, hasAgency: true}";

/** A classifier trained in-house on sensitive data (one line). */
export const TRAINED =
  "profile: {isGenAI: false, isLLM: false, trainsOrFinetunes: true, usesRAG: false, trainingDataSensitive: true, membershipSensitive: true, inputSensitive: false, modelIsIP: true, modelHostedExternally: false, untrustedInput: false, hasAgency: false}";
