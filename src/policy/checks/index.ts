// The check-kind registry: one line per kind. A rule's `check.kind` names one of these.
import type { CheckKind } from "../types.js";
import { acceptancesCheck } from "./acceptances.js";
import { agentUndeclaredServerCheck } from "./agent-undeclared-server.js";
import { assuranceCheck } from "./assurance.js";
import { codeToolPrivilegesCheck } from "./code-tool-privileges.js";
import { codeTorchWeightsOnlyCheck } from "./code-torch-weights-only.js";
import { codeUndeclaredToolCheck } from "./code-undeclared-tool.js";
import { controlCheck } from "./control.js";
import { dataDatasetUnmatchedCheck } from "./data-dataset-unmatched.js";
import { dataMinimisationCheck } from "./data-minimisation.js";
import { dataPersonalDeclaredCheck } from "./data-personal-declared.js";
import { dataProfileContradictionCheck } from "./data-profile-contradiction.js";
import { dataProvenanceCheck } from "./data-provenance.js";
import { dataRetentionCheck } from "./data-retention.js";
import { dataUndeclaredCheck } from "./data-undeclared.js";
import { evidenceCheck } from "./evidence.js";
import { evidenceContentCheck } from "./evidence-content.js";
import { factsCheck } from "./facts.js";
import { filesCheck } from "./files.js";
import { foldCheck } from "./fold.js";
import { manifestCheck } from "./manifest.js";
import { modelIntegrityCheck } from "./model-integrity.js";
import { notWalkedCheck } from "./not-walked.js";
import { observationCheck } from "./observation.js";
import { profileEvidenceCheck } from "./profile-evidence.js";

export const CHECK_KINDS: readonly CheckKind[] = [
  acceptancesCheck,
  agentUndeclaredServerCheck,
  assuranceCheck,
  codeToolPrivilegesCheck,
  codeTorchWeightsOnlyCheck,
  codeUndeclaredToolCheck,
  controlCheck,
  dataDatasetUnmatchedCheck,
  dataMinimisationCheck,
  dataPersonalDeclaredCheck,
  dataProfileContradictionCheck,
  dataProvenanceCheck,
  dataRetentionCheck,
  dataUndeclaredCheck,
  evidenceCheck,
  evidenceContentCheck,
  factsCheck,
  filesCheck,
  foldCheck,
  manifestCheck,
  modelIntegrityCheck,
  notWalkedCheck,
  observationCheck,
  profileEvidenceCheck,
];

export function checkKind(kind: string): CheckKind | undefined {
  return CHECK_KINDS.find((k) => k.meta.kind === kind);
}
