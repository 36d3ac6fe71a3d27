import { ResultAsync } from 'neverthrow';
import { silentLogger, type Logger } from '@yantra/shared';
import { COMMIT_TYPES, MAX_SUBJECT_LENGTH, validateCommitMessage } from './conventional.js';
import { fallbackCommitMessage, type ChangedFile } from './message-fallback.js';

/**
 * The LLM port: a prompt in, the completion text out. Yantra's composer wires
 * llm-orchestrator here; this package never knows which model answers.
 */
export type MessageGenerator = (prompt: string, options: { readonly signal?: AbortSignal }) => ResultAsync<string, unknown>;

/** What a message is generated from. */
export interface MessageInput {
  /** The user's request that led to the change. */
  readonly request: string;
  readonly files: readonly ChangedFile[];
  /** The unified diff of the change (truncated in the prompt). */
  readonly patch?: string;
}

export interface GenerateMessageOptions {
  /** The LLM port. Without it, the deterministic fallback is used. */
  readonly generator?: MessageGenerator;
  /** LLM attempts before falling back; each retry tells the model what was wrong. Default 2. */
  readonly maxAttempts?: number;
  /** Characters of diff put into the prompt. Default 12,000. */
  readonly maxDiffChars?: number;
  readonly logger?: Logger;
  readonly signal?: AbortSignal;
}

/** A generated message and where it came from. */
export interface GeneratedMessage {
  readonly message: string;
  readonly source: 'llm' | 'fallback';
  /** LLM calls made (0 without a generator). */
  readonly attempts: number;
  /** Why earlier LLM answers were rejected (empty when the first was accepted). */
  readonly rejected: readonly string[];
}

const KIND_LETTER = { added: 'A', modified: 'M', deleted: 'D' } as const;

/** The prompt sent to the LLM port; exported so callers can log or test it. */
export function buildMessagePrompt(input: MessageInput, maxDiffChars = 12_000, feedback?: { answer: string; problems: readonly string[] }): string {
  const files = input.files
    .slice(0, 60)
    .map((f) => `${KIND_LETTER[f.kind]} ${f.path}${f.additions !== undefined ? ` (+${f.additions} -${f.deletions ?? 0})` : ''}`);
  if (input.files.length > 60) files.push(`… and ${input.files.length - 60} more files`);
  const patch = input.patch ?? '';
  const diff = patch.length > maxDiffChars ? `${patch.slice(0, maxDiffChars)}\n… (diff truncated)` : patch;
  const lines = [
    'Write the git commit message for the change below, in the Conventional Commits format.',
    'Rules:',
    `- First line: type(scope): description. type is one of: ${COMMIT_TYPES.join(', ')}. The scope is optional, lower-case.`,
    `- The first line has at most ${MAX_SUBJECT_LENGTH} characters, uses the imperative mood ("add", not "added" or "adds"), starts lower-case and has no trailing period.`,
    '- Optionally, after a blank line, a short body saying what changed and why, wrapped at 72 characters.',
    '- Reply with the commit message only: no code fences, no commentary, no trailers.',
    '',
    `Request: ${input.request.trim() || '(none given)'}`,
    '',
    'Files changed:',
    ...files,
    '',
    'Diff:',
    diff || '(no textual diff)',
  ];
  if (feedback) {
    lines.push('', 'Your previous answer was rejected:', feedback.answer.trim(), 'Problems:', ...feedback.problems.map((p) => `- ${p}`), 'Write a corrected message.');
  }
  return lines.join('\n');
}

/** Strips what models wrap messages in (fences, labels, trailers) and fixes harmless casing. */
export function tidyModelAnswer(answer: string): string {
  let text = answer.replace(/\r\n/g, '\n').trim();
  const fenced = /^```[a-z]*\n([\s\S]*?)\n```$/.exec(text);
  if (fenced) text = (fenced[1] ?? '').trim();
  text = text.replace(/^(commit message|message)\s*:\s*\n?/i, '').trim();
  // Trailers are Yantra's to write (the gate adds Yantra-Run); never trust a model's.
  text = text
    .split('\n')
    .filter((line) => !/^Yantra-[A-Za-z-]+:/.test(line))
    .join('\n')
    .trim();
  const [header = '', ...rest] = text.split('\n');
  const fixed = header
    .replace(/^([a-z]+(?:\([^)]*\))?!?: )([A-Z])([a-z])/, (_m, p: string, c: string, n: string) => `${p}${c.toLowerCase()}${n}`)
    .replace(/\.$/, '');
  return [fixed, ...rest].join('\n');
}

async function generate(input: MessageInput, options: GenerateMessageOptions): Promise<GeneratedMessage> {
  const logger = options.logger ?? silentLogger;
  const generator = options.generator;
  const rejected: string[] = [];
  let attempts = 0;
  if (generator) {
    const maxAttempts = Math.max(1, options.maxAttempts ?? 2);
    let feedback: { answer: string; problems: readonly string[] } | undefined;
    while (attempts < maxAttempts && !options.signal?.aborted) {
      attempts++;
      const prompt = buildMessagePrompt(input, options.maxDiffChars, feedback);
      let answer: string | undefined;
      try {
        answer = await generator(prompt, options.signal ? { signal: options.signal } : {}).match(
          (text) => text,
          () => undefined,
        );
      } catch {
        answer = undefined; // A port that throws instead of returning an error is treated the same.
      }
      if (answer === undefined) {
        rejected.push('the generator failed');
        logger.warn('commit message generator failed; falling back', { attempt: attempts });
        break; // A failing port will not improve on retry here; the orchestrator already retried.
      }
      const message = tidyModelAnswer(answer);
      const check = validateCommitMessage(message);
      if (check.valid) return { message: `${message.trim()}\n`, source: 'llm', attempts, rejected };
      rejected.push(check.problems.join('; '));
      logger.debug('generated commit message rejected', { problems: check.problems });
      feedback = { answer: message, problems: check.problems };
    }
  }
  return { message: fallbackCommitMessage(input.files, input.request), source: 'fallback', attempts, rejected };
}

/**
 * Generates a Conventional Commit message: asks the LLM port, validates the answer, asks
 * again with the problems listed, and falls back to the deterministic message. Never fails:
 * the fallback is always valid.
 */
export function generateCommitMessage(input: MessageInput, options: GenerateMessageOptions = {}): ResultAsync<GeneratedMessage, never> {
  return ResultAsync.fromSafePromise(generate(input, options));
}
