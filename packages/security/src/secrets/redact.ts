import { SECRET_PATTERNS } from './patterns.js';

/** Unquoted `KEY=value` pairs as in .env files, shell exports and logs. */
const ENV_ASSIGNMENT =
  /\b([A-Za-z_]*(?:PASSWORD|PASSWD|SECRET|API_?KEY|TOKEN|ACCESS_?KEY|PRIVATE_?KEY)[A-Za-z0-9_]*)(\s*[=:]\s*)([A-Za-z0-9_\-./+=~]{8,})/gi;
const BEARER = /\b(Bearer|Basic)\s+([A-Za-z0-9_\-.~+/]{16,}=*)/g;

function mask(kind: string): string {
  return `[REDACTED:${kind}]`;
}

/**
 * Replaces every secret in `text` (known token formats, private keys, passwords in URLs,
 * secret-looking assignments, bearer tokens) with `[REDACTED:<kind>]`. Aggressive on purpose:
 * it is the last line before logs, reports, prompts and stored memories.
 */
export function redact(text: string): string {
  let out = text;
  for (const p of SECRET_PATTERNS) {
    out = out.replace(p.regex, (match: string, ...rest: unknown[]) => {
      if (p.group === undefined) return mask(p.id);
      const secret = rest[p.group - 1];
      if (typeof secret !== 'string' || secret.includes('[REDACTED')) return match;
      const offset = match.lastIndexOf(secret);
      return `${match.slice(0, offset)}${mask(p.id)}${match.slice(offset + secret.length)}`;
    });
  }
  out = out.replace(ENV_ASSIGNMENT, (match: string, name: string, sep: string, value: string) =>
    value.startsWith('[REDACTED') || /^(?:os|getenv|environ|self|settings|config|request)\b/.test(value) || /^[a-z_.]+$/.test(value)
      ? match
      : `${name}${sep}${mask('assignment')}`,
  );
  return out.replace(BEARER, (_m: string, scheme: string) => `${scheme} ${mask('bearer')}`);
}
