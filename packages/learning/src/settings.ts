import { readFile } from 'node:fs/promises';
import { ResultAsync, errAsync, okAsync } from 'neverthrow';
import { describeUnknown, errnoCode, writeFileAtomic } from '@yantra/shared';
import { learningError, type LearningError } from './errors.js';
import { isCategory, type Category } from './pattern.js';

/** The user's choices, kept in `<project>/.yantra/learning.json`. */
export interface LearningSettings {
  /** False opts out: nothing is recorded and nothing is retrieved. Default true. */
  readonly enabled: boolean;
  /** Categories never recorded nor retrieved. Default none. */
  readonly disabledCategories: readonly Category[];
}

export const DEFAULT_SETTINGS: LearningSettings = { enabled: true, disabledCategories: [] };

/** Validates a settings object (from the file or from a caller's patch). */
export function parseSettings(value: unknown, base: LearningSettings = DEFAULT_SETTINGS): LearningSettings | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'settings must be a JSON object';
  const v = value as Record<string, unknown>;
  let enabled = base.enabled;
  let disabledCategories = base.disabledCategories;
  if (v['enabled'] !== undefined) {
    if (typeof v['enabled'] !== 'boolean') return '"enabled" must be true or false';
    enabled = v['enabled'];
  }
  if (v['disabledCategories'] !== undefined) {
    const list = v['disabledCategories'];
    if (!Array.isArray(list)) return '"disabledCategories" must be an array';
    const bad = list.find((c) => !isCategory(c));
    if (bad !== undefined) return `unknown category in "disabledCategories": ${String(bad)}`;
    disabledCategories = [...new Set(list as Category[])];
  }
  return { enabled, disabledCategories };
}

export function readSettings(file: string): ResultAsync<LearningSettings, LearningError> {
  const read = async (): Promise<LearningSettings | LearningError> => {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      if (errnoCode(e) === 'ENOENT') return DEFAULT_SETTINGS;
      return learningError('io_failed', `cannot read ${file}: ${describeUnknown(e)}`, { path: file });
    }
    try {
      const parsed = parseSettings(JSON.parse(text));
      return typeof parsed === 'string' ? learningError('invalid_input', `${file}: ${parsed}`, { path: file }) : parsed;
    } catch (e) {
      return learningError('invalid_input', `${file} is not valid JSON: ${describeUnknown(e)}`, { path: file });
    }
  };
  return ResultAsync.fromSafePromise(read()).andThen((r) => ('kind' in r ? errAsync(r) : okAsync(r)));
}

export function writeSettings(file: string, settings: LearningSettings): ResultAsync<void, LearningError> {
  return writeFileAtomic(file, `${JSON.stringify(settings, null, 2)}\n`).mapErr((e) =>
    learningError('io_failed', e.message, { path: file }),
  );
}
