/** Sizes of the three panels (Chat, Code, Preview) in percent of the window width. */
export type PanelSizes = readonly [chat: number, code: number, preview: number];

export const DEFAULT_PANEL_SIZES: PanelSizes = [60, 25, 15];

/** The smallest a panel may become, in percent. */
export const MIN_PANEL_PERCENT = 10;

/**
 * Turns stored or dragged sizes into valid ones: three finite numbers, each at least
 * {@link MIN_PANEL_PERCENT}, summing to 100. Anything unusable falls back to the defaults.
 */
export function normalizePanelSizes(input: unknown): PanelSizes {
  if (!Array.isArray(input) || input.length !== 3 || !input.every((n) => typeof n === 'number' && Number.isFinite(n) && n > 0)) {
    return DEFAULT_PANEL_SIZES;
  }
  const total = (input as number[]).reduce((a, b) => a + b, 0);
  const scaled = (input as number[]).map((n) => (n / total) * 100);
  const clamped = scaled.map((n) => Math.max(MIN_PANEL_PERCENT, n));
  const excess = clamped.reduce((a, b) => a + b, 0) - 100;
  // Take any excess created by clamping from the panels that are above the minimum, in proportion.
  const room = clamped.map((n) => n - MIN_PANEL_PERCENT);
  const roomTotal = room.reduce((a, b) => a + b, 0);
  const out = clamped.map((n, i) => (roomTotal > 0 ? n - (excess * (room[i] as number)) / roomTotal : n));
  return [round(out[0] as number), round(out[1] as number), round(100 - round(out[0] as number) - round(out[1] as number))];
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
