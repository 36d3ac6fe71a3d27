import { describeUnknown } from '@yantra/shared';
import { click, fill, press, StepFailure, waitText, waitVisible } from './dom-actions.js';
import { BrowserFailure } from './errors.js';
import type { PageSession } from './page-session.js';
import { judge, type CheckPolicy, type Screenshot, type StepResult } from './result.js';
import { stepLabel, type Step } from './steps.js';

export interface StepRunContext {
  readonly page: PageSession;
  readonly stepTimeoutMs: number;
  readonly policy: CheckPolicy;
  readonly screenshots: Screenshot[];
  /** Waits for the page to go quiet after an action; false when the cap ended the wait. */
  readonly settle: (needLoad: boolean) => Promise<boolean>;
}

/**
 * Runs the steps in order. The first failing step stops the script; later steps are reported
 * as skipped, so the failure points at exactly one step.
 */
export async function runSteps(steps: readonly Step[], ctx: StepRunContext): Promise<{ results: StepResult[]; settled: boolean }> {
  const results: StepResult[] = [];
  let settled = true;
  let failed = false;
  for (const [index, step] of steps.entries()) {
    const label = stepLabel(step);
    if (failed) {
      results.push({ index, action: step.action, label, status: 'skipped', durationMs: 0 });
      continue;
    }
    ctx.page.recorder.step = index;
    const started = performance.now();
    try {
      settled = (await runStep(step, index, ctx)) && settled;
      results.push({ index, action: step.action, label, status: 'passed', durationMs: ms(started) });
    } catch (e) {
      if (e instanceof BrowserFailure && e.error.kind !== 'timeout') throw e;
      failed = true;
      const error = e instanceof StepFailure || e instanceof BrowserFailure ? e.message : describeUnknown(e);
      results.push({ index, action: step.action, label, status: 'failed', durationMs: ms(started), error });
    }
  }
  ctx.page.recorder.step = undefined;
  return { results, settled };
}

async function runStep(step: Step, index: number, ctx: StepRunContext): Promise<boolean> {
  const { page } = ctx;
  const timeout = step.timeoutMs ?? ctx.stepTimeoutMs;
  switch (step.action) {
    case 'goto': {
      const current = await page.evaluate<string>('location.href');
      const target = new URL(step.url, current).href;
      const r = await page.navigate(target);
      if (r.errorText !== undefined) throw new StepFailure(`cannot open ${target}: ${r.errorText}`);
      return ctx.settle(true);
    }
    case 'click':
      await click(page, step.selector, timeout);
      return ctx.settle(false);
    case 'fill':
      await fill(page, step.selector, step.value, timeout);
      return ctx.settle(false);
    case 'press':
      await press(page, step.key, step.selector, timeout);
      return ctx.settle(false);
    case 'waitFor':
      if (step.selector !== undefined) await waitVisible(page, step.selector, timeout);
      if (step.text !== undefined) await waitText(page, step.text, undefined, timeout);
      return true;
    case 'assertText':
      await waitText(page, step.text, step.selector, timeout);
      return true;
    case 'assertVisible':
      await waitVisible(page, step.selector, timeout);
      return true;
    case 'assertNoConsoleErrors': {
      const rec = page.recorder;
      const v = judge({ console: rec.console, exceptions: rec.exceptions, network: [], steps: [] }, ctx.policy);
      const first = v.exceptions[0]?.message ?? v.consoleErrors[0]?.text;
      if (first !== undefined) {
        const n = v.exceptions.length + v.consoleErrors.length;
        throw new StepFailure(`${n} console error${n === 1 ? '' : 's'} or exception${n === 1 ? '' : 's'} so far; first: ${first}`);
      }
      return true;
    }
    case 'screenshot':
      ctx.screenshots.push(await page.screenshot(step.name ?? `step-${index + 1}`, step.fullPage ? 'fullPage' : 'viewport', index));
      return true;
  }
}

function ms(started: number): number {
  return Math.round(performance.now() - started);
}
