import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { err, ok, type Result } from 'neverthrow';
import { makeError, type YantraError } from '@yantra/shared';

export type TemplateName = 'system' | 'request' | 'repair' | 'intent' | 'intent-system';

export interface Template {
  readonly name: TemplateName;
  readonly version: number;
  readonly body: string;
}

export type PromptError = YantraError<'template_invalid' | 'missing_variable'>;

const here = path.dirname(fileURLToPath(import.meta.url));
/** The shipped templates: `prompts/*.md` (data, not code), copied into `dist/prompts` by the build. */
export const DEFAULT_PROMPTS_DIR = path.join(here, 'prompts');
const PROMPTS_FROM_SRC = path.resolve(here, '../../prompts');

export function loadTemplate(name: TemplateName, dir?: string): Result<Template, PromptError> {
  const candidates = dir ? [dir] : [DEFAULT_PROMPTS_DIR, PROMPTS_FROM_SRC];
  for (const d of candidates) {
    let raw: string;
    try {
      raw = readFileSync(path.join(d, `${name}.md`), 'utf8');
    } catch {
      continue;
    }
    const m = /^---\nversion:\s*(\d+)\n---\n([\s\S]*)$/.exec(raw);
    if (!m) return err(makeError('template_invalid', `${name}.md has no "version" front matter`));
    return ok({ name, version: Number(m[1]), body: m[2] as string });
  }
  return err(makeError('template_invalid', `template ${name}.md not found in ${candidates.join(', ')}`));
}

/** Fills `{{name}}` placeholders; a placeholder without a value is an error, not an empty string. */
export function render(template: Template, vars: Readonly<Record<string, string | number>>): Result<string, PromptError> {
  const missing = new Set<string>();
  const out = template.body.replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    const v = vars[key];
    if (v === undefined) {
      missing.add(key);
      return '';
    }
    return String(v);
  });
  if (missing.size > 0) return err(makeError('missing_variable', `${template.name}.md needs ${[...missing].join(', ')}`));
  return ok(out.replace(/\n{3,}/g, '\n\n').trim() + '\n');
}

export interface PromptInput {
  readonly request: string;
  /** Ranked project context, already fitted to a token budget. */
  readonly context: string;
  /** The "avoid these mistakes" block from learning (may be empty). */
  readonly mistakes: string;
}

export interface Prompt {
  readonly system: string;
  readonly user: string;
  readonly versions: Readonly<Record<Exclude<TemplateName, 'intent' | 'intent-system'>, number>>;
}

export function buildPrompt(input: PromptInput, dir?: string): Result<Prompt, PromptError> {
  return loadTemplate('system', dir).andThen((system) =>
    loadTemplate('request', dir).andThen((request) =>
      render(request, { request: input.request.trim(), context: input.context.trim() || '(no context)', mistakes: input.mistakes }).map(
        (user) => ({ system: system.body.trim() + '\n', user, versions: { system: system.version, request: request.version, repair: 0 } }),
      ),
    ),
  );
}

export function buildRepairMessage(feedback: string, attempt: number, maxAttempts: number, dir?: string): Result<string, PromptError> {
  return loadTemplate('repair', dir).andThen((t) => render(t, { feedback: feedback.trim(), attempt, maxAttempts }));
}
