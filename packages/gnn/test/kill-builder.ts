// Child process for db-killed-build.slow.test.ts: cold-builds again and again (the database written
// on the writer thread), changing a file between builds, until it is killed with SIGKILL.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createGraphEngine } from '../src/index.js';

const root = process.argv[2] as string;
const engine = createGraphEngine({ root, parallelThreshold: 1, parseWorkers: 0 });
for (let i = 0; ; i++) {
  const report = (await engine.build())._unsafeUnwrap();
  if (report.persistMode !== 'worker') throw new Error(`written on ${report.persistMode}`);
  if (i === 0) process.stdout.write('built\n');
  const body = Array.from({ length: 100 }, (_, k) => `def h${k}_${i}():\n    return h${Math.max(0, k - 1)}_${i}()\n`).join('\n');
  writeFileSync(path.join(root, 'pkg', 'changing.py'), body);
}
