// The scanner registry: one line per scanner. A scanner reads the files of the one repository
// walk and reports observations; rules in policies/ decide what they mean.
import type { Scanner } from "../types.js";
import { agentsScanner } from "./agents/index.js";
import { codeScanner } from "./code/scanner.js";
import { dataScanner } from "./data/index.js";
import { dependencyScanner } from "./dependencies/scanner.js";
import { dockerScanner } from "./docker/index.js";
import { modelsScanner } from "./models/index.js";

export const SCANNERS: readonly Scanner[] = [agentsScanner, codeScanner, dataScanner, dependencyScanner, dockerScanner, modelsScanner];
