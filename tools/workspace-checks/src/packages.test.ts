import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { workspacePackages } from './workspace.js';

const packages = workspacePackages();
const published = packages.filter((p) => !p.private);
const bins = packages.flatMap((p) => Object.entries(p.bins).map(([name, file]) => ({ name, file: path.join(p.dir, file) })));

function run(file: string, args: string[]): { code: number; stdout: string } {
  try {
    const stdout = execFileSync(process.execPath, [file, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return { code: 0, stdout };
  } catch (e) {
    const err = e as { status: number; stdout: string };
    return { code: err.status, stdout: err.stdout };
  }
}

describe('every bin honours the CLI contract (built output)', () => {
  it('has the bins the design names', () => {
    expect(bins.map((b) => b.name).sort()).toEqual(
      ['yantra', 'yantra-browser', 'yantra-git', 'yantra-gnn', 'yantra-learn', 'yantra-llm', 'yantra-security', 'yantra-test', 'yantra-ui'].sort(),
    );
  });

  for (const bin of bins) {
    it(`${bin.name} --help exits 0 and names itself`, () => {
      const r = run(bin.file, ['--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(bin.name);
    });

    it(`${bin.name} --version --json prints one JSON object`, () => {
      const r = run(bin.file, ['--version', '--json']);
      expect(r.code).toBe(0);
      const lines = r.stdout.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(JSON.parse(lines[0] as string)).toMatchObject({ name: bin.name, version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    });

    it(`${bin.name} exits 2 on bad usage`, () => {
      expect(run(bin.file, ['definitely-not-a-command', '--json']).code).toBe(2);
    });
  }
});

describe('npm pack lists only built files, README and package.json', () => {
  for (const pkg of published) {
    it(pkg.name, () => {
      const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: pkg.dir, encoding: 'utf8' });
      const [report] = JSON.parse(out) as [{ files: { path: string }[] }];
      const files = report.files.map((f) => f.path);
      expect(files).toContain('package.json');
      expect(files).toContain('README.md');
      expect(files.some((f) => f.startsWith('dist/'))).toBe(true);
      const stray = files.filter((f) => !(f.startsWith('dist/') || f === 'README.md' || f === 'package.json' || f === 'LICENSE'));
      expect(stray).toEqual([]);
      expect(files.filter((f) => /\.test\.|\.map$/.test(f))).toEqual([]);
    });
  }
});
