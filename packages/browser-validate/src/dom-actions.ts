import type { PageSession } from './page-session.js';

/** Thrown when a step's condition is not met; the message becomes the step's error. */
export class StepFailure extends Error {}

interface Probe {
  readonly found: boolean;
  readonly visible: boolean;
  readonly disabled: boolean;
  readonly x: number;
  readonly y: number;
  readonly text: string;
}

/** Runs in the page: finds an element, scrolls it into view and reports where and what it is. */
function probeExpression(selector: string): string {
  return `(() => {
    const el = document.querySelector(${JSON.stringify(selector)});
    if (!el) return { found: false, visible: false, disabled: false, x: 0, y: 0, text: '' };
    el.scrollIntoView({ block: 'center', inline: 'center' });
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    const visible = r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none' && Number(s.opacity) > 0;
    return { found: true, visible, disabled: el.disabled === true, x: r.left + r.width / 2, y: r.top + r.height / 2,
      text: (el.innerText ?? el.textContent ?? '').slice(0, 2000) };
  })()`;
}

async function poll<T>(timeoutMs: number, attempt: () => Promise<T | undefined>, describeFailure: () => Promise<string>): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const v = await attempt();
    if (v !== undefined) return v;
    if (performance.now() >= deadline) throw new StepFailure(await describeFailure());
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Waits until the selector matches a visible element; returns its probe. */
export async function waitVisible(page: PageSession, selector: string, timeoutMs: number, enabled = false): Promise<Probe> {
  let last: Probe | undefined;
  return poll(
    timeoutMs,
    async () => {
      last = await page.evaluate<Probe>(probeExpression(selector));
      return last.found && last.visible && (!enabled || !last.disabled) ? last : undefined;
    },
    async () => {
      if (!last?.found) return `no element matches ${selector} after ${timeoutMs} ms`;
      if (!last.visible) return `${selector} exists but is not visible after ${timeoutMs} ms`;
      return `${selector} is disabled after ${timeoutMs} ms`;
    },
  );
}

/** Waits until the text appears in the element (or the whole page). */
export async function waitText(page: PageSession, text: string, selector: string | undefined, timeoutMs: number): Promise<void> {
  let seen = '';
  const expr = selector
    ? `(() => { const el = document.querySelector(${JSON.stringify(selector)}); return el ? (el.innerText ?? el.textContent ?? '') : null; })()`
    : `(document.body ? document.body.innerText : '')`;
  await poll(
    timeoutMs,
    async () => {
      const got = await page.evaluate<string | null>(expr);
      if (got === null) {
        seen = '';
        return undefined;
      }
      seen = got;
      return got.includes(text) ? true : undefined;
    },
    async () =>
      selector && seen === ''
        ? `text ${JSON.stringify(text)} not found: ${selector} has no text or does not exist after ${timeoutMs} ms`
        : `text ${JSON.stringify(text)} not found in ${selector ?? 'the page'} after ${timeoutMs} ms; it shows ${JSON.stringify(excerpt(seen))}`,
  );
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 160 ? `${flat.slice(0, 157)}...` : flat;
}

/** A trusted mouse click at the centre of the element, as a user would do it. */
export async function click(page: PageSession, selector: string, timeoutMs: number): Promise<void> {
  const p = await waitVisible(page, selector, timeoutMs, true);
  const at = { x: p.x, y: p.y };
  await page.send('Input.dispatchMouseEvent', { type: 'mouseMoved', ...at });
  await page.send('Input.dispatchMouseEvent', { type: 'mousePressed', ...at, button: 'left', clickCount: 1 });
  await page.send('Input.dispatchMouseEvent', { type: 'mouseReleased', ...at, button: 'left', clickCount: 1 });
}

/** Focuses the field, replaces its value and fires `input` (and `change` for selects). */
export async function fill(page: PageSession, selector: string, value: string, timeoutMs: number): Promise<void> {
  await waitVisible(page, selector, timeoutMs, true);
  const kind = await page.evaluate<string>(`(() => {
    const el = document.querySelector(${JSON.stringify(selector)});
    el.focus();
    if (el instanceof HTMLSelectElement) {
      el.value = ${JSON.stringify(value)};
      el.dispatchEvent(new Event('input', { bubbles: true }));
      el.dispatchEvent(new Event('change', { bubbles: true }));
      return 'select';
    }
    if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) {
      el.select();
      if (${JSON.stringify(value)} === '') {
        el.value = '';
        el.dispatchEvent(new Event('input', { bubbles: true }));
      }
      return 'text';
    }
    if (el.isContentEditable) {
      document.getSelection().selectAllChildren(el);
      return 'text';
    }
    return 'other';
  })()`);
  if (kind === 'other') throw new StepFailure(`${selector} is not a form field or editable element`);
  if (kind === 'text' && value !== '') await page.send('Input.insertText', { text: value });
}

const KEYS: Record<string, { code: string; keyCode: number; text?: string }> = {
  Enter: { code: 'Enter', keyCode: 13, text: '\r' },
  Tab: { code: 'Tab', keyCode: 9 },
  Escape: { code: 'Escape', keyCode: 27 },
  Backspace: { code: 'Backspace', keyCode: 8 },
  Delete: { code: 'Delete', keyCode: 46 },
  Space: { code: 'Space', keyCode: 32, text: ' ' },
  ArrowUp: { code: 'ArrowUp', keyCode: 38 },
  ArrowDown: { code: 'ArrowDown', keyCode: 40 },
  ArrowLeft: { code: 'ArrowLeft', keyCode: 37 },
  ArrowRight: { code: 'ArrowRight', keyCode: 39 },
  Home: { code: 'Home', keyCode: 36 },
  End: { code: 'End', keyCode: 35 },
};

/** Presses one key (named like `Enter`, `Tab`, `ArrowDown`, or a single character). */
export async function press(page: PageSession, key: string, selector: string | undefined, timeoutMs: number): Promise<void> {
  if (selector !== undefined) {
    await waitVisible(page, selector, timeoutMs);
    await page.evaluate(`document.querySelector(${JSON.stringify(selector)}).focus()`);
  }
  const named = KEYS[key];
  let spec: { key: string; code: string; keyCode: number; text?: string };
  if (named) spec = { key: key === 'Space' ? ' ' : key, ...named };
  else if ([...key].length === 1) {
    const upper = key.toUpperCase();
    const code = /[A-Z]/.test(upper) ? `Key${upper}` : /[0-9]/.test(key) ? `Digit${key}` : '';
    spec = { key, code, keyCode: upper.charCodeAt(0), text: key };
  } else throw new StepFailure(`unknown key ${JSON.stringify(key)}; use a single character or one of ${Object.keys(KEYS).join(', ')}`);
  const base = { key: spec.key, code: spec.code, windowsVirtualKeyCode: spec.keyCode, nativeVirtualKeyCode: spec.keyCode };
  await page.send('Input.dispatchKeyEvent', { type: spec.text ? 'keyDown' : 'rawKeyDown', ...base, ...(spec.text ? { text: spec.text, unmodifiedText: spec.text } : {}) });
  await page.send('Input.dispatchKeyEvent', { type: 'keyUp', ...base });
}
