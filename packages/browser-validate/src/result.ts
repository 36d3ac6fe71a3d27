/** Where in the page's sources something happened. */
export interface SourceLocation {
  readonly url: string;
  /** 1-based, as editors show it. */
  readonly line: number;
  readonly column: number;
}

export type ConsoleLevel = 'debug' | 'log' | 'info' | 'warning' | 'error';

/** One console message: from `console.*` calls (`source: 'console-api'`) or from the browser itself. */
export interface ConsoleEntry {
  readonly level: ConsoleLevel;
  readonly text: string;
  /** `console-api`, or the browser's source: `network`, `javascript`, `security`, `intervention`... */
  readonly source: string;
  readonly location?: SourceLocation;
  /** Index of the script step running when it was logged; absent during the initial load. */
  readonly step?: number;
}

export interface StackFrame {
  readonly functionName: string;
  readonly url: string;
  readonly line: number;
  readonly column: number;
}

export interface ExceptionEntry {
  /** `uncaught` for a thrown error, `unhandled_rejection` for a promise nobody handled. */
  readonly kind: 'uncaught' | 'unhandled_rejection';
  readonly message: string;
  readonly location?: SourceLocation;
  readonly stack: readonly StackFrame[];
  readonly step?: number;
}

export type NetworkFailure = 'http_status' | 'network' | 'cors' | 'blocked' | 'mixed_content' | 'canceled';

export interface NetworkEntry {
  readonly url: string;
  readonly method: string;
  /** `Document`, `Script`, `Stylesheet`, `Image`, `Fetch`, `XHR`... */
  readonly resourceType: string;
  readonly status?: number;
  readonly ok: boolean;
  readonly failure?: NetworkFailure;
  /** Chromium's error text (`net::ERR_CONNECTION_REFUSED`) or the CORS / blocked reason. */
  readonly errorText?: string;
  readonly sameOrigin: boolean;
  readonly step?: number;
}

export interface PageMetrics {
  /** From navigation start; absent when the page never finished loading. */
  readonly loadMs?: number;
  readonly domContentLoadedMs?: number;
  readonly layoutCount: number;
  readonly recalcStyleCount: number;
  readonly jsHeapUsedBytes: number;
  readonly jsHeapTotalBytes: number;
  readonly nodes: number;
  readonly scriptDurationMs: number;
  readonly taskDurationMs: number;
  /** False when the hard cap (`maxWaitMs`) ended the wait for a quiet page. */
  readonly settled: boolean;
  /** Wall time of the whole check. */
  readonly checkMs: number;
}

export interface Screenshot {
  readonly name: string;
  readonly mode: 'viewport' | 'fullPage';
  readonly width: number;
  readonly height: number;
  /** PNG bytes, base64, so the result stays plain JSON. */
  readonly pngBase64: string;
  readonly step?: number;
}

export interface StepResult {
  readonly index: number;
  readonly action: string;
  /** A short description such as `click #submit`. */
  readonly label: string;
  readonly status: 'passed' | 'failed' | 'skipped';
  readonly durationMs: number;
  readonly error?: string;
}

/**
 * What may fail without failing the check. Lists are substrings: a console error or exception
 * is allowed when its text contains one, a failed request when its URL contains one.
 */
export interface CheckPolicy {
  readonly allowConsoleErrors?: boolean | readonly string[];
  readonly allowExceptions?: boolean | readonly string[];
  readonly allowFailedRequests?: boolean | readonly string[];
  /** Also fail on failed cross-origin requests. Default false. */
  readonly failOnCrossOriginRequests?: boolean;
  /** Also fail on console warnings. Default false. */
  readonly failOnConsoleWarnings?: boolean;
}

export interface CheckResult {
  /** False on an error-level console message, an uncaught exception, a failed same-origin request or a failed step, unless the policy allows it. */
  readonly ok: boolean;
  readonly url: string;
  readonly console: readonly ConsoleEntry[];
  readonly exceptions: readonly ExceptionEntry[];
  readonly network: readonly NetworkEntry[];
  readonly metrics: PageMetrics;
  readonly screenshots: readonly Screenshot[];
  readonly steps: readonly StepResult[];
  /** Concise text for LLM feedback: what failed, where, and nothing else. */
  readonly summary: string;
}

function allowed(rule: boolean | readonly string[] | undefined, text: string): boolean {
  if (rule === undefined || rule === false) return false;
  if (rule === true) return true;
  return rule.some((s) => text.includes(s));
}

/** The failures that count under a policy; the rest are reported but do not fail the check. */
export interface Verdict {
  readonly consoleErrors: readonly ConsoleEntry[];
  readonly exceptions: readonly ExceptionEntry[];
  readonly failedRequests: readonly NetworkEntry[];
  readonly failedSteps: readonly StepResult[];
}

/**
 * Network failures are judged by the request rule (same-origin, allow-list), not again through
 * the console lines Chromium logs for them ("Failed to load resource ...").
 */
export function judge(
  data: Pick<CheckResult, 'console' | 'exceptions' | 'network' | 'steps'>,
  policy: CheckPolicy = {},
): Verdict {
  const failing = (level: ConsoleLevel) => level === 'error' || (policy.failOnConsoleWarnings === true && level === 'warning');
  return {
    consoleErrors: data.console.filter(
      (c) => failing(c.level) && c.source !== 'network' && !allowed(policy.allowConsoleErrors, c.text),
    ),
    exceptions: data.exceptions.filter((e) => !allowed(policy.allowExceptions, e.message)),
    failedRequests: data.network.filter(
      (n) =>
        !n.ok &&
        n.failure !== 'canceled' &&
        (n.sameOrigin || policy.failOnCrossOriginRequests === true || n.failure === 'cors' || n.failure === 'mixed_content') &&
        !allowed(policy.allowFailedRequests, n.url),
    ),
    failedSteps: data.steps.filter((s) => s.status === 'failed'),
  };
}

export function verdictOk(v: Verdict): boolean {
  return v.consoleErrors.length + v.exceptions.length + v.failedRequests.length + v.failedSteps.length === 0;
}

function where(loc: SourceLocation | undefined, origin: string): string {
  if (!loc) return '';
  const file = loc.url === '' ? '(inline)' : shortUrl(loc.url, origin);
  return ` at ${file}:${loc.line}:${loc.column}`;
}

/** Same-origin URLs are shown as paths, which is how the code under test names its files. */
function shortUrl(url: string, origin: string): string {
  try {
    const u = new URL(url);
    return u.origin === origin ? `${u.pathname.slice(1) || '/'}${u.search}` : url;
  } catch {
    return url;
  }
}

function stepTag(step: number | undefined): string {
  return step === undefined ? '' : ` [step ${step + 1}]`;
}

const MAX_LINES = 12;

/** Concise text for the LLM: verdict first, then each counted failure on one line. */
export function summarize(url: string, v: Verdict, metrics: PageMetrics, stepCount: number): string {
  let origin = '';
  try {
    origin = new URL(url).origin;
  } catch {
    origin = '';
  }
  const lines: string[] = [];
  for (const s of v.failedSteps) lines.push(`step ${s.index + 1} (${s.label}) failed: ${s.error ?? 'unknown'}`);
  for (const e of v.exceptions) {
    const kind = e.kind === 'uncaught' ? 'uncaught exception' : 'unhandled rejection';
    lines.push(`${kind}: ${e.message}${where(e.location, origin)}${stepTag(e.step)}`);
  }
  for (const c of v.consoleErrors) lines.push(`console.${c.level}: ${c.text}${where(c.location, origin)}${stepTag(c.step)}`);
  for (const n of v.failedRequests) {
    const why = n.failure === 'http_status' ? `HTTP ${n.status ?? '?'}` : n.failure === 'cors' ? (n.errorText ?? 'CORS') : `${n.failure ?? 'failed'}: ${n.errorText ?? ''}`;
    lines.push(`failed ${n.resourceType.toLowerCase()} ${n.method} ${shortUrl(n.url, origin)}: ${why}${stepTag(n.step)}`);
  }
  const count = v.failedSteps.length + v.exceptions.length + v.consoleErrors.length + v.failedRequests.length;
  const head =
    count === 0
      ? `PASS ${shortUrl(url, origin)}: no console errors, exceptions or failed requests${stepCount > 0 ? `; ${stepCount} steps passed` : ''}`
      : `FAIL ${shortUrl(url, origin)}: ${count} problem${count === 1 ? '' : 's'}`;
  const shown = lines.slice(0, MAX_LINES).map((l) => `- ${l.length > 300 ? `${l.slice(0, 297)}...` : l}`);
  if (lines.length > MAX_LINES) shown.push(`- ... and ${lines.length - MAX_LINES} more`);
  if (!metrics.settled) shown.push('- note: the page never went quiet; the check stopped at the time cap');
  return [head, ...shown].join('\n');
}
