import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { captureIO } from '@yantra/shared/testing';
import { benchChartSvg, phases, type ChartReport } from '../src/bench-chart.js';
import { main } from '../src/cli.js';
import { tempDir } from './helpers.js';

const BENCH = path.join(import.meta.dirname, '..', 'fixtures', 'bench');
const django = JSON.parse(readFileSync(path.join(BENCH, 'django.json'), 'utf8')) as ChartReport;

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** The numeric attributes of the first element matching `class="<cls>"`. */
function rect(svg: string, cls: string): { x: number; width: number } {
  const m = new RegExp(`class="${cls}" x="([\\d.]+)" [^>]*width="([\\d.]+)"`).exec(svg);
  if (!m) throw new Error(`no ${cls} in the chart`);
  return { x: Number(m[1]), width: Number(m[2]) };
}

describe('bench chart', () => {
  it('draws the bare parse as one unit and the build phases stacked in that unit', () => {
    const p = phases(django);
    // The phases add up to the report's own ratio (both are (build + persist) / parse).
    expect(p.total).toBeCloseTo((django.build_ms + django.persist_ms) / django.parse_ms, 6);
    const svg = benchChartSvg([{ label: 'Django', report: django }], 'title');
    const parse = rect(svg, 'parse');
    const extract = rect(svg, 'extract');
    const resolve = rect(svg, 'resolve');
    const persist = rect(svg, 'persist');
    expect(extract.x).toBeCloseTo(parse.x, 1);
    expect(extract.width / parse.width).toBeCloseTo(p.extract, 1);
    expect(resolve.x).toBeCloseTo(extract.x + extract.width, 1);
    expect(resolve.width / parse.width).toBeCloseTo(p.resolve, 1);
    expect(persist.width / parse.width).toBeCloseTo(p.persist, 1);
    // The target line sits at twice the bare parse.
    const target = /class="target" x1="([\d.]+)"/.exec(svg);
    expect(Number(target?.[1])).toBeCloseTo(parse.x + 2 * parse.width, 1);
    expect(svg).toContain("rounds' median 2.95×");
    expect(svg).toContain(`(${p.total.toFixed(2)}×)`);
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

    const noOut = captureIO({}, t.dir);
    expect(await main(['bench-chart', path.join(BENCH, 'django.json'), '--json'], noOut)).toBe(2);
    const none = captureIO({}, t.dir);
    expect(await main(['bench-chart', '--out', out, '--json'], none)).toBe(2);
  });
});
