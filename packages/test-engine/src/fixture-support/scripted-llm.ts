import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { okAsync, type ResultAsync } from 'neverthrow';

export const llmFixtureRoot = path.resolve(__dirname, '../../fixtures/llm');

export interface ScriptedLlm {
  readonly complete: (prompt: { system: string; user: string }) => ResultAsync<string, unknown>;
  readonly prompts: { system: string; user: string }[];
}

/** An LLM port that answers with `fixtures/llm/<case>/reply-N.md` in turn, repeating the last one. */
export async function scriptedLlm(caseName: string, count: number): Promise<ScriptedLlm> {
  const replies: string[] = [];
  for (let i = 1; i <= count; i += 1) replies.push(await readFile(path.join(llmFixtureRoot, caseName, `reply-${i}.md`), 'utf8'));
  const prompts: { system: string; user: string }[] = [];
  return {
    prompts,
    complete: (prompt) => {
      prompts.push(prompt);
      return okAsync(replies[Math.min(prompts.length, replies.length) - 1] ?? '');
    },
  };
}
