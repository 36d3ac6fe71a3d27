/** Masks secrets in a text. The security package provides a thorough one; see {@link defaultRedact}. */
export type Redact = (text: string) => string;

const MASK = '[REDACTED]';

// Conservative: only shapes that are almost never anything but credentials.
const KEY_PATTERNS: readonly RegExp[] = [
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g,
  /\bsk-ant-[A-Za-z0-9_-]{10,}/g,
  /\bsk-(?:proj-|live_|test_)?[A-Za-z0-9_-]{16,}/g,
  /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g,
  /\bgh[pousr]_[A-Za-z0-9]{20,}\b/g,
  /\bgithub_pat_[A-Za-z0-9_]{20,}\b/g,
  /\bxox[abprs]-[A-Za-z0-9-]{10,}\b/g,
  /\bAIza[0-9A-Za-z_-]{35}\b/g,
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\b/g,
  /\b(?:hf|glpat|npm)_[A-Za-z0-9_-]{20,}\b/g,
];
// `password = "..."`, `API_KEY: '...'`, `token=abc123...` : keep the name, mask the value.
const ASSIGNMENT =
  /\b([A-Za-z0-9_]*(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|auth)[A-Za-z0-9_]*)(\s*["']?\s*[:=]\s*)(["'])([^"'\n]{4,})\3/gi;
const BARE_ASSIGNMENT =
  /\b([A-Za-z0-9_]*(?:password|passwd|secret|token|api[_-]?key|apikey|access[_-]?key)[A-Za-z0-9_]*)(\s*[:=]\s*)([A-Za-z0-9_\-./+]{8,})/gi;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9_\-.=+/]{12,}/g;
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s:@/]+):([^\s@/]+)@/gi;

/**
 * The built-in redaction: masks private keys, well-known token formats, bearer tokens, URL
 * credentials and values assigned to secret-looking names. It is always applied after the
 * injected `redact`, as a second line of defence.
 */
export function defaultRedact(text: string): string {
  let out = text;
  for (const re of KEY_PATTERNS) out = out.replace(re, MASK);
  out = out.replace(ASSIGNMENT, (_m, name: string, sep: string, q: string) => `${name}${sep}${q}${MASK}${q}`);
  out = out.replace(BARE_ASSIGNMENT, (m, name: string, sep: string, value: string) =>
    value === MASK || value.startsWith('[') ? m : `${name}${sep}${MASK}`,
  );
  out = out.replace(BEARER, (_m, scheme: string) => `${scheme} ${MASK}`);
  out = out.replace(URL_CREDENTIALS, (_m, scheme: string, user: string) => `${scheme}${user}:${MASK}@`);
  return out;
}

export interface ExcerptOptions {
  /** 1-based line the failure points at; the excerpt is centred on it. */
  readonly line?: number;
  /** Lines kept either side of `line`. Default 3. */
  readonly context?: number;
  /** Most lines kept without a line hint. Default 12. */
  readonly maxLines?: number;
  /** Hard cap on characters. Default 1,200. */
  readonly maxChars?: number;
}

/**
 * Cuts code to the lines that matter, so a whole file is never stored: around `line` when known,
 * otherwise the first `maxLines` lines, and never more than `maxChars` characters.
 */
export function relevantExcerpt(code: string, options: ExcerptOptions = {}): string {
  const lines = code.replace(/\r\n?/g, '\n').split('\n');
  const context = options.context ?? 3;
  const maxLines = options.maxLines ?? 12;
  const maxChars = options.maxChars ?? 1200;
  let picked: string[];
  if (options.line !== undefined && options.line >= 1 && options.line <= lines.length) {
    const start = Math.max(0, options.line - 1 - context);
    picked = lines.slice(start, Math.min(lines.length, options.line + context));
  } else {
    picked = lines.slice(0, maxLines);
  }
  while (picked.length > 0 && (picked[0] as string).trim() === '') picked.shift();
  while (picked.length > 0 && (picked[picked.length - 1] as string).trim() === '') picked.pop();
  let text = picked.join('\n');
  if (text.length > maxChars) text = `${text.slice(0, maxChars)}…`;
  return text;
}

/** Composes the injected redaction with the built-in one. */
export function composeRedact(redact: Redact | undefined): Redact {
  if (!redact) return defaultRedact;
  return (t) => defaultRedact(redact(t));
}
