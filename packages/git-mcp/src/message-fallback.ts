import path from 'node:path';
import { formatCommitMessage, MAX_SUBJECT_LENGTH, validateCommitMessage, type CommitType } from './conventional.js';
import type { ChangeKind } from './status.js';

/** What message generation needs to know about one changed file. */
export interface ChangedFile {
  readonly path: string;
  readonly kind: ChangeKind;
  readonly additions?: number;
  readonly deletions?: number;
}

type Category = 'test' | 'docs' | 'ci' | 'build' | 'chore' | 'source';

const TEST = [/(^|\/)(tests?|__tests__|spec)\//, /(^|\/)test_[^/]*\.py$/, /_test\.py$/, /\.(test|spec)\.[cm]?[jt]sx?$/, /(^|\/)conftest\.py$/];
const CI = [/^\.github\/workflows\//, /^\.gitlab-ci\.yml$/, /^\.circleci\//, /^\.travis\.yml$/, /(^|\/)Jenkinsfile$/, /^\.ci\//];
const BUILD = [
  /(^|\/)(pyproject\.toml|setup\.py|setup\.cfg|Pipfile|Pipfile\.lock|poetry\.lock|uv\.lock|tox\.ini|noxfile\.py|Makefile|Dockerfile)$/,
  /(^|\/)requirements[^/]*\.(txt|in)$/,
  /(^|\/)(package\.json|package-lock\.json|yarn\.lock|pnpm-lock\.yaml)$/,
];
const DOCS = [/\.(md|rst|adoc)$/i, /(^|\/)docs?\//, /(^|\/)(LICENSE|CHANGELOG|AUTHORS|NOTICE)(\.[a-z]+)?$/i, /\.txt$/i];
const CHORE = [/(^|\/)\.(gitignore|gitattributes|editorconfig|pre-commit-config\.yaml|flake8|pylintrc)$/];

/** Sorts a path into the category that decides a commit type. */
export function categorize(file: string): Category {
  if (TEST.some((r) => r.test(file))) return 'test';
  if (CI.some((r) => r.test(file))) return 'ci';
  if (BUILD.some((r) => r.test(file))) return 'build';
  if (DOCS.some((r) => r.test(file))) return 'docs';
  if (CHORE.some((r) => r.test(file))) return 'chore';
  return 'source';
}

const KEYWORDS: ReadonlyArray<[RegExp, CommitType]> = [
  [/\b(fix(es|ed|ing)?|bugs?|crash(es)?|broken|errors?|regression|repair|wrong|incorrect|fails?|failing|exception)\b/i, 'fix'],
  [/\b(perf|performance|faster|speed ?up|optimi[sz]e)\b/i, 'perf'],
  [/\b(refactor\w*|rename\w*|restructur\w*|reorgani[sz]\w*|extract\w*|clean ?up|simplif\w*)\b/i, 'refactor'],
  [/\b(format\w*|whitespace|lint|code style)\b/i, 'style'],
  [/\b(add\w*|implement\w*|support\w*|creat\w*|introduc\w*|new)\b/i, 'feat'],
];

/** Infers the type from what kinds of files changed, how, and what was asked. */
export function inferType(files: readonly ChangedFile[], request: string): CommitType {
  const cats = new Set(files.map((f) => categorize(f.path)));
  if (cats.size === 1) {
    const only = [...cats][0];
    if (only === 'test' || only === 'docs' || only === 'ci' || only === 'build' || only === 'chore') return only;
  }
  const source = files.filter((f) => categorize(f.path) === 'source');
  for (const [re, type] of KEYWORDS) if (re.test(request)) return type;
  if (source.some((f) => f.kind === 'added')) return 'feat';
  if (source.length > 0 && source.every((f) => f.kind === 'deleted')) return 'refactor';
  const added = source.reduce((n, f) => n + (f.additions ?? 0), 0);
  const removed = source.reduce((n, f) => n + (f.deletions ?? 0), 0);
  if (source.length === 0) return 'chore';
  return added >= 2 * removed && added > 0 ? 'feat' : 'refactor';
}

const GENERIC_DIRS = new Set(['src', 'lib', 'app', 'apps', 'packages', 'tests', 'test', '__tests__', 'spec', 'docs', 'doc', 'source']);
const GENERIC_STEMS = new Set(['__init__', '__main__', 'main', 'index', 'mod', 'conftest']);

function sanitizeScope(raw: string): string | undefined {
  const s = raw.toLowerCase().replace(/[^a-z0-9._/-]+/g, '-').replace(/^[^a-z0-9]+/, '').slice(0, 24).replace(/[-._/]+$/, '');
  return s.length > 0 ? s : undefined;
}

function moduleStem(file: string): string {
  return path.posix.basename(file).replace(/\.[^.]+$/, '').replace(/^test_/, '').replace(/_test$/, '').replace(/\.(test|spec)$/, '');
}

/**
 * The scope: for one file its module name, for several files the last meaningful directory
 * they share; none when they share nothing or the change is CI or build configuration.
 */
export function inferScope(files: readonly ChangedFile[], type: CommitType): string | undefined {
  if (type === 'ci' || type === 'build' || type === 'chore') return undefined;
  const wanted = type === 'test' ? 'test' : type === 'docs' ? 'docs' : 'source';
  const relevant = files.filter((f) => categorize(f.path) === wanted);
  const chosen = relevant.length > 0 ? relevant : files;
  const first = chosen[0];
  if (first === undefined) return undefined;
  const dirs = (f: ChangedFile) => path.posix.dirname(f.path).split('/').filter((p) => p !== '.' && !GENERIC_DIRS.has(p));
  if (chosen.length === 1) {
    const stem = moduleStem(first.path);
    return sanitizeScope(GENERIC_STEMS.has(stem) ? (dirs(first).at(-1) ?? '') : stem);
  }
  let common = dirs(first);
  for (const f of chosen.slice(1)) {
    const d = dirs(f);
    let i = 0;
    while (i < common.length && i < d.length && common[i] === d[i]) i++;
    common = common.slice(0, i);
  }
  const last = common.at(-1);
  return last === undefined ? undefined : sanitizeScope(last);
}

const TYPE_VERB: Record<CommitType, string> = {
  feat: 'add',
  fix: 'fix',
  refactor: 'refactor',
  test: 'add tests for',
  docs: 'document',
  chore: 'update',
  perf: 'speed up',
  style: 'format',
  build: 'update',
  ci: 'update',
};

const KNOWN_VERBS = new Set([
  'add', 'fix', 'update', 'remove', 'refactor', 'implement', 'create', 'change', 'improve', 'rename', 'move', 'use',
  'make', 'support', 'handle', 'allow', 'bump', 'clean', 'delete', 'drop', 'enable', 'disable', 'ensure', 'extract',
  'introduce', 'optimize', 'replace', 'return', 'set', 'simplify', 'split', 'test', 'document', 'upgrade', 'validate',
  'avoid', 'prevent', 'correct', 'adjust', 'reduce', 'increase', 'expose', 'convert', 'cache', 'check', 'show', 'hide',
  'guard', 'limit', 'log', 'parse', 'load', 'save', 'skip', 'restore', 'format', 'speed', 'sort', 'raise', 'apply',
  'configure', 'define', 'generate', 'include', 'exclude', 'write', 'read', 'store', 'list', 'let', 'keep', 'stop',
  'start', 'reject', 'accept', 'serve', 'expand', 'tighten', 'relax', 'wire', 'register', 'migrate', 'cover', 'run',
  'pin', 'rewrite', 'retry', 'merge', 'track', 'warn', 'document', 'explain', 'clarify', 'build', 'ship', 'bundle',
  'trim', 'strip', 'escape', 'sanitize', 'encode', 'decode', 'fetch', 'send', 'emit', 'render', 'display', 'print',
]);

const DETERMINERS = new Set(['the', 'a', 'an', 'all', 'every', 'each', 'this', 'that', 'these', 'those', 'our', 'its', 'their', 'some', 'any', 'missing', 'new']);

/** Turns `Added`, `adds` or `adding` into `add` when it is a known verb; otherwise undefined. */
function bareVerb(word: string): string | undefined {
  const w = word.toLowerCase();
  if (KNOWN_VERBS.has(w)) return w;
  const stems = [
    w.replace(/ies$/, 'y'),
    w.replace(/ied$/, 'y'),
    w.replace(/es$/, ''),
    w.replace(/s$/, ''),
    w.replace(/ed$/, ''),
    w.replace(/d$/, ''),
    w.replace(/ing$/, ''),
    w.replace(/ing$/, 'e'),
    w.replace(/([a-z])\1(ed|ing)$/, '$1'),
  ];
  return stems.find((s) => s !== w && KNOWN_VERBS.has(s));
}

function clip(text: string, room: number): string {
  if (text.length <= room) return text;
  const cut = text.slice(0, room + 1);
  const space = cut.lastIndexOf(' ');
  return (space > room / 2 ? cut.slice(0, space) : text.slice(0, room)).replace(/[\s,;:.-]+$/, '');
}

/** Imperative, lower-case, one-line description from a free-form request; undefined when empty. */
export function describeRequest(request: string, type: CommitType): string | undefined {
  const line = request.replace(/\s+/g, ' ').trim().split(/(?<=[.!?])\s/, 1)[0]?.replace(/[.!?]+$/, '').trim() ?? '';
  if (line.length === 0) return undefined;
  const [first = '', ...rest] = line.split(' ');
  const verb = bareVerb(first.replace(/[^A-Za-z]/g, ''));
  if (verb !== undefined) return [verb, ...rest].join(' ');
  // "cover the edge cases": a lower-case word before a determiner is almost always a verb.
  if (/^[a-z]+$/.test(first) && DETERMINERS.has((rest[0] ?? '').toLowerCase())) return line;
  // Not a verb we know ("GET /users endpoint"): lead with the verb the type implies.
  const lowered = /^[A-Z][a-z]/.test(first) ? `${first.slice(0, 1).toLowerCase()}${first.slice(1)}` : first;
  return `${TYPE_VERB[type]} ${[lowered, ...rest].join(' ')}`;
}

function describeFiles(files: readonly ChangedFile[]): string {
  const names = files.map((f) => path.posix.basename(f.path));
  const verb = files.every((f) => f.kind === 'deleted') ? 'remove' : files.every((f) => f.kind === 'added') ? 'add' : 'update';
  if (names.length === 1) return `${verb} ${names[0]}`;
  if (names.length === 2) return `${verb} ${names[0]} and ${names[1]}`;
  return `${verb} ${names[0]} and ${names.length - 1} more files`;
}

function fileBody(files: readonly ChangedFile[]): string {
  const word: Record<ChangeKind, string> = { added: 'add', modified: 'update', deleted: 'remove' };
  const lines = files.slice(0, 8).map((f) => `- ${word[f.kind]} ${f.path}`);
  if (files.length > 8) lines.push(`- and ${files.length - 8} more files`);
  return lines.join('\n');
}

/**
 * A deterministic Conventional Commit message from the changed paths and the request: the
 * type from what changed (tests only → test, docs only → docs, new source → feat, …), the
 * scope from the common directory or module, the description from the request.
 */
export function fallbackCommitMessage(files: readonly ChangedFile[], request: string): string {
  const type = inferType(files, request);
  const scope = inferScope(files, type);
  const prefix = `${type}${scope ? `(${scope})` : ''}: `;
  const room = MAX_SUBJECT_LENGTH - prefix.length;
  const fromRequest = describeRequest(request, type);
  const options = [fromRequest, files.length > 0 ? describeFiles(files) : undefined, `${TYPE_VERB[type]} the project`];
  for (const option of options) {
    if (option === undefined) continue;
    const message = formatCommitMessage({ type, scope, description: clip(option, room), body: files.length > 0 ? fileBody(files) : undefined });
    if (validateCommitMessage(message).valid) return message;
  }
  return formatCommitMessage({ type, scope, description: `${TYPE_VERB[type]} the project` });
}
