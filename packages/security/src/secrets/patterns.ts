/**
 * Known token formats. Each regex is global; when `group` is set only that capture group is the
 * secret (the rest is context such as a variable name or a URL's user part).
 */
export interface SecretPattern {
  readonly id: string;
  readonly description: string;
  readonly regex: RegExp;
  readonly group?: number;
  /** Generic assignments go through the entropy and placeholder checks; known formats do not. */
  readonly generic?: boolean;
}

export const SECRET_PATTERNS: readonly SecretPattern[] = [
  {
    id: 'private-key',
    description: 'private key block',
    regex: /-----BEGIN (?:[A-Z]+ )*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END (?:[A-Z]+ )*PRIVATE KEY(?: BLOCK)?-----|$)/g,
  },
  { id: 'aws-access-key-id', description: 'AWS access key id', regex: /\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA)[0-9A-Z]{16}\b/g },
  {
    id: 'aws-secret-access-key',
    description: 'AWS secret access key',
    regex: /aws_?secret_?(?:access_?)?key["']?\s*[:=]\s*["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])/gi,
    group: 1,
  },
  { id: 'github-token', description: 'GitHub token', regex: /\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b/g },
  { id: 'gitlab-token', description: 'GitLab token', regex: /\bgl(?:pat|ptt|dt|rt)-[A-Za-z0-9_-]{20,}\b/g },
  { id: 'slack-token', description: 'Slack token', regex: /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/g },
  {
    id: 'slack-webhook',
    description: 'Slack webhook URL',
    regex: /https:\/\/hooks\.slack\.com\/services\/T[A-Za-z0-9_]+\/B[A-Za-z0-9_]+\/[A-Za-z0-9_]+/g,
  },
  { id: 'stripe-key', description: 'Stripe key', regex: /\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}\b/g },
  { id: 'google-api-key', description: 'Google API key', regex: /\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/g },
  { id: 'anthropic-key', description: 'Anthropic API key', regex: /\bsk-ant-[A-Za-z0-9_-]{20,}/g },
  { id: 'openai-key', description: 'OpenAI API key', regex: /\bsk-(?!ant-)(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}(?![A-Za-z0-9_-])/g },
  { id: 'jwt', description: 'JSON Web Token', regex: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g },
  {
    id: 'database-url-password',
    description: 'database URL with a password',
    regex: /\b(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|redis|rediss|amqps?|mssql|oracle)(?:\+[a-z0-9]+)?:\/\/[^:/\s@'"]*:([^@\s'"/]{3,})@/gi,
    group: 1,
  },
  {
    id: 'generic-secret-assignment',
    description: 'hardcoded secret assigned to a sensitive name',
    regex:
      /\b[A-Za-z0-9_]*(?:password|passwd|pwd|secret|(?:secret|signing|encryption|master)_?key|api_?key|apikey|access_?key|auth_?token|access_?token|private_?key|client_?secret|token)s?\d*["']?\s*(?::\s*[A-Za-z_][\w[\], ]*)?\s*(?:=|:|==)\s*[bru]?(["'])([^"'\n]{6,})\1/gi,
    group: 2,
    generic: true,
  },
];

/** Values that are obviously not real secrets: docs placeholders, templates, test data. */
const PLACEHOLDER = [
  /^(?:x+|\*+|\.+|-+|0+|1234.*|abc.*|test.*|dummy.*|fake.*|sample.*|example.*|placeholder.*|changeme|change[_-]?me.*|secret|password|passw0rd|pass|none|null|todo|tbd|redacted.*|\[redacted.*)$/i,
  /^(?:your|my|insert|enter|put|replace|add)[_\- ]/i,
  /^<.*>$/,
  /^\$\{?[A-Za-z_]+\}?$/,
  /^\{\{.*\}\}$/,
  /^%\(.*\)s$/,
  /EXAMPLE/,
  /\s/,
];

export function isPlaceholder(value: string): boolean {
  return PLACEHOLDER.some((p) => p.test(value));
}

/** Shannon entropy in bits per character. */
export function entropy(value: string): number {
  if (value.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const c of counts.values()) {
    const p = c / value.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/**
 * Whether a generic assignment's value looks like a real secret: long enough, varied enough,
 * and not a placeholder, a format string, a URL path or a plain word.
 */
export function looksLikeSecret(value: string): boolean {
  if (value.length < 6 || isPlaceholder(value)) return false;
  // Lowercase words joined by separators are identifiers and labels (`bare-quoted-string`).
  if (/^[a-z]+(?:[_ .-][a-z]+)*$/.test(value)) return false;
  if (/^(?:https?:\/\/|\/|\.\/)/.test(value)) return false;
  if (/[{}%]/.test(value)) return false;
  return entropy(value) >= 2.5;
}
