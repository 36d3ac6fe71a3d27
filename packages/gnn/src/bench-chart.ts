import type { BenchReport } from './bench.js';

/*
 * An SVG chart of cold builds against their bare parse, one row per benchmark report: the bare
 * parse as a bar of length 1, and below it the build's phases (per-file, resolution, persistence
 * on the critical path) stacked, in multiples of that parse, with the 2× target as a dashed line.
 * Each project gets its own unit, so projects of very different sizes share one picture. The
 * timings are the report's (medians over its rounds), so a bar's length can differ a little from
 * the median of the rounds' own ratios, which is printed beside it.
 */

/**
 * The fields of a bench report the chart uses. Reports from before the solver and fill timings
 * (and the parse on the build's threads) existed lack the optional ones: their resolution is one
 * segment and they have no floor mark.
 */
export type ChartReport = Pick<BenchReport, 'parse_ms' | 'extract_ms' | 'build_ms' | 'persist_ms' | 'cold_ratio'> &
  Partial<Pick<BenchReport, 'solve_ms' | 'fill_ms' | 'parse_parallel_ms'>>;

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
const FLOOR_STROKE = '#111827';

export const PHASE_COLORS = {
  parse: '#9ca3af',
  extract: '#2563eb',
  resolve: '#f59e0b',
  solve: '#f59e0b',
  graph: '#fcd34d',
  fill: '#ea580c',
  persist: '#16a34a',
} as const;

/** A segment of the build's bar. `resolve` is the whole resolution of a report without its parts. */
export type Phase = 'extract' | 'resolve' | 'solve' | 'graph' | 'fill' | 'persist';

const PHASE_LABELS: Record<Phase, string> = {
  extract: 'per-file phase',
  resolve: 'resolution + in-memory graph',
  solve: 'solver',
  graph: 'nodes and edges',
  fill: 'in-memory graph',
  persist: 'persistence (critical path)',
};

const escapeXml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const fmt = (v: number): string => (Math.round(v * 100) / 100).toFixed(2);
const ms = (v: number): string => (v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${Math.round(v)} ms`);

/**
 * The build's segments in order, in milliseconds: the per-file phase, the resolution (split into
 * solver, node and edge construction, and filling the in-memory graph when the report has those
 * timings), and persistence on the critical path.
 */
function phaseMs(r: ChartReport): { phase: Phase; ms: number }[] {
  const resolve = Math.max(0, r.build_ms - r.extract_ms);
  const parts: { phase: Phase; ms: number }[] = [{ phase: 'extract', ms: r.extract_ms }];
  if (r.solve_ms !== undefined && r.fill_ms !== undefined) {
    parts.push({ phase: 'solve', ms: r.solve_ms }, { phase: 'graph', ms: Math.max(0, resolve - r.solve_ms - r.fill_ms) }, { phase: 'fill', ms: r.fill_ms });
  } else parts.push({ phase: 'resolve', ms: resolve });
  parts.push({ phase: 'persist', ms: r.persist_ms });
  return parts;
}

/** The build's segments in multiples of the bare parse, and their sum. */
export function phases(r: ChartReport): { parts: { phase: Phase; ms: number; ratio: number }[]; total: number } {
  const unit = r.parse_ms > 0 ? r.parse_ms : 1;
  const parts = phaseMs(r).map((p) => ({ ...p, ratio: p.ms / unit }));
  return { parts, total: parts.reduce((a, p) => a + p.ratio, 0) };
}

/** The legend's swatches and labels, laid out from (LEFT, y) on as many lines as they need. */
function legendItems(rows: readonly ChartRow[], y: number): { x: number; y: number; swatch: string; label: string }[] {
  // The segments the rows use, in bar order, then the floor mark if any row has one.
  const used = new Set(rows.flatMap((r) => phases(r.report).parts.map((p) => p.phase)));
  const entries = [
    { swatch: `fill="${PHASE_COLORS.parse}"`, label: 'bare parse' },
    ...(['extract', 'resolve', 'solve', 'graph', 'fill', 'persist'] as const).filter((ph) => used.has(ph)).map((ph) => ({ swatch: `fill="${PHASE_COLORS[ph]}"`, label: PHASE_LABELS[ph] })),
    ...(rows.some((r) => r.report.parse_parallel_ms !== undefined) ? [{ swatch: `fill="none" stroke="${FLOOR_STROKE}" stroke-dasharray="3 2"`, label: "bare parse on the build's threads" }] : []),
  ];
  const out: { x: number; y: number; swatch: string; label: string }[] = [];
  let lx = LEFT;
  let ly = y;
  for (const e of entries) {
    const w = 16 + e.label.length * 6.6 + 18;
    if (lx + w > WIDTH && lx > LEFT) {
      lx = LEFT;
      ly += 18;
    }
    out.push({ x: lx, y: ly, ...e });
    lx += w;
  }
  return out;
}

/** Renders the chart; `title` goes on top. */
export function benchChartSvg(rows: readonly ChartRow[], title: string): string {
  const maxRatio = Math.max(TARGET + 0.5, ...rows.map((r) => phases(r.report).total));
  const scaleMax = Math.ceil(maxRatio);
  const plotWidth = WIDTH - LEFT - RIGHT;
  const x = (v: number) => LEFT + (v / scaleMax) * plotWidth;
  const legend = legendItems(rows, TOP + rows.length * ROW + 34);
  const height = Math.max(...legend.map((l) => l.y)) + 22;
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
    let at = 0;
    for (const part of p.parts) {
      out.push(
        `<rect class="${part.phase}" x="${fmt(x(at))}" y="${y + BAR + 4}" width="${fmt(x(at + part.ratio) - x(at))}" height="${BAR}" fill="${PHASE_COLORS[part.phase]}"><title>${PHASE_LABELS[part.phase]} ${ms(part.ms)}</title></rect>`,
      );
      at += part.ratio;
    }
    // The floor of the per-file phase: the bare parse alone on the build's threads.
    const par = row.report.parse_parallel_ms;
    if (par !== undefined && row.report.parse_ms > 0) {
      out.push(
        `<rect class="floor" x="${fmt(x(0))}" y="${y + BAR + 4}" width="${fmt(x(par / row.report.parse_ms) - x(0))}" height="${BAR}" fill="none" stroke="${FLOOR_STROKE}" stroke-width="1.5" stroke-dasharray="3 2"><title>bare parse on the build's threads ${ms(par)}</title></rect>`,
      );
    }
    out.push(`<text x="${fmt(x(at) + 6)}" y="${y + 2 * BAR - 2}" fill="#374151">build ${ms(row.report.build_ms + row.report.persist_ms)} (${fmt(p.total)}×)</text>`);
  });
  out.push(`<line class="target" x1="${fmt(x(TARGET))}" y1="${TOP - 10}" x2="${fmt(x(TARGET))}" y2="${TOP + rows.length * ROW}" stroke="#dc2626" stroke-width="2" stroke-dasharray="6 4"/>`);
  out.push(`<text x="${fmt(x(TARGET) + 4)}" y="${TOP - 12}" fill="#dc2626">target 2×</text>`);
  for (const item of legend) {
    out.push(`<rect x="${fmt(item.x)}" y="${item.y - 10}" width="12" height="12" ${item.swatch}/>`);
    out.push(`<text x="${fmt(item.x + 16)}" y="${item.y}">${escapeXml(item.label)}</text>`);
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
