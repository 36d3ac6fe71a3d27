// Child process for db-killed.slow.test.ts: builds, then keeps rewriting files and updating the
// database until it is killed with SIGKILL.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createGraphEngine } from '../src/index.js';

const root = process.argv[2] as string;
const engine = createGraphEngine({ root });
(await engine.build())._unsafeUnwrap();
process.stdout.write('built\n');
for (let i = 0; ; i++) {
  const file = path.join(root, `gen_${i % 20}.py`);
  const body = Array.from({ length: 200 }, (_, k) => `def g${k}_${i}():\n    return g${Math.max(0, k - 1)}_${i}()\n`).join('\n');
  writeFileSync(file, body);
  (await engine.update([file]))._unsafeUnwrap();
}
