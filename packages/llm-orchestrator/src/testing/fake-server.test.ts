import { afterEach, describe, expect, it } from 'vitest';
import { startFakeLlmServer, type FakeLlmServer } from '../testing.js';

let server: FakeLlmServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const post = (url: string, body: unknown) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

function sseData(text: string): string[] {
  return text
    .split('\n\n')
    .filter(Boolean)
    .map((block) => block.split('\n').find((l) => l.startsWith('data: '))?.slice(6) ?? '');
}

describe('fake LLM server wire formats', () => {
  it('speaks the Anthropic SSE event sequence', async () => {
    server = await startFakeLlmServer({ script: [{ text: 'abcdef', chunkSize: 3, usage: { inputTokens: 4, outputTokens: 2 } }] });
    const res = await post(`${server.anthropicBaseUrl}/v1/messages`, { model: 'm', stream: true, messages: [{ role: 'user', content: 'hi' }] });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const text = await res.text();
    const events = [...text.matchAll(/^event: (\w+)$/gm)].map((m) => m[1]);
    expect(events).toEqual([
      'message_start',
      'content_block_start',
      'ping',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    const delta = JSON.parse(sseData(text)[6] as string) as { usage: { output_tokens: number }; delta: { stop_reason: string } };
    expect(delta).toMatchObject({ usage: { output_tokens: 2 }, delta: { stop_reason: 'end_turn' } });
  });

  it('speaks OpenAI chunks ending in [DONE], with a usage chunk only when asked', async () => {
    server = await startFakeLlmServer({ script: [{ text: 'hello' }, { text: 'hello' }] });
    const withUsage = sseData(await (await post(`${server.openaiBaseUrl}/chat/completions`, { model: 'm', stream: true, stream_options: { include_usage: true }, messages: [] })).text());
    const without = sseData(await (await post(`${server.openaiBaseUrl}/chat/completions`, { model: 'm', stream: true, messages: [] })).text());
    expect(withUsage.at(-1)).toBe('[DONE]');
    expect(without.at(-1)).toBe('[DONE]');
    expect(withUsage).toHaveLength(without.length + 1);
    expect(JSON.parse(withUsage.at(-2) as string)).toMatchObject({ choices: [], usage: { completion_tokens: 2 } });
  });

  it('answers non-streaming requests, records every request, and fails loudly when the script runs out', async () => {
    server = await startFakeLlmServer({ script: [{ text: 'one' }] });
    const a = (await (await post(`${server.url}/v1/messages`, { model: 'claude-x', messages: [{ role: 'user', content: 'q1' }] })).json()) as { content: { text: string }[] };
    expect(a.content[0]?.text).toBe('one');
    const b = await post(`${server.url}/v1/messages`, { model: 'claude-x', messages: [{ role: 'user', content: 'q2' }] });
    expect(b.status).toBe(500);
    expect(await b.json()).toEqual({ type: 'error', error: { type: 'api_error', message: 'fake LLM server: script exhausted' } });
    server.push({ fault: 'rate_limited', retryAfterS: 7 });
    const c = await post(`${server.openaiBaseUrl}/chat/completions`, { model: 'gpt-x', messages: [{ role: 'user', content: 'q3' }] });
    expect(c.status).toBe(429);
    expect(c.headers.get('retry-after')).toBe('7');
    expect(server.requests.map((r) => [r.api, r.model, r.prompt, r.stream])).toEqual([
      ['anthropic', 'claude-x', 'q1', false],
      ['anthropic', 'claude-x', 'q2', false],
      ['openai', 'gpt-x', 'q3', false],
    ]);
    expect((await fetch(`${server.url}/nope`)).status).toBe(404);
  });

  it('close() ends hung requests', async () => {
    server = await startFakeLlmServer({ script: [{ fault: 'hang' }] });
    const pending = post(`${server.url}/v1/messages`, { model: 'm', messages: [] }).then(
      () => 'answered',
      () => 'dropped',
    );
    await new Promise((r) => setTimeout(r, 50));
    await server.close();
    server = undefined;
    expect(await pending).toBe('dropped');
  });
});
