import { createHash } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ResultAsync } from 'neverthrow';
import { parse, stringify } from 'yaml';
import { describeUnknown, makeError, writeFileAtomic } from '@yantra/shared';
import type { SecurityError } from '../findings/types.js';

/**
 * Merges a rule directory into one YAML file, named by its content hash, in a cache directory.
 * semgrep validates each config file separately, and with the pack split by CWE class that
 * validation took about ten times longer than the scan itself; one file removes that cost.
 * A path that is already a file is used as it is.
 */
export function bundleRules(rulesPath: string, cacheDir = path.join(os.tmpdir(), 'yantra-security')): ResultAsync<string, SecurityError> {
  const work = async () => {
    const st = await fs.stat(rulesPath);
    if (st.isFile()) return rulesPath;
    const names = (await fs.readdir(rulesPath)).filter((n) => /\.ya?ml$/.test(n)).sort();
    if (names.length === 0) throw new Error(`no rule files (*.yaml) in ${rulesPath}`);
    const rules: unknown[] = [];
    for (const n of names) {
      const doc = parse(await fs.readFile(path.join(rulesPath, n), 'utf8')) as { rules?: unknown[] } | null;
      if (!doc || !Array.isArray(doc.rules)) throw new Error(`${n} has no rules list`);
      rules.push(...doc.rules);
    }
    const text = stringify({ rules }, { lineWidth: 0 });
    const hash = createHash('sha256').update(text).digest('hex').slice(0, 16);
    const file = path.join(cacheDir, `rules-${hash}.yaml`);
    if (!existsSync(file)) {
      await writeFileAtomic(file, text).match(
        () => undefined,
        (e) => {
          throw new Error(e.message);
        },
      );
    }
    return file;
  };
  return ResultAsync.fromPromise(work(), (e) =>
    makeError('bad_input', `cannot load the rule pack ${rulesPath}: ${describeUnknown(e)}`, { path: rulesPath }),
  );
}
