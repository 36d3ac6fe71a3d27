import { errAsync, ok } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import { settle } from './settle.js';

describe('settle', () => {
  it('turns Results and ResultAsyncs into tagged objects', async () => {
    expect(await settle(ok(1))).toEqual({ ok: true, value: 1 });
    expect(await settle(errAsync({ kind: 'x' }))).toEqual({ ok: false, error: { kind: 'x' } });
  });
});
