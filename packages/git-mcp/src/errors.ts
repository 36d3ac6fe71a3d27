import { describeUnknown, makeError, type YantraError } from '@yantra/shared';

/** Why the commit gate refused a change; one entry per failing condition. */
export interface GateFailure {
  readonly gate: 'graph' | 'tests' | 'security' | 'browser' | 'scope';
  readonly message: string;
}

/** Why `undoLast` refused to touch the repository. */
export type UndoRefusal = 'no_commits' | 'not_yantra' | 'pushed' | 'merge' | 'root_commit' | 'dirty_files';

/**
 * Every failure `@yantra/git-mcp` returns: a closed union of plain, serializable objects.
 * `retryable` is set where trying again can succeed without a change of input.
 */
export type GitError =
  | (YantraError<'not_a_repository'> & { readonly path: string })
  | (YantraError<'path_outside_repo'> & { readonly path: string })
  | (YantraError<'path_ignored'> & { readonly path: string })
  | (YantraError<'not_found'> & { readonly target: string })
  | (YantraError<'invalid_revision'> & { readonly revision: string })
  | YantraError<'invalid_argument'>
  | (YantraError<'already_exists'> & { readonly name: string })
  | (YantraError<'conflict'> & { readonly paths: readonly string[] })
  | YantraError<'nothing_to_commit'>
  | YantraError<'author_unknown'>
  | (YantraError<'staged_outside_change'> & { readonly paths: readonly string[] })
  | YantraError<'invalid_message'> & { readonly problems: readonly string[] }
  | YantraError<'invalid_report'> & { readonly problems: readonly string[] }
  | (YantraError<'gate_blocked'> & { readonly failures: readonly GateFailure[] })
  | (YantraError<'undo_refused'> & { readonly reason: UndoRefusal; readonly paths?: readonly string[] })
  | (YantraError<'unsupported'>)
  | (YantraError<'remote_failed'> & { readonly retryable: boolean })
  | YantraError<'io_failed'>;

export type GitErrorKind = GitError['kind'];

/**
 * Carries a typed error through internal async code; the one boundary per operation
 * (`toGitError`) unwraps it. Internals throw it so each operation reads top to bottom.
 */
export class GitFailure extends Error {
  constructor(readonly error: GitError) {
    super(error.message);
  }
}

export function failWith(error: GitError): never {
  throw new GitFailure(error);
}

function codeOf(cause: unknown): string | undefined {
  if (typeof cause === 'object' && cause !== null && 'code' in cause) {
    const code = (cause as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

/** The one place an unknown thrown value (isomorphic-git, fs) becomes a `GitError`. */
export function toGitError(cause: unknown): GitError {
  if (cause instanceof GitFailure) return cause.error;
  const message = describeUnknown(cause);
  const data = (typeof cause === 'object' && cause !== null && 'data' in cause ? (cause as { data: unknown }).data : undefined) as
    | Record<string, unknown>
    | undefined;
  switch (codeOf(cause)) {
    case 'NotFoundError':
      return makeError('not_found', message, { target: String(data?.['what'] ?? '') });
    case 'AlreadyExistsError':
      return makeError('already_exists', message, { name: String(data?.['where'] ?? '') });
    case 'InvalidRefNameError':
      return makeError('invalid_argument', message);
    case 'CheckoutConflictError': {
      const paths = Array.isArray(data?.['filepaths']) ? (data['filepaths'] as string[]) : [];
      return makeError('conflict', message, { paths });
    }
    case 'UnsafeFilepathError':
    case 'InvalidFilepathError':
      return makeError('path_outside_repo', message, { path: String(data?.['filepath'] ?? '') });
    case 'HttpError':
    case 'SmartHttpError':
    case 'EmptyServerResponseError':
      return makeError('remote_failed', message, { retryable: true });
    case 'PushRejectedError':
    case 'GitPushError':
    case 'FastForwardError':
      return makeError('remote_failed', message, { retryable: false });
    case 'UnknownTransportError':
    case 'UrlParseError':
    case 'MergeNotSupportedError':
      return makeError('unsupported', message);
    case 'EACCES':
    case 'EPERM':
    case 'ENOSPC':
    case 'EISDIR':
    case 'ENOTDIR':
      return makeError('io_failed', message);
    case 'ENOENT':
      return makeError('not_found', message, { target: '' });
    default:
      return makeError('io_failed', message);
  }
}
