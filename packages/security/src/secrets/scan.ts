import { findingId } from '../findings/id.js';
import { LineIndex } from '../findings/source.js';
import type { Finding } from '../findings/types.js';
import { SECRET_PATTERNS, isPlaceholder, looksLikeSecret } from './patterns.js';

/** Test code legitimately holds fake credentials; generic assignments there are not reported. */
const TEST_PATH = /(?:^|\/)(?:tests?|testing|fixtures?)\/|(?:^|\/)(?:test_[^/]*|[^/]*_test|conftest)\.py$/;
/** Files meant to hold example values, never real ones. */
const EXAMPLE_PATH = /(?:^|\/)\.env\.(?:example|sample|template)$|\.example$|\.sample$/;

/** Values read from the environment or a secret store are the fix, not the problem. */
const ENV_READ = /os\.(?:getenv|environ)|environ\.get|config\(|getpass|secrets\.|keyring\./;

/**
 * Scans one file's text for secrets. `file` is the path relative to the scan root; it decides
 * the test and example allow-lists. Snippets are redacted.
 */
export function scanSecrets(file: string, text: string): Finding[] {
  if (EXAMPLE_PATH.test(file)) return [];
  const isTest = TEST_PATH.test(file);
  const index = new LineIndex(text);
  const out: Finding[] = [];
  const taken: Array<[number, number]> = [];
  for (const p of SECRET_PATTERNS) {
    if (p.generic && isTest) continue;
    for (const m of text.matchAll(p.regex)) {
      const whole = m[0];
      const secret = p.group === undefined ? whole : m[p.group];
      if (secret === undefined) continue;
      const start = (m.index ?? 0) + (p.group === undefined ? 0 : whole.lastIndexOf(secret));
      const end = start + secret.length;
      if (taken.some(([a, b]) => start < b && end > a)) continue;
      if (p.generic ? !looksLikeSecret(secret) : isPlaceholder(secret) && p.id !== 'private-key') continue;
      const lineText = text.slice(text.lastIndexOf('\n', start) + 1, text.indexOf('\n', end) === -1 ? text.length : text.indexOf('\n', end));
      if (p.generic && ENV_READ.test(lineText)) continue;
      taken.push([start, end]);
      const range = index.range(start, end);
      out.push({
        id: findingId('secrets', p.id, file, range),
        engine: 'secrets',
        rule: `secret-${p.id}`,
        cwe: ['CWE-798'],
        owasp: ['A07:2021 - Identification and Authentication Failures'],
        severity: 'critical',
        confidence: p.generic ? 'medium' : 'high',
        file,
        range,
        message: `Hardcoded secret (${p.description}). Move it to the environment and rotate it: it may already be exposed.`,
        snippet: index.snippet(range, 2),
      });
    }
  }
  return out.sort((a, b) => a.range.startLine - b.range.startLine || a.range.startCol - b.range.startCol);
}
