/** The Conventional Commit types Yantra writes and accepts. */
export const COMMIT_TYPES = ['feat', 'fix', 'refactor', 'test', 'docs', 'chore', 'perf', 'style', 'build', 'ci'] as const;
export type CommitType = (typeof COMMIT_TYPES)[number];

/** Longest subject line accepted. */
export const MAX_SUBJECT_LENGTH = 72;

/** A footer (`Token: value` or `BREAKING CHANGE: value`). */
export interface Footer {
  readonly token: string;
  readonly value: string;
}

/** A parsed Conventional Commit message. */
export interface ConventionalCommit {
  readonly type: CommitType;
  readonly scope: string | undefined;
  readonly breaking: boolean;
  readonly description: string;
  readonly body: string | undefined;
  readonly footers: readonly Footer[];
}

/** The result of {@link validateCommitMessage}: the parse when valid, the problems otherwise. */
export type MessageValidation =
  | { readonly valid: true; readonly commit: ConventionalCommit; readonly problems: readonly [] }
  | { readonly valid: false; readonly problems: readonly string[] };

const HEADER = /^([a-z]+)(?:\(([^()\s]*)\))?(!)?: (.*)$/;
const SCOPE = /^[a-z0-9][a-z0-9._/-]*$/;
const FOOTER = /^([A-Za-z][A-Za-z0-9-]*|BREAKING CHANGE): (.+)$|^([A-Za-z][A-Za-z0-9-]*) #(.+)$/;

// Verbs whose bare form ends like a past tense or a third person (so the suffix rules below
// must not flag them).
const BARE_EXCEPTIONS = new Set([
  'embed', 'feed', 'seed', 'speed', 'need', 'shed', 'proceed', 'exceed', 'succeed', 'bleed', 'breed', 'shred',
  'bring', 'string', 'ping', 'sing', 'ring', 'wing', 'spring', 'swing', 'thing',
  'process', 'pass', 'address', 'access', 'focus', 'bypass', 'discuss', 'express', 'compress', 'suppress', 'bias',
  'alias', 'canvas', 'redress', 'harness', 'toss', 'dismiss', 'miss', 'cross', 'gas', 'atlas',
]);

// Common verbs of commit subjects; `adds`/`fixes` of these are third person, not imperative.
const VERBS = new Set([
  'add', 'fix', 'update', 'remove', 'refactor', 'implement', 'create', 'change', 'improve', 'rename', 'move', 'use',
  'make', 'support', 'handle', 'allow', 'bump', 'clean', 'delete', 'drop', 'enable', 'disable', 'ensure', 'extract',
  'introduce', 'merge', 'optimize', 'replace', 'return', 'set', 'simplify', 'split', 'test', 'document', 'upgrade',
  'validate', 'avoid', 'prevent', 'correct', 'adjust', 'reduce', 'increase', 'expose', 'export', 'import', 'convert',
  'cache', 'check', 'write', 'read', 'show', 'hide', 'guard', 'limit', 'log', 'parse', 'load', 'save', 'run', 'skip',
  'revert', 'restore', 'reorder', 'format', 'lint', 'speed', 'tidy', 'sort', 'inline', 'wrap', 'raise', 'throw',
  'catch', 'call', 'pass', 'apply', 'configure', 'declare', 'define', 'describe', 'generate', 'include', 'exclude',
]);

/** True when the word reads as an imperative verb form (not `added`, `adds` or `adding`). */
export function looksImperative(word: string): boolean {
  const w = word.toLowerCase().replace(/[^a-z-]/g, '');
  if (w.length === 0) return true;
  if (BARE_EXCEPTIONS.has(w) || VERBS.has(w)) return true;
  if (w.length > 4 && w.endsWith('ing')) return false;
  if (w.length > 3 && w.endsWith('ed')) return false;
  if (w.endsWith('es') && (VERBS.has(w.slice(0, -2)) || VERBS.has(w.slice(0, -1)))) return false;
  if (w.endsWith('s') && VERBS.has(w.slice(0, -1))) return false;
  if (w.endsWith('ies') && VERBS.has(`${w.slice(0, -3)}y`)) return false;
  return true;
}

function parseFooters(paragraph: string): Footer[] | undefined {
  const footers: Footer[] = [];
  for (const line of paragraph.split('\n')) {
    const m = FOOTER.exec(line);
    if (!m) {
      // A continuation line belongs to the previous footer's value.
      const last = footers.pop();
      if (!last || !/^\s/.test(line)) return undefined;
      footers.push({ token: last.token, value: `${last.value}\n${line.trim()}` });
      continue;
    }
    footers.push(m[1] !== undefined ? { token: m[1], value: m[2] ?? '' } : { token: m[3] ?? '', value: `#${m[4] ?? ''}` });
  }
  return footers;
}

/**
 * Checks a commit message against Conventional Commits as Yantra writes them:
 * `type(scope)!: description` with a known type, a subject of at most 72 characters in the
 * imperative mood, no trailing period, a blank line before the body, and optional footers.
 */
export function validateCommitMessage(text: string): MessageValidation {
  const problems: string[] = [];
  const normalized = text.replace(/\r\n/g, '\n').replace(/\s+$/, '');
  const [header = '', ...rest] = normalized.split('\n');
  if (header.trim().length === 0) return { valid: false, problems: ['the message is empty'] };
  if (header.length > MAX_SUBJECT_LENGTH) {
    problems.push(`the subject is ${header.length} characters; at most ${MAX_SUBJECT_LENGTH} are allowed`);
  }
  const m = HEADER.exec(header);
  if (!m) {
    problems.push('the subject must look like "type(scope): description"');
    return { valid: false, problems };
  }
  const [, type = '', scope, bang, description = ''] = m;
  if (!(COMMIT_TYPES as readonly string[]).includes(type)) {
    problems.push(`unknown type "${type}"; use one of ${COMMIT_TYPES.join(', ')}`);
  }
  if (scope !== undefined && !SCOPE.test(scope)) {
    problems.push(`the scope "${scope}" must be lower-case letters, digits, ".", "_", "/" or "-"`);
  }
  if (description.trim().length === 0 || description !== description.trim()) {
    problems.push('the description must be non-empty, without surrounding spaces');
  }
  if (description.endsWith('.')) problems.push('the description must not end with a period');
  const first = description.split(/\s+/, 1)[0] ?? '';
  if (!looksImperative(first)) problems.push(`use the imperative mood ("add", not "${first}")`);
  if (/^[A-Z][a-z]/.test(first) && !/^[A-Z][A-Z]/.test(first)) {
    problems.push('start the description with a lower-case letter');
  }
  if (rest.length > 0 && rest[0] !== '') problems.push('leave a blank line between the subject and the body');

  const paragraphs = rest.join('\n').trim().split(/\n\s*\n/).filter((p) => p.trim().length > 0);
  let footers: Footer[] = [];
  const last = paragraphs.at(-1);
  if (last !== undefined) {
    const parsed = parseFooters(last);
    if (parsed) {
      footers = parsed;
      paragraphs.pop();
    }
  }
  if (problems.length > 0) return { valid: false, problems };
  const body = paragraphs.join('\n\n');
  return {
    valid: true,
    problems: [],
    commit: {
      type: type as CommitType,
      scope: scope === undefined || scope === '' ? undefined : scope,
      breaking: bang === '!' || footers.some((f) => f.token === 'BREAKING CHANGE' || f.token === 'BREAKING-CHANGE'),
      description,
      body: body.length > 0 ? body : undefined,
      footers,
    },
  };
}

/** Renders a message from its parts (blank lines between subject, body paragraphs and footers). */
export function formatCommitMessage(parts: {
  type: CommitType;
  scope?: string | undefined;
  breaking?: boolean;
  description: string;
  body?: string | undefined;
  footers?: readonly Footer[];
}): string {
  const scope = parts.scope ? `(${parts.scope})` : '';
  const sections = [`${parts.type}${scope}${parts.breaking ? '!' : ''}: ${parts.description}`];
  if (parts.body && parts.body.trim().length > 0) sections.push(parts.body.trim());
  if (parts.footers && parts.footers.length > 0) sections.push(parts.footers.map((f) => `${f.token}: ${f.value}`).join('\n'));
  return `${sections.join('\n\n')}\n`;
}
