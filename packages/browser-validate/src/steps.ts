import { BrowserFailure, invalidInput } from './errors.js';

/** Common to every step: an optional wait limit for the step's own condition. */
interface StepBase {
  /** How long to wait for the element or text; default the validator's `stepTimeoutMs`. */
  readonly timeoutMs?: number;
}

/** One action of an interaction script. Scripts are plain JSON: an array of these. */
export type Step =
  | (StepBase & { readonly action: 'goto'; readonly url: string })
  | (StepBase & { readonly action: 'click'; readonly selector: string })
  | (StepBase & { readonly action: 'fill'; readonly selector: string; readonly value: string })
  | (StepBase & { readonly action: 'press'; readonly key: string; readonly selector?: string })
  | (StepBase & { readonly action: 'waitFor'; readonly selector?: string; readonly text?: string })
  | (StepBase & { readonly action: 'assertText'; readonly text: string; readonly selector?: string })
  | (StepBase & { readonly action: 'assertVisible'; readonly selector: string })
  | (StepBase & { readonly action: 'assertNoConsoleErrors' })
  | (StepBase & { readonly action: 'screenshot'; readonly name?: string; readonly fullPage?: boolean });

export type StepAction = Step['action'];

const FIELDS: Record<StepAction, { required: readonly string[]; optional: readonly string[] }> = {
  goto: { required: ['url'], optional: [] },
  click: { required: ['selector'], optional: [] },
  fill: { required: ['selector', 'value'], optional: [] },
  press: { required: ['key'], optional: ['selector'] },
  waitFor: { required: [], optional: ['selector', 'text'] },
  assertText: { required: ['text'], optional: ['selector'] },
  assertVisible: { required: ['selector'], optional: [] },
  assertNoConsoleErrors: { required: [], optional: [] },
  screenshot: { required: [], optional: ['name', 'fullPage'] },
};

/**
 * Checks an untrusted script (for example parsed from a JSON file) and returns it typed.
 * A bad step fails with `invalid_input` whose `field` names it: `script[2].selector`.
 */
export function parseSteps(value: unknown): Step[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw bad('script', 'the script must be a JSON array of steps');
  return value.map((raw: unknown, i) => {
    const at = `script[${i}]`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw bad(at, `${at} must be an object`);
    const step = raw as Record<string, unknown>;
    const action = step['action'];
    if (typeof action !== 'string' || !(action in FIELDS)) {
      throw bad(`${at}.action`, `${at}.action must be one of ${Object.keys(FIELDS).join(', ')}`);
    }
    const spec = FIELDS[action as StepAction];
    for (const key of Object.keys(step)) {
      if (key !== 'action' && key !== 'timeoutMs' && !spec.required.includes(key) && !spec.optional.includes(key)) {
        throw bad(`${at}.${key}`, `${at}: unknown field "${key}" for ${action}`);
      }
    }
    for (const key of [...spec.required, ...spec.optional]) {
      const v = step[key];
      if (v === undefined) {
        if (spec.required.includes(key)) throw bad(`${at}.${key}`, `${at}: ${action} needs "${key}"`);
        continue;
      }
      const wantBool = key === 'fullPage';
      if (wantBool ? typeof v !== 'boolean' : typeof v !== 'string') {
        throw bad(`${at}.${key}`, `${at}.${key} must be a ${wantBool ? 'boolean' : 'string'}`);
      }
    }
    if (action === 'waitFor' && step['selector'] === undefined && step['text'] === undefined) {
      throw bad(at, `${at}: waitFor needs "selector" or "text"`);
    }
    const t = step['timeoutMs'];
    if (t !== undefined && (typeof t !== 'number' || !(t > 0) || t > 120_000)) {
      throw bad(`${at}.timeoutMs`, `${at}.timeoutMs must be a number of milliseconds in (0, 120000]`);
    }
    return step as unknown as Step;
  });
}

/** A short human label for a step, used in results and summaries. */
export function stepLabel(step: Step): string {
  switch (step.action) {
    case 'goto':
      return `goto ${step.url}`;
    case 'click':
    case 'assertVisible':
      return `${step.action} ${step.selector}`;
    case 'fill':
      return `fill ${step.selector}`;
    case 'press':
      return `press ${step.key}${step.selector ? ` in ${step.selector}` : ''}`;
    case 'waitFor':
      return `waitFor ${step.selector ?? JSON.stringify(step.text)}`;
    case 'assertText':
      return `assertText ${JSON.stringify(step.text)}${step.selector ? ` in ${step.selector}` : ''}`;
    case 'assertNoConsoleErrors':
      return 'assertNoConsoleErrors';
    case 'screenshot':
      return `screenshot${step.name ? ` ${step.name}` : ''}`;
  }
}

function bad(field: string, message: string): BrowserFailure {
  return new BrowserFailure(invalidInput(field, message));
}
