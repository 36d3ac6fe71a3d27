import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createGraphEngine, type GraphEngine } from '../src/index.js';
import { snapshot, tempDir } from './helpers.js';

function rng(seed: number) {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    return x / 0x80000000;
  };
}

const MODULES = ['pkg/__init__.py', 'pkg/a.py', 'pkg/b.py', 'pkg/sub/__init__.py', 'pkg/sub/c.py', 'main.py'];
const modName = (f: string) => f.replace(/\.py$/, '').replace(/\/__init__$/, '').replace(/\//g, '.');

/** A random but valid module: imports of siblings, functions calling imported names, classes with bases. */
function randomModule(r: () => number, self: string): string {
  const others = MODULES.filter((m) => m !== self && !m.endsWith('__init__.py'));
  const lines: string[] = [];
  const imported: string[] = [];
  for (const o of others) {
    if (r() < 0.5) continue;
    const n = Math.floor(r() * 3);
    lines.push(r() < 0.5 ? `from ${modName(o)} import f${n}, K${n}` : `import ${modName(o)} as m_${modName(o).replace(/\./g, '_')}`);
    imported.push(lines[lines.length - 1]?.startsWith('from') ? `f${n}` : `m_${modName(o).replace(/\./g, '_')}.f${n}`);
    if (lines[lines.length - 1]?.startsWith('from')) imported.push(`K${n}`);
  }
  if (r() < 0.3) lines.push(`__all__ = ['f0', 'K1']`);
  // Two module-level definitions of one name share a scope: before the functions the edits
  // target, or around the classes (after them).
  const dups = r();
  const dup = (k: number) => lines.push('def dup(a=1):', `    v${k} = f0()`, `    return v${k}`, '');
  if (dups < 0.25) {
    dup(0);
    dup(1);
  }
  const nf = 1 + Math.floor(r() * 3);
  for (let i = 0; i < nf; i++) {
    const callee = imported.length > 0 && r() < 0.7 ? imported[Math.floor(r() * imported.length)] : `f${Math.floor(r() * nf)}`;
    lines.push(`def f${i}(x=None, *args, **kw):`, `    """f${i} doc"""`, `    y = ${callee}()`, `    return y`, '');
  }
  if (dups >= 0.25 && dups < 0.5) dup(2);
  const nk = Math.floor(r() * 3);
  for (let i = 0; i < nk; i++) {
    const base = imported.find((n) => n.startsWith('K')) ?? 'object';
    lines.push(`class K${i}(${r() < 0.5 ? base : 'object'}):`, `    def m(self):`, `        return f0()`, '');
  }
  if (dups >= 0.25 && dups < 0.5) dup(3);
  if (r() < 0.4) lines.push('if True:', '    def broken(:', '        pass');
  lines.push(`RESULT = f0()`);
  return `${lines.join('\n')}\n`;
}

/** One edit inside the file: after a function's docstring, or to a whole def. */
function bodyEdit(src: string, r: () => number, step: number): string {
  const fns = [...src.matchAll(/^def (f\d)\(.*\n {4}"""[^\n]*\n/gm)];
  const at = fns[Math.floor(r() * fns.length)];
  if (!at || at.index === undefined) return `${src}\n_late_${step} = ${step}\n`;
  const end = at.index + at[0].length;
  const name = at[1] as string;
  const pick = r();
  // A fresh local bound to a constant: the fast path (no re-resolution).
  if (pick < 0.45) return `${src.slice(0, end)}    _t${step} = ${step}\n${src.slice(end)}`;
  // A constant local that shadows the name the body calls: resolution changes.
  if (pick < 0.6) {
    const callee = /^ {4}y = ([A-Za-z_]\w*)/m.exec(src.slice(end))?.[1] ?? 'f0';
    return `${src.slice(0, end)}    ${callee} = ${step}\n${src.slice(end)}`;
  }
  // A constant local that is read afterwards.
  if (pick < 0.7) return `${src.slice(0, end)}    _u${step} = 1\n    y = _u${step}\n${src.slice(end)}`;
  if (pick < 0.85) return src.replace(`def ${name}(`, `def g${step}(`);
  // Remove the whole def (up to the blank line after it).
  const stop = src.indexOf('\n\n', at.index);
  return src.slice(0, at.index) + (stop < 0 ? '' : src.slice(stop + 2));
}

const engines: GraphEngine[] = [];
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const e of engines.splice(0)) e.close();
  for (const c of cleanups.splice(0)) c();
});

async function cold(dir: string) {
  const e = createGraphEngine({ root: dir, dbPath: false });
  engines.push(e);
  (await e.build())._unsafeUnwrap();
  return snapshot(e);
}

describe('incremental update equals a cold build', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])('random edit sequence, seed %i', async (seed) => {
    const r = rng(seed);
    const t = tempDir();
    cleanups.push(t.dispose);
    for (const m of MODULES) {
      mkdirSync(path.dirname(path.join(t.dir, m)), { recursive: true });
      writeFileSync(path.join(t.dir, m), randomModule(r, m));
    }
    const e = createGraphEngine({ root: t.dir });
    engines.push(e);
    (await e.build())._unsafeUnwrap();
    let reused = 0;
    for (let step = 0; step < 25; step++) {
      const changed: string[] = [];
      const edits = 1 + Math.floor(r() * 2);
      for (let k = 0; k < edits; k++) {
        const m = MODULES[Math.floor(r() * MODULES.length)] as string;
        const file = path.join(t.dir, m);
        const roll = r();
        if (roll < 0.12) rmSync(file, { force: true });
        else if (roll < 0.45 && existsSync(file)) {
          // Body edits: constants assigned to fresh locals (resolution provably unchanged), locals
          // shadowing a module name, renamed and removed functions (resolution changes).
          writeFileSync(file, bodyEdit(readFileSync(file, 'utf8'), r, step));
        } else if (r() < 0.3 && existsSync(file)) {
          // A non-semantic edit (comment, docstring, shifted lines): the fast path must agree too.
          writeFileSync(file, `# edited ${step}\n${readFileSync(file, 'utf8').replace(/"{3}f(\d) doc"{3}/, `"""changed ${step}"""`)}`);
        } else {
          mkdirSync(path.dirname(file), { recursive: true });
          writeFileSync(file, randomModule(r, m));
        }
        changed.push(m);
      }
      if (!(await e.update(changed))._unsafeUnwrap().reresolved) reused++;
      expect(snapshot(e), `seed ${seed} step ${step}`).toEqual(await cold(t.dir));
    }
    // Some steps took the fast path (previous resolution reused), and it agreed with cold builds.
    expect(reused).toBeGreaterThan(0);
    // The persisted deltas add up too: a fresh engine loads exactly the same graph.
    const loaded = createGraphEngine({ root: t.dir });
    engines.push(loaded);
    expect((await loaded.open())._unsafeUnwrap().mode).toBe('loaded');
    expect(snapshot(loaded)).toEqual(await cold(t.dir));
    // A loaded engine keeps updating correctly (its forms are read back from the database).
    e.close();
    for (let step = 0; step < 6; step++) {
      const m = MODULES.filter((x) => existsSync(path.join(t.dir, x)))[Math.floor(r() * MODULES.length) % 3];
      if (!m) break;
      const file = path.join(t.dir, m);
      writeFileSync(file, step % 2 === 0 ? bodyEdit(readFileSync(file, 'utf8'), r, 100 + step) : randomModule(r, m));
      (await loaded.update([m]))._unsafeUnwrap();
      expect(snapshot(loaded), `seed ${seed} after open, step ${step}`).toEqual(await cold(t.dir));
    }
  });
});
