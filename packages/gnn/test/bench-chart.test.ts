import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { captureIO } from '@yantra/shared/testing';
import { benchChartSvg, phases, type ChartReport } from '../src/bench-chart.js';
import { main } from '../src/cli.js';
import { tempDir } from './helpers.js';

const BENCH = path.join(import.meta.dirname, '..', 'fixtures', 'bench');
// An older report, without the solver and fill timings nor the parse on the build's threads.
const django = JSON.parse(readFileSync(path.join(BENCH, 'django.json'), 'utf8')) as ChartReport;
const stdlib = JSON.parse(readFileSync(path.join(BENCH, 'stdlib.json'), 'utf8')) as Required<ChartReport>;

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** The numeric attributes of the first element matching `class="<cls>"`. */
function rect(svg: string, cls: string): { x: number; width: number } {
  const m = new RegExp(`class="${cls}" x="([\\d.]+)" [^>]*?\\swidth="([\\d.]+)"`).exec(svg);
  if (!m) throw new Error(`no ${cls} in the chart`);
  return { x: Number(m[1]), width: Number(m[2]) };
}

describe('bench chart', () => {
  it('draws the bare parse as one unit and the build phases stacked in that unit', () => {
    const p = phases(django);
    // The phases add up to the report's own ratio (both are (build + persist) / parse).
    expect(p.total).toBeCloseTo((django.build_ms + django.persist_ms) / django.parse_ms, 6);
    expect(p.parts.map((x) => x.phase)).toEqual(['extract', 'resolve', 'persist']);
    const ratio = (phase: string) => p.parts.find((x) => x.phase === phase)?.ratio ?? NaN;
    const svg = benchChartSvg([{ label: 'Django', report: django }], 'title');
    const parse = rect(svg, 'parse');
    const extract = rect(svg, 'extract');
    const resolve = rect(svg, 'resolve');
    const persist = rect(svg, 'persist');
    expect(extract.x).toBeCloseTo(parse.x, 1);
    expect(extract.width / parse.width).toBeCloseTo(ratio('extract'), 1);
    expect(resolve.x).toBeCloseTo(extract.x + extract.width, 1);
    expect(resolve.width / parse.width).toBeCloseTo(ratio('resolve'), 1);
    expect(persist.x).toBeCloseTo(resolve.x + resolve.width, 1);
    expect(persist.width / parse.width).toBeCloseTo(ratio('persist'), 1);
    // Without the newer timings there is neither a split resolution nor a floor mark.
    expect(svg).not.toContain('class="solve"');
    expect(svg).not.toContain('class="floor"');
    // The target line sits at twice the bare parse.
    const target = /class="target" x1="([\d.]+)"/.exec(svg);
    expect(Number(target?.[1])).toBeCloseTo(parse.x + 2 * parse.width, 1);
    expect(svg).toContain("rounds' median 2.95×");
    expect(svg).toContain(`(${p.total.toFixed(2)}×)`);
  });

  it('splits the resolution into solver, nodes and edges, and in-memory graph, and marks the parse on the build’s threads', () => {
    const p = phases(stdlib);
    expect(p.parts.map((x) => x.phase)).toEqual(['extract', 'solve', 'graph', 'fill', 'persist']);
    expect(p.total).toBeCloseTo((stdlib.build_ms + stdlib.persist_ms) / stdlib.parse_ms, 6);
    const svg = benchChartSvg([{ label: 'stdlib', report: stdlib }], 'title');
    const parse = rect(svg, 'parse');
    const extract = rect(svg, 'extract');
    const solve = rect(svg, 'solve');
    const graph = rect(svg, 'graph');
    const fill = rect(svg, 'fill');
    expect(solve.x).toBeCloseTo(extract.x + extract.width, 1);
    expect(solve.width / parse.width).toBeCloseTo(stdlib.solve_ms / stdlib.parse_ms, 1);
    expect(graph.x).toBeCloseTo(solve.x + solve.width, 1);
    expect(graph.width / parse.width).toBeCloseTo((stdlib.build_ms - stdlib.extract_ms - stdlib.solve_ms - stdlib.fill_ms) / stdlib.parse_ms, 1);
    expect(fill.x).toBeCloseTo(graph.x + graph.width, 1);
    expect(fill.width / parse.width).toBeCloseTo(stdlib.fill_ms / stdlib.parse_ms, 1);
    expect(svg).not.toContain('class="resolve"');
    // The floor starts with the bar and is the parallel parse long, in the row's own unit.
    const floor = rect(svg, 'floor');
    expect(floor.x).toBeCloseTo(parse.x, 1);
    expect(floor.width / parse.width).toBeCloseTo(stdlib.parse_parallel_ms / stdlib.parse_ms, 2);
    expect(svg).toContain("bare parse on the build's threads");
    // Every legend entry lies inside the picture, which grew to hold its second line.
    const height = Number(/<svg [^>]*height="(\d+)"/.exec(svg)?.[1]);
    const texts = [...svg.matchAll(/<text x="([\d.]+)" y="([\d.]+)">/g)].map((m) => ({ x: Number(m[1]), y: Number(m[2]) }));
    expect(texts.length).toBeGreaterThan(5);
    for (const t of texts) expect(t.y).toBeLessThan(height);
  });

  it('escapes labels and titles', () => {
    const svg = benchChartSvg([{ label: '<a & b>', report: django }], 'x < "y"');
    expect(svg).toContain('&lt;a &amp; b&gt;');
    expect(svg).toContain('x &lt; &quot;y&quot;');
    expect(svg).not.toContain('<a & b>');
  });

  it('yantra-gnn bench-chart writes the SVG and reports each row; bad input is refused', async () => {
    const t = tempDir();
    cleanups.push(t.dispose);
    const out = path.join(t.dir, 'charts', 'cold.svg');
    const io = captureIO({}, t.dir);
    expect(await main(['bench-chart', path.join(BENCH, 'django.json'), '--out', out, '--json'], io)).toBe(0);
    expect(JSON.parse(io.out())).toEqual({ out, rows: [{ label: 'django', cold_ratio: 2.95 }] });
    expect(readFileSync(out, 'utf8')).toMatch(/^<svg [^>]*>/);

    const notReport = captureIO({}, t.dir);
    expect(await main(['bench-chart', path.join(BENCH, 'not-a-report.json'), '--out', path.join(t.dir, 'no.svg'), '--json'], notReport)).toBe(1);
    expect(JSON.parse(notReport.out())).toMatchObject({ error: { kind: 'bad_report' } });
    expect(existsSync(path.join(t.dir, 'no.svg'))).toBe(false);
    // A newer field that is present must be a number too.
    const badFill = captureIO({}, t.dir);
    expect(await main(['bench-chart', path.join(BENCH, 'bad-fill.json'), '--out', path.join(t.dir, 'no.svg'), '--json'], badFill)).toBe(1);
    expect(JSON.parse(badFill.out())).toMatchObject({ error: { kind: 'bad_report', message: expect.stringContaining('fill_ms') } });

    const noOut = captureIO({}, t.dir);
    expect(await main(['bench-chart', path.join(BENCH, 'django.json'), '--json'], noOut)).toBe(2);
    const none = captureIO({}, t.dir);
    expect(await main(['bench-chart', '--out', out, '--json'], none)).toBe(2);
  });
});
