import { err, ok, okAsync, type Result } from 'neverthrow';
import { settle } from '@yantra/shared';
import { ACTIONS, parseRequest, type Action, type Intent } from './intent.js';
import type { LlmPort, LlmReply, SymbolIndexPort, SymbolLookup } from './ports.js';
import { loadTemplate, render } from './prompt.js';

/** How the run's intent was settled; emitted as the `intent` event and kept in the run report. */
export interface IntentResolution {
  readonly intent: Intent;
  /** `parsed`: the deterministic parse; `llm`: the model's answer, validated, replaced it. */
  readonly source: 'parsed' | 'llm';
  /** Why the parse was ambiguous; empty when it was not (and then the LLM is never asked). */
  readonly ambiguity: readonly string[];
  /** The fallback's outcome when the LLM was asked. */
  readonly fallback?: { readonly accepted: boolean; readonly reason?: string; readonly ms: number };
  /** Time spent on the project graph (lookups of mentions). */
  readonly graph?: { readonly graphOpenMs?: number; readonly queryMs: number };
}

/** A pronoun-only or empty target names nothing ("fix it", "make this faster"). */
const VAGUE_TARGET = /^(?:(?:it|this|that|these|those|them|something|stuff|things?|everything|the (?:bug|code|issue|problem|thing))\b\s*)*(?:work|faster|better|again)?\s*$/i;

/** Reasons the parse cannot be trusted alone; empty when it is unambiguous. */
export function findAmbiguity(actionRecognised: boolean, intent: Intent, lookup: SymbolLookup | undefined): string[] {
  const reasons: string[] = [];
  if (!actionRecognised) reasons.push('no action verb recognised');
  if (lookup) {
    for (const [name, matches] of Object.entries(lookup.symbols)) {
      if (matches.length > 1) reasons.push(`\`${name}\` matches ${matches.length} symbols: ${matches.slice(0, 6).map((m) => m.id).join(', ')}`);
    }
    for (const [name, files] of Object.entries(lookup.files)) {
      if (files.length > 1) reasons.push(`\`${name}\` matches ${files.length} files: ${files.slice(0, 6).join(', ')}`);
    }
  }
  const named =
    intent.mentionedFiles.length > 0 ||
    Object.values(lookup?.symbols ?? {}).some((m) => m.length > 0) ||
    (lookup === undefined && intent.mentionedSymbols.length > 0);
  if (!named && VAGUE_TARGET.test(intent.target.trim())) reasons.push('no target found');
  return reasons;
}

/** The JSON intent the model must answer with. */
interface LlmIntent {
  readonly action: Action;
  readonly target: string;
  readonly constraints: readonly string[];
  readonly symbols: readonly string[];
  readonly files: readonly string[];
}

const KEYS = ['action', 'target', 'constraints', 'symbols', 'files'] as const;
const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string' && x.length <= 300) && v.length <= 50;

/**
 * Validates the model's answer strictly: one JSON object (optionally in a single ```json fence)
 * with exactly the five keys, a known action, a non-empty target and string arrays.
 */
export function parseLlmIntent(text: string): Result<LlmIntent, string> {
  const trimmed = text.trim();
  const fenced = /^```(?:json)?\s*\n([\s\S]*?)\n```$/.exec(trimmed);
  let value: unknown;
  try {
    value = JSON.parse(fenced ? (fenced[1] as string) : trimmed);
  } catch {
    return err(`the reply is not JSON: ${JSON.stringify(trimmed.slice(0, 80))}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return err('the reply is not a JSON object');
  const o = value as Record<string, unknown>;
  const extra = Object.keys(o).filter((k) => !(KEYS as readonly string[]).includes(k));
  if (extra.length > 0) return err(`unknown keys: ${extra.join(', ')}`);
  if (typeof o['action'] !== 'string' || !(ACTIONS as readonly string[]).includes(o['action'])) return err(`unknown action ${JSON.stringify(o['action'])}`);
  if (typeof o['target'] !== 'string' || o['target'].trim() === '' || o['target'].length > 300) return err('target must be a non-empty string');
  for (const k of ['constraints', 'symbols', 'files'] as const) if (!isStrings(o[k])) return err(`${k} must be an array of strings`);
  return ok({
    action: o['action'] as Action,
    target: o['target'].trim(),
    constraints: o['constraints'] as string[],
    symbols: o['symbols'] as string[],
    files: o['files'] as string[],
  });
}

function candidatesText(lookup: SymbolLookup | undefined): string {
  if (!lookup) return '(no code graph)';
  const lines = [
    ...Object.entries(lookup.symbols).flatMap(([name, ms]) => (ms.length > 0 ? [`- \`${name}\`: ${ms.slice(0, 10).map((m) => `${m.id} (${m.kind}, ${m.file})`).join('; ')}`] : [])),
    ...Object.entries(lookup.files).flatMap(([name, fs]) => (fs.length > 0 ? [`- \`${name}\`: ${fs.slice(0, 10).join('; ')}`] : [])),
  ];
  return lines.length > 0 ? lines.join('\n') : '(none of the request\'s words name a symbol or file of the project)';
}

/**
 * A name that matches several definitions is not ambiguous when the request also names the file:
 * "fix `total` in billing/invoices.py" means the one in that file.
 */
function narrow(lookup: SymbolLookup | undefined, mentionedFiles: readonly string[]): SymbolLookup | undefined {
  if (!lookup) return undefined;
  const files = new Set([...mentionedFiles, ...Object.values(lookup.files).flatMap((fs) => (fs.length === 1 ? [fs[0] as string] : []))]);
  if (files.size === 0) return lookup;
  const symbols = Object.fromEntries(
    Object.entries(lookup.symbols).map(([name, ms]) => {
      if (ms.length < 2) return [name, ms];
      const inFiles = ms.filter((m) => files.has(m.file));
      return [name, inFiles.length === 1 ? inFiles : ms];
    }),
  );
  return { ...lookup, symbols };
}

export interface ResolveIntentInput {
  readonly request: string;
  readonly projectRoot: string;
  readonly index?: SymbolIndexPort;
  readonly llm?: LlmPort;
  readonly signal?: AbortSignal;
  readonly clock?: () => number;
  /** Where `prompts/intent.md` lives. Default: the shipped templates. */
  readonly promptsDir?: string;
}

/**
 * Intent: the deterministic parse, with mentions matched against the project graph. Only when
 * the parse is ambiguous (no action verb, a mention naming several definitions or files, or no
 * target) is the LLM asked for a JSON intent; an invalid answer keeps the parse, with the reason.
 * Permissions (test edits, deletions) always come from the user's own words, never the model's.
 */
export async function resolveIntent(input: ResolveIntentInput): Promise<{ resolution: IntentResolution; reply?: LlmReply }> {
  const now = input.clock ?? (() => performance.now());
  const parsed = parseRequest(input.request);
  const found = await settle(
    input.index && (parsed.intent.mentionedSymbols.length > 0 || parsed.intent.mentionedFiles.length > 0)
      ? input.index.lookup({ projectRoot: input.projectRoot, symbols: parsed.intent.mentionedSymbols, files: parsed.intent.mentionedFiles })
      : okAsync(undefined),
  );
  const lookup = narrow(found.ok ? found.value : undefined, parsed.intent.mentionedFiles);
  const resolvedSymbols = [...new Set(Object.values(lookup?.symbols ?? {}).flatMap((ms) => (ms.length === 1 ? [(ms[0] as { id: string }).id] : [])))];
  const resolvedFiles = [...new Set(Object.values(lookup?.files ?? {}).flatMap((fs) => (fs.length === 1 ? [fs[0] as string] : [])))];
  const base: Intent = { ...parsed.intent, resolvedSymbols, resolvedFiles };
  const graph = lookup ? { ...(lookup.graphOpenMs === undefined ? {} : { graphOpenMs: lookup.graphOpenMs }), queryMs: lookup.queryMs } : undefined;
  const ambiguity = findAmbiguity(parsed.actionRecognised, parsed.intent, lookup);
  const parsedOnly: IntentResolution = { intent: base, source: 'parsed', ambiguity, ...(graph ? { graph } : {}) };
  if (ambiguity.length === 0 || !input.llm) return { resolution: parsedOnly };

  const t0 = now();
  const keep = (reason: string) => ({ ...parsedOnly, fallback: { accepted: false, reason, ms: Math.round(now() - t0) } });
  const prompt = loadTemplate('intent-system', input.promptsDir)
    .andThen((system) => render(system, {}))
    .andThen((system) =>
      loadTemplate('intent', input.promptsDir)
        .andThen((t) =>
          render(t, { request: input.request.trim(), ambiguity: ambiguity.join('; '), candidates: candidatesText(lookup), actions: ACTIONS.map((a) => `"${a}"`).join(', ') }),
        )
        .map((text) => ({ system, text })),
    )
    .match(
      (value) => ({ ok: true as const, ...value }),
      (e) => ({ ok: false as const, reason: `intent prompt: ${e.message}` }),
    );
  if (!prompt.ok) return { resolution: keep(prompt.reason) };
  const reply = await settle(
    input.llm.complete({ system: prompt.system, messages: [{ role: 'user', content: prompt.text }], maxTokens: 300 }, {
      ...(input.signal ? { signal: input.signal } : {}),
    }),
  );
  if (!reply.ok) return { resolution: keep(`the LLM call failed (${reply.error.kind}): ${reply.error.message}`) };
  const answer = parseLlmIntent(reply.value.text).match(
    (value) => ({ ok: true as const, value }),
    (reason) => ({ ok: false as const, reason }),
  );
  if (!answer.ok) return { resolution: keep(answer.reason), reply: reply.value };
  const a = answer.value;
  // The model's names count as resolved only where the graph confirms them (one definition or file each).
  const confirmed = await settle(
    input.index && (a.symbols.length > 0 || a.files.length > 0) ? input.index.lookup({ projectRoot: input.projectRoot, symbols: a.symbols, files: a.files }) : okAsync(undefined),
  );
  const check = confirmed.ok ? confirmed.value : undefined;
  const unique = <T>(m: Readonly<Record<string, readonly T[]>> | undefined, pick: (t: T) => string) =>
    Object.values(m ?? {}).flatMap((xs) => (xs.length === 1 ? [pick(xs[0] as T)] : []));
  const graphMs = {
    ...(graph?.graphOpenMs !== undefined || check?.graphOpenMs !== undefined ? { graphOpenMs: (graph?.graphOpenMs ?? 0) + (check?.graphOpenMs ?? 0) } : {}),
    queryMs: (graph?.queryMs ?? 0) + (check?.queryMs ?? 0),
  };
  const intent: Intent = {
    ...base,
    action: a.action,
    target: a.target,
    constraints: [...new Set([...parsed.intent.constraints, ...a.constraints])],
    mentionedSymbols: [...new Set([...parsed.intent.mentionedSymbols, ...a.symbols])],
    mentionedFiles: [...new Set([...parsed.intent.mentionedFiles, ...a.files])],
    resolvedSymbols: [...new Set([...resolvedSymbols, ...unique(check?.symbols, (m) => m.id)])],
    resolvedFiles: [...new Set([...resolvedFiles, ...unique(check?.files, (f) => f)])],
  };
  return {
    resolution: { intent, source: 'llm', ambiguity, ...(graph || check ? { graph: graphMs } : {}), fallback: { accepted: true, ms: Math.round(now() - t0) } },
    reply: reply.value,
  };
}
