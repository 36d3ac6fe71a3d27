import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describeUnknown, errnoCode, writeFileAtomic } from '@yantra/shared';
import { ResultAsync } from 'neverthrow';
import {
  PROVIDERS,
  backendError,
  type BackendError,
  type KeyedProvider,
  type Provider,
  type SanitizedSettings,
} from '../protocol/messages.js';

/**
 * `llm_config.json` belongs to @yantra/llm-orchestrator (its `config.ts`): a key lives at
 * `<provider>.apiKey` and the primary provider at `primary`. The app writes only those fields and
 * keeps every other setting as it found it.
 */
const SECTION: Record<KeyedProvider, string> = { anthropic: 'anthropic', openai: 'openai', compatible: 'compatible' };

export interface SettingsStoreOptions {
  /** `$XDG_CONFIG_HOME/yantra`; the file is `<configDir>/llm_config.json`. */
  readonly configDir: string;
  /** Folder of local models; the local provider counts as configured when it holds a `.gguf`. */
  readonly modelsDir?: string;
}

/** Reads and writes the LLM config; only ever hands out the sanitized view. */
export interface SettingsStore {
  get(): ResultAsync<SanitizedSettings, BackendError>;
  saveKey(provider: KeyedProvider, key: string): ResultAsync<SanitizedSettings, BackendError>;
  clearKey(provider: KeyedProvider): ResultAsync<SanitizedSettings, BackendError>;
  setPrimary(provider: Provider): ResultAsync<SanitizedSettings, BackendError>;
}

type RawConfig = Record<string, unknown>;

function section(raw: RawConfig, provider: KeyedProvider): RawConfig {
  const v = raw[SECTION[provider]];
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as RawConfig) : {};
}

export function createSettingsStore(options: SettingsStoreOptions): SettingsStore {
  const file = path.join(options.configDir, 'llm_config.json');
  // Writes go one after another so that two quick saves cannot lose each other's field.
  let queue: Promise<unknown> = Promise.resolve();

  const read = async (): Promise<RawConfig> => {
    try {
      const parsed: unknown = JSON.parse(await fs.readFile(file, 'utf8'));
      return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as RawConfig) : {};
    } catch (e) {
      // A missing file is an empty config. A corrupt one is replaced on the next write rather
      // than trusted; the user re-enters the keys.
      if (errnoCode(e) === 'ENOENT' || e instanceof SyntaxError) return {};
      throw e;
    }
  };

  const localConfigured = async (): Promise<boolean> => {
    if (!options.modelsDir) return false;
    try {
      return (await fs.readdir(options.modelsDir)).some((f) => f.endsWith('.gguf'));
    } catch {
      return false;
    }
  };

  const sanitize = async (raw: RawConfig): Promise<SanitizedSettings> => {
    const has = (p: KeyedProvider) => {
      const key = section(raw, p)['apiKey'];
      return typeof key === 'string' && key.length > 0;
    };
    const primary = PROVIDERS.includes(raw['primary'] as Provider) ? (raw['primary'] as Provider) : 'anthropic';
    return {
      primary,
      anthropicConfigured: has('anthropic'),
      openaiConfigured: has('openai'),
      compatibleConfigured: has('compatible'),
      localConfigured: await localConfigured(),
      configPath: file,
    };
  };

  const update = (change: (raw: RawConfig) => RawConfig): ResultAsync<SanitizedSettings, BackendError> => {
    const work = queue.then(async () => {
      const next = change(await read());
      await writeFileAtomic(file, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 }).match(
        () => undefined,
        (e) => {
          throw new Error(e.message);
        },
      );
      return sanitize(next);
    });
    queue = work.catch(() => undefined);
    // Error messages name the file but never echo its content, which holds keys.
    return ResultAsync.fromPromise(work, (e) => backendError('settings_failed', `cannot update ${file}: ${describeUnknown(e)}`, true));
  };

  return {
    get: () =>
      ResultAsync.fromPromise(
        read().then(sanitize),
        (e) => backendError('settings_failed', `cannot read ${file}: ${describeUnknown(e)}`, true),
      ),
    saveKey: (provider, key) => update((raw) => ({ ...raw, [SECTION[provider]]: { ...section(raw, provider), apiKey: key.trim() } })),
    clearKey: (provider) =>
      update((raw) => {
        const { apiKey: _removed, ...rest } = section(raw, provider);
        return { ...raw, [SECTION[provider]]: rest };
      }),
    setPrimary: (provider) => update((raw) => ({ ...raw, primary: provider })),
  };
}
