import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const appDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.name.endsWith('.test.ts')) continue;
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/**
 * Browser tests load the built renderer (as users do). Build it once when the sources are newer
 * than the build; tests otherwise run against sources.
 */
export default async function setup(): Promise<void> {
  if (process.env['YANTRA_FAST'] === '1') return;
  const index = path.join(appDir, 'dist', 'renderer', 'index.html');
  const sources = Math.max(newest(path.join(appDir, 'src', 'renderer')), newest(path.join(appDir, 'src', 'protocol')), statSync(path.join(appDir, 'src', 'layout.ts')).mtimeMs);
  if (existsSync(index) && statSync(index).mtimeMs > sources) return;
  await build({ configFile: path.join(appDir, 'vite.config.ts'), root: path.join(appDir, 'src', 'renderer'), logLevel: 'warn' });
}
