import { promises as fs } from 'node:fs';
import path from 'node:path';
import { errAsync, okAsync, ResultAsync } from 'neverthrow';
import { describeUnknown, errnoCode, writeFileAtomic, type UserDirs } from '@yantra/shared';
import { PROVIDER_IDS, type LlmConfigError, type ProviderId } from './errors.js';
import { Secret } from './secret.js';

/** One remote endpoint's settings, resolved. */
export interface EndpointConfig {
  readonly apiKey: Secret | null;
  readonly baseUrl: string | null;
  readonly model: string;
}

export interface LocalModelConfig {
  readonly modelPath: string;
  readonly contextSize: number;
  readonly threads: number;
}

/** The resolved configuration (file, then env overrides, then defaults). Keys are {@link Secret}s. */
export interface LlmConfig {
  readonly primary: ProviderId;
  readonly secondary: ProviderId | null;
  /** The local model as the last fallback (`YANTRA_LLM_LOCAL`). */
  readonly localFallback: boolean;
  readonly anthropic: EndpointConfig;
  readonly openai: EndpointConfig;
  /** `model` is '' until configured. */
  readonly compatible: EndpointConfig;
  readonly local: LocalModelConfig;
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly breaker: { readonly threshold: number; readonly cooldownMs: number };
  /** Where the file is (it may not exist). */
  readonly configPath: string;
}

/** What the UI may see: no keys, no credentials in URLs. */
export interface SanitizedConfig {
  readonly primary: ProviderId;
  readonly secondary: ProviderId | null;
  readonly localFallback: boolean;
  readonly chain: readonly ProviderId[];
  readonly anthropicConfigured: boolean;
  readonly openaiConfigured: boolean;
  readonly compatibleConfigured: boolean;
  readonly localConfigured: boolean;
  readonly models: Readonly<Record<ProviderId, string>>;
  readonly baseUrls: Readonly<Record<'anthropic' | 'openai' | 'compatible', string | null>>;
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly breaker: { readonly threshold: number; readonly cooldownMs: number };
  readonly configPath: string;
}

export const DEFAULT_MODELS = { anthropic: 'claude-sonnet-4-6', openai: 'gpt-4o-mini' } as const;
export const DEFAULT_LOCAL_MODEL_FILE = 'gemma-3-270m-q4_k_m.gguf';

/** Keys `config set` accepts, with their types. */
export const CONFIG_KEYS = {
  primary: 'provider',
  secondary: 'provider?',
  local: 'onoff',
  'anthropic.apiKey': 'string',
  'anthropic.baseUrl': 'url',
  'anthropic.model': 'string',
  'openai.apiKey': 'string',
  'openai.baseUrl': 'url',
  'openai.model': 'string',
  'compatible.apiKey': 'string',
  'compatible.baseUrl': 'url',
  'compatible.model': 'string',
  'localModel.path': 'string',
  'localModel.contextSize': 'int',
  'localModel.threads': 'int',
  timeoutMs: 'int',
  maxRetries: 'int',
  'breaker.threshold': 'int',
  'breaker.cooldownMs': 'int',
} as const;
export type ConfigKey = keyof typeof CONFIG_KEYS;

const SECRET_KEYS = new Set(['anthropic.apiKey', 'openai.apiKey', 'compatible.apiKey']);
export function isSecretKey(key: string): boolean {
  return SECRET_KEYS.has(key);
}

type Raw = Record<string, unknown>;

function get(raw: Raw, key: string): unknown {
  let cur: unknown = raw;
  for (const part of key.split('.')) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Raw)[part];
  }
  return cur;
}

function set(raw: Raw, key: string, value: unknown): Raw {
  const parts = key.split('.');
  const out: Raw = { ...raw };
  let cur = out;
  for (const part of parts.slice(0, -1)) {
    const next = typeof cur[part] === 'object' && cur[part] !== null ? { ...(cur[part] as Raw) } : {};
    cur[part] = next;
    cur = next;
  }
  const last = parts.at(-1) as string;
  if (value === undefined) delete cur[last];
  else cur[last] = value;
  return out;
}

/** Checks one value against its declared type; returns an issue or undefined. */
function checkValue(key: string, type: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  switch (type) {
    case 'provider':
    case 'provider?':
      if (type === 'provider?' && value === null) return undefined;
      return typeof value === 'string' && (PROVIDER_IDS as readonly string[]).includes(value)
        ? undefined
        : `${key}: expected one of ${PROVIDER_IDS.join('|')}${type === 'provider?' ? ' or null' : ''}, got ${JSON.stringify(value)}`;
    case 'onoff':
      return value === 'on' || value === 'off' || typeof value === 'boolean' ? undefined : `${key}: expected "on" or "off"`;
    case 'string':
      return typeof value === 'string' && value.length > 0 ? undefined : `${key}: expected a non-empty string`;
    case 'url':
      if (typeof value !== 'string') return `${key}: expected a URL string`;
      try {
        const u = new URL(value);
        return u.protocol === 'http:' || u.protocol === 'https:' ? undefined : `${key}: expected an http(s) URL`;
      } catch {
        return `${key}: not a valid URL`;
      }
    case 'int':
      return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? undefined : `${key}: expected a non-negative integer`;
    default:
      return `${key}: unknown type`;
  }
}

const SECTIONS = new Set(['anthropic', 'openai', 'compatible', 'localModel', 'breaker']);

/** Validates the file's object: known keys only, right types. Never echoes a key's value. */
export function validateRawConfig(raw: unknown): string[] {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return ['the file must hold a JSON object'];
  const issues: string[] = [];
  const known = new Set<string>(Object.keys(CONFIG_KEYS));
  for (const [k, v] of Object.entries(raw as Raw)) {
    if (SECTIONS.has(k)) {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) {
        issues.push(`${k}: expected an object`);
        continue;
      }
      for (const sub of Object.keys(v as Raw)) if (!known.has(`${k}.${sub}`)) issues.push(`${k}.${sub}: unknown setting`);
    } else if (!known.has(k)) {
      issues.push(`${k}: unknown setting`);
    }
  }
  for (const [key, type] of Object.entries(CONFIG_KEYS)) {
    const issue = checkValue(key, type, get(raw as Raw, key));
    if (issue) issues.push(isSecretKey(key) ? `${key}: expected a non-empty string` : issue);
  }
  return issues;
}

function readRaw(file: string): ResultAsync<Raw, LlmConfigError> {
  // Failures are thrown as typed values inside and surface once, at the ResultAsync boundary.
  const work = async (): Promise<Raw> => {
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (e) {
      if (errnoCode(e) === 'ENOENT') return {};
      throw { kind: 'config_unreadable', message: `cannot read ${file}: ${describeUnknown(e)}`, path: file } satisfies LlmConfigError;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (e) {
      throw { kind: 'config_invalid', message: `${file} is not valid JSON: ${describeUnknown(e)}`, path: file, issues: ['not JSON'] } satisfies LlmConfigError;
    }
    const issues = validateRawConfig(raw);
    if (issues.length > 0) {
      throw { kind: 'config_invalid', message: `${file} is invalid: ${issues.join('; ')}`, path: file, issues } satisfies LlmConfigError;
    }
    return raw as Raw;
  };
  return ResultAsync.fromPromise(work(), (e) => e as LlmConfigError);
}

/** The config file's location. */
export function llmConfigPath(userDirs: UserDirs): string {
  return path.join(userDirs.config, 'llm_config.json');
}

function envInt(env: NodeJS.ProcessEnv, name: string, issues: string[]): number | undefined {
  const v = env[name];
  if (v === undefined || v === '') return undefined;
  if (!/^\d+$/.test(v.trim())) {
    issues.push(`${name}: expected a non-negative integer, got ${JSON.stringify(v)}`);
    return undefined;
  }
  return Number(v.trim());
}

function envProvider(env: NodeJS.ProcessEnv, name: string, issues: string[]): ProviderId | undefined {
  const v = env[name];
  if (v === undefined || v === '') return undefined;
  if ((PROVIDER_IDS as readonly string[]).includes(v)) return v as ProviderId;
  issues.push(`${name}: expected one of ${PROVIDER_IDS.join('|')}, got ${JSON.stringify(v)}`);
  return undefined;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

/** Resolves file values, env overrides and defaults into an {@link LlmConfig}. Pure: no I/O. */
export function resolveLlmConfig(raw: Raw, env: NodeJS.ProcessEnv, userDirs: UserDirs): { config?: LlmConfig; issues: string[] } {
  const issues: string[] = [];
  const key = (envName: string, fileKey: string) => {
    const v = str(env[envName]) ?? str(get(raw, fileKey));
    return v === undefined ? null : new Secret(v);
  };
  const url = (envName: string | undefined, fileKey: string) => {
    const v = (envName ? str(env[envName]) : undefined) ?? str(get(raw, fileKey));
    if (v !== undefined && envName && env[envName] === v) {
      const issue = checkValue(envName, 'url', v);
      if (issue) issues.push(issue);
    }
    return v ?? null;
  };
  const anthropic: EndpointConfig = {
    apiKey: key('ANTHROPIC_API_KEY', 'anthropic.apiKey'),
    baseUrl: url('ANTHROPIC_BASE_URL', 'anthropic.baseUrl'),
    model: str(get(raw, 'anthropic.model')) ?? DEFAULT_MODELS.anthropic,
  };
  const openai: EndpointConfig = {
    apiKey: key('OPENAI_API_KEY', 'openai.apiKey'),
    baseUrl: url('OPENAI_BASE_URL', 'openai.baseUrl'),
    model: str(get(raw, 'openai.model')) ?? DEFAULT_MODELS.openai,
  };
  const compatible: EndpointConfig = {
    apiKey: str(get(raw, 'compatible.apiKey')) === undefined ? null : new Secret(str(get(raw, 'compatible.apiKey')) as string),
    baseUrl: url(undefined, 'compatible.baseUrl'),
    model: str(get(raw, 'compatible.model')) ?? '',
  };
  const localRaw = env['YANTRA_LLM_LOCAL'];
  let localFallback = get(raw, 'local') === undefined ? true : get(raw, 'local') === true || get(raw, 'local') === 'on';
  if (localRaw !== undefined && localRaw !== '') {
    if (localRaw === 'on' || localRaw === 'off') localFallback = localRaw === 'on';
    else issues.push(`YANTRA_LLM_LOCAL: expected "on" or "off", got ${JSON.stringify(localRaw)}`);
  }
  const configured: Record<ProviderId, boolean> = {
    anthropic: anthropic.apiKey !== null,
    openai: openai.apiKey !== null,
    compatible: compatible.baseUrl !== null && compatible.model !== '',
    local: true,
  };
  const defaultPrimary: ProviderId = configured.anthropic ? 'anthropic' : configured.openai ? 'openai' : configured.compatible ? 'compatible' : 'local';
  const primary = envProvider(env, 'YANTRA_LLM_PRIMARY', issues) ?? (str(get(raw, 'primary')) as ProviderId | undefined) ?? defaultPrimary;
  const fileSecondary = get(raw, 'secondary');
  const secondary =
    envProvider(env, 'YANTRA_LLM_SECONDARY', issues) ??
    (typeof fileSecondary === 'string' ? (fileSecondary as ProviderId) : null) ??
    (PROVIDER_IDS.find((p) => p !== primary && p !== 'local' && configured[p]) ?? null);
  const config: LlmConfig = {
    primary,
    secondary,
    localFallback,
    anthropic,
    openai,
    compatible,
    local: {
      modelPath: str(get(raw, 'localModel.path')) ?? path.join(userDirs.cache, 'models', DEFAULT_LOCAL_MODEL_FILE),
      contextSize: num(get(raw, 'localModel.contextSize')) ?? 2048,
      threads: num(get(raw, 'localModel.threads')) ?? 2,
    },
    timeoutMs: envInt(env, 'YANTRA_LLM_TIMEOUT_MS', issues) ?? num(get(raw, 'timeoutMs')) ?? 60_000,
    maxRetries: envInt(env, 'YANTRA_LLM_MAX_RETRIES', issues) ?? num(get(raw, 'maxRetries')) ?? 3,
    breaker: {
      threshold: envInt(env, 'YANTRA_LLM_BREAKER_THRESHOLD', issues) ?? num(get(raw, 'breaker.threshold')) ?? 3,
      cooldownMs: envInt(env, 'YANTRA_LLM_BREAKER_COOLDOWN_MS', issues) ?? num(get(raw, 'breaker.cooldownMs')) ?? 60_000,
    },
    configPath: llmConfigPath(userDirs),
  };
  if (config.breaker.threshold < 1) issues.push('breaker threshold must be at least 1');
  if (config.timeoutMs < 1) issues.push('timeout must be at least 1 ms');
  return issues.length > 0 ? { issues } : { config, issues };
}

/**
 * Loads `$XDG_CONFIG_HOME/yantra/llm_config.json` (absent is fine), validates it, then applies the
 * env overrides (`ANTHROPIC_API_KEY`, `OPENAI_API_KEY`, `ANTHROPIC_BASE_URL`, `OPENAI_BASE_URL`,
 * `YANTRA_LLM_PRIMARY`, `YANTRA_LLM_SECONDARY`, `YANTRA_LLM_LOCAL`, `YANTRA_LLM_TIMEOUT_MS`,
 * `YANTRA_LLM_MAX_RETRIES`, `YANTRA_LLM_BREAKER_THRESHOLD`, `YANTRA_LLM_BREAKER_COOLDOWN_MS`).
 * With no key configured anywhere, the local model is the primary.
 */
export function loadLlmConfig(env: NodeJS.ProcessEnv, userDirs: UserDirs): ResultAsync<LlmConfig, LlmConfigError> {
  const file = llmConfigPath(userDirs);
  return readRaw(file).andThen((raw) => {
    const { config, issues } = resolveLlmConfig(raw, env, userDirs);
    return config
      ? okAsync(config)
      : errAsync<LlmConfig, LlmConfigError>({ kind: 'config_invalid', message: `invalid LLM settings: ${issues.join('; ')}`, path: 'env', issues });
  });
}

/** Providers a request goes through, in order: primary, secondary, then local if enabled; unconfigured ones dropped. */
export function providerChain(config: LlmConfig): ProviderId[] {
  const configured = (p: ProviderId): boolean =>
    p === 'anthropic'
      ? config.anthropic.apiKey !== null
      : p === 'openai'
        ? config.openai.apiKey !== null
        : p === 'compatible'
          ? config.compatible.baseUrl !== null && config.compatible.model !== ''
          : true;
  const wanted: ProviderId[] = [config.primary];
  if (config.secondary) wanted.push(config.secondary);
  if (config.localFallback) wanted.push('local');
  return [...new Set(wanted)].filter(configured);
}

function stripCredentials(u: string | null): string | null {
  if (u === null) return null;
  try {
    const parsed = new URL(u);
    parsed.username = '';
    parsed.password = '';
    parsed.search = '';
    return parsed.toString();
  } catch {
    return null;
  }
}

/** The only view of the config the UI gets: booleans instead of keys. */
export function sanitizeConfig(config: LlmConfig): SanitizedConfig {
  return {
    primary: config.primary,
    secondary: config.secondary,
    localFallback: config.localFallback,
    chain: providerChain(config),
    anthropicConfigured: config.anthropic.apiKey !== null,
    openaiConfigured: config.openai.apiKey !== null,
    compatibleConfigured: config.compatible.baseUrl !== null && config.compatible.model !== '',
    localConfigured: config.localFallback || config.primary === 'local',
    models: {
      anthropic: config.anthropic.model,
      openai: config.openai.model,
      compatible: config.compatible.model,
      local: path.basename(config.local.modelPath).replace(/\.gguf$/, ''),
    },
    baseUrls: {
      anthropic: stripCredentials(config.anthropic.baseUrl),
      openai: stripCredentials(config.openai.baseUrl),
      compatible: stripCredentials(config.compatible.baseUrl),
    },
    timeoutMs: config.timeoutMs,
    maxRetries: config.maxRetries,
    breaker: config.breaker,
    configPath: config.configPath,
  };
}

/** Parses a CLI string into the type `key` expects. */
function parseValue(key: ConfigKey, text: string): unknown {
  const type = CONFIG_KEYS[key];
  if (type === 'int') return /^\d+$/.test(text) ? Number(text) : text;
  if (type === 'provider?' && (text === 'null' || text === 'none')) return null;
  return text;
}

/**
 * Sets one setting in the file (`primary`, `anthropic.apiKey`, `breaker.cooldownMs`...), validates
 * the whole file, then writes it atomically with mode 0600. An empty value removes the setting.
 */
export function setLlmConfigValue(userDirs: UserDirs, key: string, value: string): ResultAsync<void, LlmConfigError> {
  const file = llmConfigPath(userDirs);
  if (!(key in CONFIG_KEYS)) {
    return errAsync({
      kind: 'config_invalid',
      message: `unknown setting ${JSON.stringify(key)}; known: ${Object.keys(CONFIG_KEYS).join(', ')}`,
      path: key,
      issues: [`${key}: unknown setting`],
    });
  }
  return readRaw(file).andThen((raw) => {
    const next = set(raw, key, value === '' ? undefined : parseValue(key as ConfigKey, value));
    const issues = validateRawConfig(next);
    if (issues.length > 0) {
      return errAsync<void, LlmConfigError>({ kind: 'config_invalid', message: `cannot set ${key}: ${issues.join('; ')}`, path: key, issues });
    }
    return writeFileAtomic(file, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 }).mapErr(
      (e): LlmConfigError => ({ kind: 'config_write_failed', message: e.message, path: file }),
    );
  });
}
