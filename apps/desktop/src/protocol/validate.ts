import {
  KEYED_PROVIDERS,
  PROVIDERS,
  backendError,
  type KeyedProvider,
  type MessageType,
  type Provider,
  type Reply,
  type RequestFrame,
} from './messages.js';

type Obj = Record<string, unknown>;
type Check = (p: Obj) => string | null;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (max: number, optional = false) => (v: unknown) =>
  (optional && v === undefined) || (typeof v === 'string' && v.length > 0 && v.length <= max);
const oneOf = <T extends string>(values: readonly T[], optional = false) => (v: unknown) =>
  (optional && v === undefined) || (typeof v === 'string' && (values as readonly string[]).includes(v));

function fields(spec: Record<string, (v: unknown) => boolean>): Check {
  return (p) => {
    for (const [name, ok] of Object.entries(spec)) {
      if (!ok(p[name])) return `invalid or missing field "${name}"`;
    }
    return null;
  };
}

// A request text of 100 kB is far beyond any sensible prompt; the cap keeps a buggy client from
// pushing megabytes through the run log.
const checks: Record<MessageType, Check> = {
  'run.start': fields({ request: str(100_000), provider: oneOf<Provider>(PROVIDERS, true) }),
  'run.cancel': fields({ runId: str(200) }),
  'run.retry': fields({ runId: str(200) }),
  'run.list': fields({}),
  'events.replay': fields({ afterSeq: (v) => Number.isSafeInteger(v) && (v as number) >= 0 }),
  'settings.get': fields({}),
  'settings.saveKey': fields({ provider: oneOf<KeyedProvider>(KEYED_PROVIDERS), key: str(1_000) }),
  'settings.clearKey': fields({ provider: oneOf<KeyedProvider>(KEYED_PROVIDERS) }),
  'settings.setPrimary': fields({ provider: oneOf<Provider>(PROVIDERS) }),
  'usage.get': fields({}),
  'mistakes.list': fields({
    category: str(200, true),
    search: (v) => v === undefined || (typeof v === 'string' && v.length <= 2_000),
    includeArchived: (v) => v === undefined || typeof v === 'boolean',
  }),
  'mistakes.archive': fields({ id: str(200) }),
  'mistakes.clear': fields({}),
  'mistakes.export': fields({}),
  'project.get': fields({}),
  'project.open': fields({ dir: str(4_096) }),
  'project.init': fields({}),
};

/** The wire names of every request, in a stable order (the Electron preload exposes one function each). */
export const MESSAGE_TYPES = Object.keys(checks) as MessageType[];

export function isMessageType(v: unknown): v is MessageType {
  return typeof v === 'string' && Object.hasOwn(checks, v);
}

/** Checks a frame from the untrusted side of a transport; a bad frame becomes a `bad_request` error. */
export function parseRequestFrame(raw: unknown): Reply<RequestFrame> {
  if (!isObj(raw)) return { ok: false, error: backendError('bad_request', 'a request must be a JSON object') };
  const { id, type, params } = raw;
  if (!Number.isSafeInteger(id)) return { ok: false, error: backendError('bad_request', 'a request needs an integer "id"') };
  if (!isMessageType(type)) return { ok: false, error: backendError('bad_request', `unknown request type: ${String(type).slice(0, 80)}`) };
  const p = params === undefined ? {} : params;
  if (!isObj(p)) return { ok: false, error: backendError('bad_request', `${type}: "params" must be an object`) };
  const problem = checks[type](p);
  if (problem !== null) return { ok: false, error: backendError('bad_request', `${type}: ${problem}`) };
  return { ok: true, value: { id: id as number, type, params: p } as RequestFrame };
}
