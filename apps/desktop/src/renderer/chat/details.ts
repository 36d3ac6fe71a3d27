/**
 * Turns a gate's `details` (free-form per gate in codegen's protocol) into items the stage list
 * shows: breakages with their sites, failing tests with tracebacks, security findings, syntax
 * errors and console errors. Shapes it does not know are shown as JSON rather than hidden.
 */

export interface DetailItem {
  readonly kind: string;
  readonly title: string;
  readonly body?: string;
  readonly sites: readonly string[];
  readonly tone: 'error' | 'info';
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
const first = (o: Obj, ...names: string[]): string | undefined => {
  for (const n of names) {
    const t = text(o[n]);
    if (t !== undefined && t !== '') return t;
  }
  return undefined;
};
const where = (o: Obj): string | undefined => {
  const file = first(o, 'file', 'path');
  if (!file) return undefined;
  const line = first(o, 'line');
  return line ? `${file}:${line}` : file;
};
const list = (o: Obj, ...names: string[]): Obj[] => {
  for (const n of names) if (Array.isArray(o[n])) return (o[n] as unknown[]).filter(isObj);
  return [];
};

export function describeDetails(stage: string, details: unknown): DetailItem[] {
  if (details === undefined || details === null) return [];
  if (!isObj(details)) return [{ kind: 'raw', title: String(details), sites: [], tone: 'info' }];
  const items: DetailItem[] = [];

  for (const b of list(details, 'breakages')) {
    const sites = list(b, 'sites', 'callers').map((s) => {
      const at = where(s) ?? '?';
      const t = first(s, 'text', 'code', 'symbol');
      return t ? `${at}  ${t}` : at;
    });
    const title = [first(b, 'symbol', 'name'), first(b, 'message', 'kind')].filter(Boolean).join(': ');
    items.push({ kind: 'breakage', title: title || 'breakage', sites, tone: 'error' });
  }
  for (const t of list(details, 'failures', 'failing', 'failed')) {
    const body = first(t, 'traceback', 'longrepr', 'output');
    const title = [first(t, 'test', 'nodeid', 'name'), first(t, 'message')].filter(Boolean).join(': ');
    items.push({ kind: 'test', title: title || 'failing test', ...(body ? { body } : {}), sites: [], tone: 'error' });
  }
  for (const f of list(details, 'findings')) {
    const sev = first(f, 'severity') ?? 'finding';
    const title = `[${sev}] ${first(f, 'ruleId', 'rule', 'id') ?? ''} ${first(f, 'message') ?? ''}`.replace(/\s+/g, ' ').trim();
    const at = where(f);
    items.push({ kind: 'finding', title, sites: at ? [at] : [], tone: /high|error|critical/i.test(sev) ? 'error' : 'info' });
  }
  for (const e of list(details, 'errors', 'diagnostics')) {
    const at = where(e);
    items.push({ kind: stage === 'browser' ? 'console' : 'syntax', title: first(e, 'message', 'text') ?? 'error', sites: at ? [at] : [], tone: 'error' });
  }
  for (const c of list(details, 'console')) {
    const level = first(c, 'level', 'type') ?? 'log';
    if (level === 'error' || level === 'warning') {
      items.push({ kind: 'console', title: `${level}: ${first(c, 'text', 'message') ?? ''}`, sites: [], tone: level === 'error' ? 'error' : 'info' });
    }
  }
  const known = ['breakages', 'failures', 'failing', 'failed', 'findings', 'errors', 'diagnostics', 'console', 'screenshot', 'screenshotBase64', 'url', 'passed', 'total'];
  const rest = Object.fromEntries(Object.entries(details).filter(([k]) => !known.includes(k)));
  if (items.length === 0 && Object.keys(rest).length > 0) {
    items.push({ kind: 'raw', title: 'details', body: JSON.stringify(rest, null, 2), sites: [], tone: 'info' });
  }
  return items;
}
