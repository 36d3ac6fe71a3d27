export { openRepository } from './repository.js';
export type { Repository, OpenRepositoryOptions } from './repository.js';
export type { GitError, GitErrorKind, GateFailure, UndoRefusal } from './errors.js';
export type { Identity } from './context.js';
export type { RepoStatus, StatusEntry, ChangeKind } from './status.js';
export type { Diff, FileDiff, DiffOptions } from './diff.js';
export type { LogEntry, LogOptions, ShowResult } from './history.js';
export type { CommitOptions, CommitResult } from './committing.js';
export type {
  BranchInfo,
  BranchList,
  BranchListOptions,
  TagInfo,
  RemoteOptions,
  RemoteResult,
} from './refs.js';
export { validateCommitMessage, formatCommitMessage, COMMIT_TYPES, MAX_SUBJECT_LENGTH } from './conventional.js';
export type { CommitType, ConventionalCommit, Footer, MessageValidation } from './conventional.js';
export { fallbackCommitMessage } from './message-fallback.js';
export type { ChangedFile } from './message-fallback.js';
export { generateCommitMessage, buildMessagePrompt } from './message-generate.js';
export type { MessageGenerator, MessageInput, GenerateMessageOptions, GeneratedMessage } from './message-generate.js';
export { commitValidated, evaluateGate, gateSummary, RUN_TRAILER } from './gate.js';
export type { ValidatedChange, ValidatedCommit, CommitValidatedOptions } from './gate.js';
export { parseValidationReport, validationReportSchema } from './report.js';
export type { ValidationReport } from './report.js';
export { undoLast, REVERTS_TRAILER } from './undo.js';
export type { UndoResult } from './undo.js';
