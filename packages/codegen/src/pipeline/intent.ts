/** What a request asks for, parsed without the LLM. */
export type Action = 'add' | 'modify' | 'fix' | 'refactor' | 'test' | 'explain';

export interface Intent {
  readonly action: Action;
  /** The main thing the request is about, e.g. `shipping cost` or `GET /users/:id`. */
  readonly target: string;
  /** Phrases such as "without changing the API", "use type hints". */
  readonly constraints: readonly string[];
  /** Identifier-like words in the request (snake_case, CamelCase, dotted). */
  readonly mentionedSymbols: readonly string[];
  /** Paths in the request (`shop/pricing.py`). */
  readonly mentionedFiles: readonly string[];
  /** True when the request asks to change or delete tests or to remove code. */
  readonly allowsTestEdits: boolean;
  readonly allowsDeletions: boolean;
  /** Graph ids the mentions resolved to (set by the intent resolver when a graph is available). */
  readonly resolvedSymbols?: readonly string[];
  /** Project files the mentioned paths resolved to. */
  readonly resolvedFiles?: readonly string[];
}

const ACTION_WORDS: readonly [Action, RegExp][] = [
  ['explain', /^\s*(explain|describe|what does|why does|how does)\b/i],
  ['test', /^\s*(write|add|generate|create)?\s*(unit\s+)?tests?\b|\btest(s)? for\b/i],
  ['fix', /\b(fix|bug|broken|crash(es)?|error|wrong|fails?)\b/i],
  ['refactor', /\b(refactor|rename|extract|move|split|clean ?up|simplify|reorgani[sz]e)\b/i],
  ['modify', /\b(change|modify|update|make|improve|extend|replace|support)\b/i],
  ['add', /\b(add|create|implement|write|new|calculate|compute|build)\b/i],
];

const STOP = new Set(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'API', 'HTTP', 'JSON', 'SQL', 'URL', 'ID', 'I']);

/** The actions an intent may have, in the order the parser tries them. */
export const ACTIONS: readonly Action[] = ['add', 'modify', 'fix', 'refactor', 'test', 'explain'];

/** What the deterministic parse found, and whether it recognised an action verb at all. */
export interface ParsedRequest {
  readonly intent: Intent;
  /** False when no action word matched and `add` is only a default. */
  readonly actionRecognised: boolean;
}

export function parseIntent(request: string): Intent {
  return parseRequest(request).intent;
}

/** {@link parseIntent}, plus how sure the parse is (the intent resolver's input). */
export function parseRequest(request: string): ParsedRequest {
  const text = request.trim();
  const matched = ACTION_WORDS.find(([, re]) => re.test(text))?.[0];
  const action = matched ?? 'add';
  const mentionedFiles = [...new Set([...text.matchAll(/(?:^|[\s`'"(])((?:[\w.-]+\/)*[\w.-]+\.(?:py|html|js|css|toml|txt|cfg))\b/g)].map((m) => m[1] as string))];
  const words = [...text.matchAll(/`([^`]+)`|\b([A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)+|[a-z]+_[a-z0-9_]+|[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]+)+|[a-z]+[A-Z]\w*)\b/g)]
    .map((m) => (m[1] ?? m[2]) as string)
    .filter((w) => !mentionedFiles.includes(w) && !STOP.has(w) && !/\.(py|html|js|css)$/.test(w));
  const mentionedSymbols = [...new Set(words.map((w) => w.replace(/\(\)$/, '')))];
  const constraints = [
    ...text.matchAll(/\b(without [^,.;]+|keep(?:ing)? [^,.;]+|must [^,.;]+|do not [^,.;]+|don't [^,.;]+|using [^,.;]+|with type hints|with tests)/gi),
  ].map((m) => (m[1] as string).trim());
  const target = text
    .replace(/^\s*(please\s+)?(add|create|implement|write|fix|refactor|change|modify|update|make|calculate|compute|build)\s+(a|an|the)?\s*/i, '')
    .split(/[.;\n]/)[0]
    ?.trim()
    .slice(0, 120) ?? text;
  const intent: Intent = {
    action,
    target,
    constraints,
    mentionedSymbols,
    mentionedFiles,
    allowsTestEdits: /\b(tests?)\b/i.test(text) && /\b(change|update|fix|modify|rewrite|delete|remove)\b/i.test(text),
    allowsDeletions: /\b(remove|delete|drop|rename|replace)\b/i.test(text),
  };
  return { intent, actionRecognised: matched !== undefined };
}
