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
