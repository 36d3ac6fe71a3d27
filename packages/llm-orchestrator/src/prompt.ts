import { err, ok, type Result } from 'neverthrow';
import type { LlmError } from './errors.js';
import type { ChatMessage, CompletionRequest, ContextBlock } from './request.js';

/** A provider-neutral prompt: system text plus alternating turns ending with the user. */
export interface BuiltPrompt {
  readonly system?: string;
  readonly messages: readonly ChatMessage[];
}

function renderContext(blocks: readonly ContextBlock[]): string {
  return blocks.map((b) => `<context title="${b.title.replace(/"/g, "'")}">\n${b.content}\n</context>`).join('\n\n');
}

/**
 * Folds system text, context blocks and the user request into one neutral prompt. Context goes
 * into the final user turn (before the request) so that every provider sees it the same way.
 */
export function buildPrompt(request: CompletionRequest): Result<BuiltPrompt, LlmError> {
  const messages: ChatMessage[] = [...(request.messages ?? [])];
  if (request.prompt !== undefined) messages.push({ role: 'user', content: request.prompt });
  const last = messages.at(-1);
  if (!last || last.role !== 'user' || last.content.trim() === '') {
    return err({
      kind: 'invalid_request',
      message: 'the request needs a non-empty prompt or messages ending with a user turn',
      retryable: false,
      field: 'prompt',
    });
  }
  const context = request.context ?? [];
  if (context.length > 0) {
    messages[messages.length - 1] = { role: 'user', content: `${renderContext(context)}\n\n${last.content}` };
  }
  const system = request.system?.trim();
  return ok(system ? { system, messages } : { messages });
}

/** Anthropic Messages shape: `system` is a top-level field, turns are content strings. */
export function toAnthropicMessages(prompt: BuiltPrompt): {
  system?: string;
  messages: { role: 'user' | 'assistant'; content: string }[];
} {
  const messages = prompt.messages.map((m) => ({ role: m.role, content: m.content }));
  return prompt.system === undefined ? { messages } : { system: prompt.system, messages };
}

/** OpenAI Chat Completions shape: the system text is the first message. */
export function toOpenAIMessages(prompt: BuiltPrompt): { role: 'system' | 'user' | 'assistant'; content: string }[] {
  const turns = prompt.messages.map((m) => ({ role: m.role, content: m.content }));
  return prompt.system === undefined ? turns : [{ role: 'system' as const, content: prompt.system }, ...turns];
}
