import { describe, expect, it } from 'vitest';
import { MODEL_DIR } from '../test-support.js';
import { createLocalEmbedder } from './minilm.js';
import { cosine } from './port.js';

describe('local MiniLM embedder (real model)', () => {
  const embedder = createLocalEmbedder({ modelDir: MODEL_DIR });

  it('returns 384-dim unit vectors, the same for the same text, batched or not', async () => {
    const [a, b, c] = (await embedder.embed(['forgot to await the coroutine', 'forgot to await the coroutine', 'hello world']))._unsafeUnwrap();
    expect(embedder.dims).toBe(384);
    expect(a).toHaveLength(384);
    expect(cosine(a!, a!)).toBeCloseTo(1, 4);
    expect(Array.from(a!)).toEqual(Array.from(b!));
    const [alone] = (await embedder.embed(['forgot to await the coroutine']))._unsafeUnwrap();
    // Padding in a batch must not change the vector (mean pooling uses the attention mask).
    expect(cosine(alone!, a!)).toBeGreaterThan(0.9999);
    expect(cosine(a!, c!)).toBeLessThan(0.5);
  });

  it('puts similar mistakes closer than unrelated ones', async () => {
    const [awaitMissing, asyncNoAwait, sqlFString] = (
      await embedder.embed(['forgot to await the coroutine', 'async call without await', 'SQL built with f-string'])
    )._unsafeUnwrap();
    const close = cosine(awaitMissing!, asyncNoAwait!);
    const far = cosine(awaitMissing!, sqlFString!);
    expect(close).toBeGreaterThan(far + 0.2);
  });

  it('reports a missing model folder as embedder_unavailable', async () => {
    const missing = createLocalEmbedder({ modelDir: '/nonexistent/model' });
    expect((await missing.embed(['x']))._unsafeUnwrapErr()).toMatchObject({ kind: 'embedder_unavailable', retryable: false });
  });
});
