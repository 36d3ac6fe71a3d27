export { createScanner } from './scanner.js';
export type { Scanner, ScanRequest } from './scanner.js';
export type { ScannerOptions } from './config.js';
export type { SemgrepEngine } from './semgrep/run.js';
export { gate, atLeast } from './findings/gate.js';
export type { GatePolicy, GateResult } from './findings/gate.js';
export { toSarif } from './findings/sarif.js';
export type { SarifOptions } from './findings/sarif.js';
export { redact } from './secrets/redact.js';
export { scanSecrets } from './secrets/scan.js';
export { SEVERITIES } from './findings/types.js';
export type {
  Finding,
  Severity,
  Engine,
  Range,
  ScanReport,
  AppliedFix,
  RejectedFix,
  SecurityError,
  SecurityErrorKind,
} from './findings/types.js';
export { buildAdvisoryDb, loadAdvisoryDb, writeAdvisoryDb, ADVISORY_DB_FORMAT } from './deps/advisory-db.js';
export type { AdvisoryDb, CompactAdvisory } from './deps/advisory-db.js';
export { auditRequirements } from './deps/audit.js';
export {
  parseRequirementsTxt,
  parsePyproject,
  parsePoetryLock,
  parsePipfileLock,
  parseSetupCfg,
  normalizeName,
} from './deps/manifests.js';
export type { Requirement, ManifestParse } from './deps/manifests.js';
