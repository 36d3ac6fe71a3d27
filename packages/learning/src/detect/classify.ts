import type { Category, Severity } from '../pattern.js';

interface Rule {
  readonly test: (errorType: string, message: string) => boolean;
  readonly category: Category;
  readonly severity: Severity;
}

const has = (re: RegExp) => (t: string, m: string) => re.test(`${t} ${m}`);
const typeIs =
  (...names: string[]) =>
  (t: string) =>
    names.includes(t);

// Ordered: async hints come before TypeError, since "can't be used in 'await' expression" is a TypeError.
const RULES: readonly Rule[] = [
  {
    test: has(/never awaited|can'?t be used in .?await.? expression|is not awaitable|a coroutine was expected|event loop is (?:closed|already running)|coroutine object|asyncio\.|async generator/i),
    category: 'async',
    severity: 'major',
  },
  { test: typeIs('SyntaxError', 'IndentationError', 'TabError'), category: 'syntax', severity: 'critical' },
  {
    test: has(/DistributionNotFound|VersionConflict|requires? (?:python|version)|incompatible version|pip install/i),
    category: 'dependency',
    severity: 'major',
  },
  { test: typeIs('ImportError', 'ModuleNotFoundError'), category: 'import', severity: 'critical' },
  { test: (t, m) => t === 'NameError' && /is not defined/.test(m), category: 'import', severity: 'major' },
  { test: typeIs('TypeError', 'AttributeError'), category: 'type', severity: 'major' },
  { test: typeIs('AssertionError', 'Failed', 'FixtureLookupError'), category: 'test', severity: 'major' },
  { test: has(/fixture '.*' not found|assert /i), category: 'test', severity: 'major' },
  { test: has(/\b[EWFC]\d{3}\b|line too long|pep ?8|flake8|ruff/i), category: 'style', severity: 'minor' },
];

const KNOWN_ERROR = /\b([A-Z][A-Za-z]*(?:Error|Exception|Warning)|Failed)\b/;

/** The exception class named in a message or traceback, when the reporter did not give it. */
export function guessErrorType(message: string, traceback = ''): string {
  // The last "Xxx: message" line of a traceback names the exception that escaped.
  const lines = `${traceback}\n${message}`.split('\n').reverse();
  for (const line of lines) {
    const m = line.match(/^\s*(?:E\s+)?([A-Za-z_][\w.]*(?:Error|Exception|Warning|Failed))\b/);
    if (m) return (m[1] as string).split('.').pop() as string;
  }
  const any = message.match(KNOWN_ERROR) ?? traceback.match(KNOWN_ERROR);
  return any ? (any[1] as string) : 'Error';
}

/**
 * Maps a test failure to a category and severity: ImportError → import, an unawaited coroutine →
 * async, TypeError → type, AssertionError → test, SyntaxError → syntax, and so on.
 */
export function classifyFailure(errorType: string, message: string): { category: Category; severity: Severity } {
  for (const rule of RULES) {
    if (rule.test(errorType, message)) return { category: rule.category, severity: rule.severity };
  }
  return { category: 'other', severity: 'major' };
}

const TEXT_HINTS: readonly (readonly [RegExp, Category])[] = [
  [/\b(?:await|async|coroutine|asyncio|event loop)\b/i, 'async'],
  [/\b(?:sql|inject|injection|secret|password|credential|eval|exec|shell=true|pickle|xss|csrf|hash(?:ing)?|md5|sha1|token)\b/i, 'security'],
  [/\b(?:import|module|from \w+ import)\b/i, 'import'],
  [/\b(?:requirements|dependency|dependencies|version|pip|package)\b/i, 'dependency'],
  [/\b(?:type|types|none|optional|int|str|dict|list|annotation|typing)\b/i, 'type'],
  [/\b(?:test|tests|assert|fixture|pytest|mock)\b/i, 'test'],
  [/\b(?:indent|indentation|syntax|colon|parenthes[ie]s|bracket)\b/i, 'syntax'],
  [/\b(?:naming|name it|style|pep ?8|format|docstring|comment|snake_case|camelcase)\b/i, 'style'],
];

/** A category for free text (a user's correction), from the words it uses. */
export function categoryFromText(text: string): Category {
  for (const [re, category] of TEXT_HINTS) if (re.test(text)) return category;
  return 'other';
}

/** Graph breakages: an unresolved import is an import mistake, a signature mismatch a type mistake. */
export function classifyBreakage(kind: string): { category: Category; severity: Severity } {
  if (/import/i.test(kind)) return { category: 'import', severity: 'critical' };
  if (/signature|arity|argument|subclass|override/i.test(kind)) return { category: 'type', severity: 'major' };
  return { category: 'other', severity: 'major' };
}
