import { describe, expect, it } from 'vitest';
import * as api from './index.js';

describe('public entry', () => {
  it('exports the API other packages call, by name', () => {
    for (const name of ['createScanner', 'gate', 'redact', 'toSarif', 'scanSecrets', 'loadAdvisoryDb', 'buildAdvisoryDb']) {
      expect(typeof (api as Record<string, unknown>)[name], name).toBe('function');
    }
    expect(api.SEVERITIES).toEqual(['critical', 'high', 'medium', 'low']);
  });

  it('does nothing until scan is called: creating a scanner with a bogus semgrep is fine', () => {
    const scanner = api.createScanner({ semgrepPath: '/nonexistent/semgrep', rulesDir: '/nonexistent/rules' });
    expect(typeof scanner.scan).toBe('function');
  });

  it('redact leaves text without secrets untouched', () => {
    const text = 'def handler(request):\n    return render(request, "index.html")\n';
    expect(api.redact(text)).toBe(text);
  });
});
