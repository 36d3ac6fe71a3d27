import type { CheckResult } from '../../src/index.js';

/**
 * The stable part of a result, for comparing with a fixture's expected.json: origins (random
 * ports) become `<origin>`, timings and heap sizes are dropped, and only what fails is kept.
 */
export function normalize(r: CheckResult): unknown {
  const origin = new URL(r.url).origin;
  const strip = (s: string) => s.split(origin).join('<origin>').replace(/http:\/\/(?:localhost|127\.0\.0\.1):\d+/g, '<other>');
  const loc = (l: { url: string; line: number; column: number } | undefined) =>
    l === undefined ? undefined : { url: strip(l.url), line: l.line, column: l.column };
  return {
    ok: r.ok,
    console: r.console
      .filter((c) => c.level === 'error' || c.level === 'warning')
      .map((c) => ({ level: c.level, source: c.source, text: strip(c.text), location: loc(c.location) })),
    exceptions: r.exceptions.map((e) => ({ kind: e.kind, message: e.message, location: loc(e.location), functions: e.stack.map((f) => f.functionName) })),
    failedRequests: r.network
      .filter((n) => !n.ok)
      .map((n) => ({ url: strip(n.url), resourceType: n.resourceType, status: n.status, failure: n.failure, sameOrigin: n.sameOrigin })),
    summary: strip(r.summary),
  };
}
