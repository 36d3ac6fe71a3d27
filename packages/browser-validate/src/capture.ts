import type { Protocol } from 'devtools-protocol';
import type { ConsoleEntry, ConsoleLevel, ExceptionEntry, NetworkEntry, NetworkFailure, SourceLocation, StackFrame } from './result.js';

interface Pending {
  url: string;
  readonly method: string;
  resourceType: string;
  status?: number;
  readonly step?: number;
  /** Holds up settling: false for long-lived streams and once the response headers are in. */
  counts: boolean;
}

/** Requests that stay open by design and must not hold up settling. */
const LONG_LIVED = new Set(['EventSource', 'WebSocket']);

/**
 * Turns one page session's CDP events into console, exception and network records, and keeps
 * the state settling needs: requests in flight, main-frame loading, time of last activity.
 */
export class PageRecorder {
  readonly console: ConsoleEntry[] = [];
  readonly exceptions: ExceptionEntry[] = [];
  readonly network: NetworkEntry[] = [];
  /** Index of the script step running now; undefined during the initial load. */
  step: number | undefined;
  lastActivity = performance.now();
  loadFired = false;
  mainFrameLoading = false;
  crashed = false;
  private readonly pending = new Map<string, Pending>();
  private readonly exceptionIds = new Map<number, ExceptionEntry>();

  private origin = '';
  /** Origins the main frame has shown, whose storage is cleared when the page closes. */
  readonly visitedOrigins = new Set<string>();

  constructor(private readonly mainFrameId: string) {}

  inflight(): number {
    let n = 0;
    for (const p of this.pending.values()) if (p.counts) n += 1;
    return n;
  }

  /** Called before a navigation: the load flag and the origin are about the new document. */
  expectNavigation(url: string): void {
    this.loadFired = false;
    try {
      this.origin = new URL(url).origin;
      this.visitedOrigins.add(this.origin);
    } catch {
      // Relative or opaque URLs keep the current origin.
    }
  }

  /**
   * Requests still open when the check ends. Those with a response are judged by their status
   * (a fetch whose body was never read stays open); those without one are left out.
   */
  flushPending(): void {
    for (const [id, p] of this.pending) {
      if (p.status === undefined) continue;
      this.pending.delete(id);
      const ok = p.status < 400;
      this.network.push(this.entry(p, ok, ok ? undefined : 'http_status', undefined));
    }
  }

  readonly handle = (method: string, params: Record<string, unknown>): void => {
    this.lastActivity = performance.now();
    switch (method) {
      case 'Runtime.consoleAPICalled':
        return this.onConsole(params as unknown as Protocol.Runtime.ConsoleAPICalledEvent);
      case 'Runtime.exceptionThrown':
        return this.onException(params as unknown as Protocol.Runtime.ExceptionThrownEvent);
      case 'Runtime.exceptionRevoked':
        return this.onRevoked(params as unknown as Protocol.Runtime.ExceptionRevokedEvent);
      case 'Log.entryAdded':
        return this.onLog(params as unknown as Protocol.Log.EntryAddedEvent);
      case 'Network.requestWillBeSent':
        return this.onRequest(params as unknown as Protocol.Network.RequestWillBeSentEvent);
      case 'Network.responseReceived':
        return this.onResponse(params as unknown as Protocol.Network.ResponseReceivedEvent);
      case 'Network.loadingFinished':
        return this.onFinished(params as unknown as Protocol.Network.LoadingFinishedEvent);
      case 'Network.loadingFailed':
        return this.onFailed(params as unknown as Protocol.Network.LoadingFailedEvent);
      case 'Page.loadEventFired':
        this.loadFired = true;
        return;
      case 'Page.frameStartedLoading':
        if ((params as { frameId?: string }).frameId === this.mainFrameId) this.mainFrameLoading = true;
        return;
      case 'Page.frameStoppedLoading':
        if ((params as { frameId?: string }).frameId === this.mainFrameId) this.mainFrameLoading = false;
        return;
      case 'Page.frameNavigated': {
        const frame = (params as unknown as Protocol.Page.FrameNavigatedEvent).frame;
        if (frame.parentId === undefined && /^https?:/.test(frame.url)) {
          this.origin = new URL(frame.url).origin;
          this.visitedOrigins.add(this.origin);
        }
        return;
      }
      case 'Inspector.targetCrashed':
        this.crashed = true;
        return;
      default:
        return;
    }
  };

  private tag<T extends object>(entry: T): T & { step?: number } {
    return this.step === undefined ? entry : { ...entry, step: this.step };
  }

  private onConsole(e: Protocol.Runtime.ConsoleAPICalledEvent): void {
    const level: ConsoleLevel =
      e.type === 'error' || e.type === 'assert'
        ? 'error'
        : e.type === 'warning'
          ? 'warning'
          : e.type === 'info'
            ? 'info'
            : e.type === 'debug'
              ? 'debug'
              : 'log';
    const text = e.args.map(formatArg).join(' ');
    const location = frameLocation(e.stackTrace?.callFrames[0]);
    this.console.push(this.tag({ level, text: e.type === 'assert' ? `Assertion failed: ${text}` : text, source: 'console-api', ...(location ? { location } : {}) }));
  }

  private onException(e: Protocol.Runtime.ExceptionThrownEvent): void {
    const d = e.exceptionDetails;
    const kind = d.text.includes('(in promise)') ? 'unhandled_rejection' : 'uncaught';
    const ex = d.exception;
    const described = ex?.description?.split('\n')[0] ?? (ex?.value === undefined ? undefined : formatArg(ex));
    const message = described ?? d.text;
    const stack: StackFrame[] = (d.stackTrace?.callFrames ?? []).map((f) => ({
      functionName: f.functionName || '(anonymous)',
      url: f.url,
      line: f.lineNumber + 1,
      column: f.columnNumber + 1,
    }));
    const top = stack[0];
    const location: SourceLocation | undefined = top
      ? { url: top.url, line: top.line, column: top.column }
      : d.url !== undefined
        ? { url: d.url, line: d.lineNumber + 1, column: d.columnNumber + 1 }
        : undefined;
    const entry = this.tag({ kind, message, stack, ...(location ? { location } : {}) } as ExceptionEntry);
    this.exceptions.push(entry);
    this.exceptionIds.set(d.exceptionId, entry);
  }

  /** A rejection handled late (`.catch` attached after a tick) is no longer a failure. */
  private onRevoked(e: Protocol.Runtime.ExceptionRevokedEvent): void {
    const entry = this.exceptionIds.get(e.exceptionId);
    if (!entry) return;
    const i = this.exceptions.indexOf(entry);
    if (i >= 0) this.exceptions.splice(i, 1);
  }

  private onLog(e: Protocol.Log.EntryAddedEvent): void {
    const { entry } = e;
    const level: ConsoleLevel = entry.level === 'verbose' ? 'debug' : entry.level === 'warning' ? 'warning' : entry.level === 'error' ? 'error' : 'info';
    const frame = entry.stackTrace?.callFrames[0];
    const location =
      frameLocation(frame) ?? (entry.url !== undefined ? { url: entry.url, line: (entry.lineNumber ?? 0) + 1, column: 1 } : undefined);
    this.console.push(this.tag({ level, text: entry.text, source: entry.source, ...(location ? { location } : {}) }));
  }

  private onRequest(e: Protocol.Network.RequestWillBeSentEvent): void {
    const url = e.request.url;
    if (url.startsWith('data:') || url.startsWith('blob:')) return;
    const known = this.pending.get(e.requestId);
    if (known) {
      // A redirect: the same request id continues to the new URL.
      known.url = url;
      return;
    }
    const resourceType = e.type ?? 'Other';
    this.pending.set(e.requestId, {
      url,
      method: e.request.method,
      resourceType,
      counts: !LONG_LIVED.has(resourceType),
      ...(this.step === undefined ? {} : { step: this.step }),
    });
  }

  private onResponse(e: Protocol.Network.ResponseReceivedEvent): void {
    const p = this.pending.get(e.requestId);
    if (!p) return;
    p.status = e.response.status;
    p.resourceType = e.type;
    // A body nobody reads never finishes loading; the headers are what the check needs.
    p.counts = false;
  }

  private onFinished(e: Protocol.Network.LoadingFinishedEvent): void {
    const p = this.pending.get(e.requestId);
    if (!p) return;
    this.pending.delete(e.requestId);
    const ok = p.status === undefined || p.status < 400;
    this.network.push(this.entry(p, ok, ok ? undefined : 'http_status', undefined));
  }

  private onFailed(e: Protocol.Network.LoadingFailedEvent): void {
    const p = this.pending.get(e.requestId);
    if (!p) return;
    this.pending.delete(e.requestId);
    p.resourceType = e.type;
    let failure: NetworkFailure = 'network';
    let errorText = e.errorText;
    if (e.corsErrorStatus) {
      failure = 'cors';
      errorText = `CORS ${e.corsErrorStatus.corsError}${e.corsErrorStatus.failedParameter ? ` (${e.corsErrorStatus.failedParameter})` : ''}`;
    } else if (e.blockedReason === 'mixed-content') {
      failure = 'mixed_content';
    } else if (e.blockedReason !== undefined) {
      failure = 'blocked';
      errorText = `${e.errorText} (${e.blockedReason})`;
    } else if (p.status !== undefined && p.status >= 400) {
      // Chromium aborts the body of a failed script or stylesheet: the status is the cause.
      failure = 'http_status';
      errorText = `HTTP ${p.status}`;
    } else if (e.canceled === true) {
      failure = 'canceled';
    }
    this.network.push(this.entry(p, false, failure, errorText));
  }

  private entry(p: Pending, ok: boolean, failure: NetworkFailure | undefined, errorText: string | undefined): NetworkEntry {
    let sameOrigin = false;
    try {
      sameOrigin = new URL(p.url).origin === this.origin;
    } catch {
      sameOrigin = false;
    }
    return {
      url: p.url,
      method: p.method,
      resourceType: p.resourceType,
      ...(p.status === undefined ? {} : { status: p.status }),
      ok,
      ...(failure === undefined ? {} : { failure }),
      ...(errorText === undefined ? {} : { errorText }),
      sameOrigin,
      ...(p.step === undefined ? {} : { step: p.step }),
    };
  }
}

function frameLocation(f: Protocol.Runtime.CallFrame | undefined): SourceLocation | undefined {
  return f ? { url: f.url, line: f.lineNumber + 1, column: f.columnNumber + 1 } : undefined;
}

function formatArg(o: Protocol.Runtime.RemoteObject): string {
  if (o.type === 'string') return String(o.value);
  if (o.type === 'undefined') return 'undefined';
  if ('unserializableValue' in o && o.unserializableValue !== undefined) return o.unserializableValue;
  if (o.type === 'object' && o.subtype !== 'error' && o.preview) {
    const p = o.preview;
    const body = p.properties.map((prop) => (p.subtype === 'array' ? prop.value ?? '' : `${prop.name}: ${prop.value ?? ''}`)).join(', ');
    const more = p.overflow ? ', ...' : '';
    return p.subtype === 'array' ? `[${body}${more}]` : `{${body}${more}}`;
  }
  if (o.subtype === 'error' && o.description !== undefined) return o.description.split('\n')[0] ?? o.description;
  if (o.value !== undefined) return typeof o.value === 'string' ? o.value : JSON.stringify(o.value);
  return o.description ?? o.type;
}
