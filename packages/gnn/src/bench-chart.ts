import type { BenchReport } from './bench.js';

/*
 * An SVG chart of cold builds against their bare parse, one row per benchmark report: the bare
 * parse as a bar of length 1, and below it the build's phases (per-file, resolution, persistence
 * on the critical path) stacked, in multiples of that parse, with the 2× target as a dashed line.
 * Each project gets its own unit, so projects of very different sizes share one picture. The
 * timings are the report's (medians over its rounds), so a bar's length can differ a little from
 * the median of the rounds' own ratios, which is printed beside it.
 */

/** The fields of a bench report the chart uses. */
export type ChartReport = Pick<BenchReport, 'parse_ms' | 'extract_ms' | 'build_ms' | 'persist_ms' | 'cold_ratio'>;

export interface ChartRow {
  readonly label: string;
  readonly report: ChartReport;
}

const WIDTH = 880;
const LEFT = 170;
const RIGHT = 150;
const TOP = 44;
const ROW = 78;
const BAR = 20;
const TARGET = 2;

export const PHASE_COLORS = { parse: '#9ca3af', extract: '#2563eb', resolve: '#f59e0b', persist: '#16a34a' } as const;

const escapeXml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const fmt = (v: number): string => (Math.round(v * 100) / 100).toFixed(2);
const ms = (v: number): string => (v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${Math.round(v)} ms`);

const PHASES = ['extract', 'resolve', 'persist'] as const;

/** The build's phases in milliseconds: per-file phase, resolution (the rest of build_ms), persistence. */
function phaseMs(r: ChartReport): Record<(typeof PHASES)[number], number> {
  return { extract: r.extract_ms, resolve: Math.max(0, r.build_ms - r.extract_ms), persist: r.persist_ms };
}

/** The build's phases in multiples of the bare parse: per-file phase, resolution, persistence. */
export function phases(r: ChartReport): { extract: number; resolve: number; persist: number; total: number } {
  const unit = r.parse_ms > 0 ? r.parse_ms : 1;
  const m = phaseMs(r);
  const extract = m.extract / unit;
  const resolve = m.resolve / unit;
  const persist = m.persist / unit;
  return { extract, resolve, persist, total: extract + resolve + persist };
}

/** Renders the chart; `title` goes on top. */
export function benchChartSvg(rows: readonly ChartRow[], title: string): string {
  const maxRatio = Math.max(TARGET + 0.5, ...rows.map((r) => phases(r.report).total));
  const scaleMax = Math.ceil(maxRatio);
  const plotWidth = WIDTH - LEFT - RIGHT;
  const x = (v: number) => LEFT + (v / scaleMax) * plotWidth;
  const height = TOP + rows.length * ROW + 56;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<text x="${LEFT}" y="22" font-size="14" font-weight="600">${escapeXml(title)}</text>`,
  );
  // Grid: one line per whole multiple of the bare parse.
  for (let k = 0; k <= scaleMax; k++) {
    out.push(`<line x1="${fmt(x(k))}" y1="${TOP - 6}" x2="${fmt(x(k))}" y2="${TOP + rows.length * ROW}" stroke="#e5e7eb"/>`);
    out.push(`<text x="${fmt(x(k))}" y="${TOP + rows.length * ROW + 16}" text-anchor="middle" fill="#6b7280">${k}×</text>`);
  }
  rows.forEach((row, i) => {
    const y = TOP + i * ROW;
    const p = phases(row.report);
    out.push(`<text x="${LEFT - 10}" y="${y + BAR - 5}" text-anchor="end" font-weight="600">${escapeXml(row.label)}</text>`);
    out.push(`<text x="${LEFT - 10}" y="${y + 2 * BAR + 3}" text-anchor="end" fill="#374151">rounds' median ${fmt(row.report.cold_ratio)}×</text>`);
    out.push(`<rect class="parse" x="${fmt(x(0))}" y="${y}" width="${fmt(x(1) - x(0))}" height="${BAR}" fill="${PHASE_COLORS.parse}"><title>bare parse ${ms(row.report.parse_ms)}</title></rect>`);
    out.push(`<text x="${fmt(x(1) + 6)}" y="${y + BAR - 6}" fill="#374151">bare parse ${ms(row.report.parse_ms)}</text>`);
    const m = phaseMs(row.report);
    let at = 0;
    for (const name of PHASES) {
      const value = p[name];
      out.push(
        `<rect class="${name}" x="${fmt(x(at))}" y="${y + BAR + 4}" width="${fmt(x(at + value) - x(at))}" height="${BAR}" fill="${PHASE_COLORS[name]}"><title>${name} ${ms(m[name])}</title></rect>`,
      );
      at += value;
    }
    out.push(`<text x="${fmt(x(at) + 6)}" y="${y + 2 * BAR - 2}" fill="#374151">build ${ms(row.report.build_ms + row.report.persist_ms)} (${fmt(p.total)}×)</text>`);
  });
  out.push(`<line class="target" x1="${fmt(x(TARGET))}" y1="${TOP - 10}" x2="${fmt(x(TARGET))}" y2="${TOP + rows.length * ROW}" stroke="#dc2626" stroke-width="2" stroke-dasharray="6 4"/>`);
  out.push(`<text x="${fmt(x(TARGET) + 4)}" y="${TOP - 12}" fill="#dc2626">target 2×</text>`);
  // Legend.
  const ly = TOP + rows.length * ROW + 34;
  let lx = LEFT;
  for (const [name, label] of [
    ['parse', 'bare parse'],
    ['extract', 'per-file phase'],
    ['resolve', 'resolution + in-memory graph'],
    ['persist', 'persistence (critical path)'],
  ] as const) {
    out.push(`<rect x="${lx}" y="${ly - 10}" width="12" height="12" fill="${PHASE_COLORS[name]}"/>`);
    out.push(`<text x="${lx + 16}" y="${ly}">${label}</text>`);
    lx += 16 + label.length * 6.6 + 18;
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
