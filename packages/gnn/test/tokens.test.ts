import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { describe, expect, it } from 'vitest';
import { estimateTokens } from '../src/context/tokens.js';
import { listFiles } from '../src/guard/shadow.js';

// The real tokenizer the workspace ships with (the local embedding model's WordPiece vocabulary).
const MODEL = path.join(os.homedir(), '.cache', 'yantra', 'models', 'all-MiniLM-L6-v2');
const FIX = path.join(import.meta.dirname, '..', 'fixtures');

describe('estimateTokens', () => {
  it('stays within -10%..+40% of a real tokenizer on Python source, per file and overall', () => {
    const tok = new Tokenizer(JSON.parse(readFileSync(path.join(MODEL, 'tokenizer.json'), 'utf8')), JSON.parse(readFileSync(path.join(MODEL, 'tokenizer_config.json'), 'utf8')));
    const files = [...listFiles(path.join(FIX, 'context')).map((f) => path.join(FIX, 'context', f)), ...listFiles(path.join(FIX, 'project')).map((f) => path.join(FIX, 'project', f))].filter((f) => f.endsWith('.py'));
    let est = 0;
    let real = 0;
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      if (text.length < 200) continue;
      const r = tok.encode(text, { add_special_tokens: false }).ids.length;
      const e = estimateTokens(text);
      est += e;
      real += r;
      expect(e / r, f).toBeGreaterThan(0.75);
      expect(e / r, f).toBeLessThan(1.6);
    }
    expect(real).toBeGreaterThan(500);
    expect(est / real).toBeGreaterThan(0.9);
    expect(est / real).toBeLessThan(1.4);
  });
});
