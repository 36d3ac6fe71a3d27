import { describe, expect, it } from 'vitest';
import { judge, summarize, verdictOk, type CheckResult, type PageMetrics } from './result.js';

const origin = 'http://localhost:4000';
const metrics: PageMetrics = {
  layoutCount: 1,
  recalcStyleCount: 1,
  jsHeapUsedBytes: 1,
  jsHeapTotalBytes: 1,
  nodes: 1,
  scriptDurationMs: 0,
  taskDurationMs: 0,
  settled: true,
  checkMs: 1,
};

const data: Pick<CheckResult, 'console' | 'exceptions' | 'network' | 'steps'> = {
  console: [
    { level: 'error', text: 'Chart failed', source: 'console-api', location: { url: `${origin}/app.js`, line: 3, column: 5 } },
    { level: 'error', text: 'Failed to load resource: 404', source: 'network' },
    { level: 'warning', text: 'deprecated API', source: 'console-api' },
  ],
  exceptions: [{ kind: 'unhandled_rejection', message: 'Error: nope', stack: [], step: 1 }],
  network: [
    { url: `${origin}/missing.js`, method: 'GET', resourceType: 'Script', status: 404, ok: false, failure: 'http_status', sameOrigin: true },
    { url: 'https://cdn.example/x.png', method: 'GET', resourceType: 'Image', ok: false, failure: 'network', errorText: 'net::ERR_NAME_NOT_RESOLVED', sameOrigin: false },
    { url: `${origin}/aborted`, method: 'GET', resourceType: 'Fetch', ok: false, failure: 'canceled', sameOrigin: true },
  ],
  steps: [],
};

describe('judge', () => {
  it('counts error-level console lines, exceptions and failed same-origin requests, once each', () => {
    const v = judge(data);
    expect(v.consoleErrors.map((c) => c.text)).toEqual(['Chart failed']);
    expect(v.exceptions).toHaveLength(1);
    expect(v.failedRequests.map((n) => n.url)).toEqual([`${origin}/missing.js`]);
    expect(verdictOk(v)).toBe(false);
  });

  it('follows the policy', () => {
    const v = judge(data, {
      allowConsoleErrors: ['Chart'],
      allowExceptions: true,
      allowFailedRequests: ['missing.js'],
    });
    expect(verdictOk(v)).toBe(true);
    const strict = judge(data, { failOnCrossOriginRequests: true, failOnConsoleWarnings: true });
    expect(strict.failedRequests).toHaveLength(2);
    expect(strict.consoleErrors.map((c) => c.level)).toEqual(['error', 'warning']);
  });
});

describe('summarize', () => {
  it('gives one line per counted problem, with file:line and the step', () => {
    const text = summarize(`${origin}/index.html`, judge(data), metrics, 0);
    expect(text).toBe(
      [
        'FAIL index.html: 3 problems',
        '- unhandled rejection: Error: nope [step 2]',
        '- console.error: Chart failed at app.js:3:5',
        '- failed script GET missing.js: HTTP 404',
      ].join('\n'),
    );
  });

  it('passes briefly and notes a page that never went quiet', () => {
    const empty = { console: [], exceptions: [], network: [], steps: [] };
    expect(summarize(`${origin}/index.html`, judge(empty), { ...metrics, settled: false }, 2)).toBe(
      'PASS index.html: no console errors, exceptions or failed requests; 2 steps passed\n- note: the page never went quiet; the check stopped at the time cap',
    );
  });
});
