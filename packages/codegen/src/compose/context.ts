import type { ResultAsync } from 'neverthrow';
import { rankContext, renderContext, type GraphEngine } from '@yantra/gnn';
import type { ContextPort, PortError } from '../pipeline/ports.js';

/**
 * Project context for the prompt: gnn's personalized PageRank over the code graph, seeded by the
 * symbols and files the request mentions, fitted to the token budget (full source for the most
 * relevant symbols, signatures and docstrings for the rest).
 */
export function graphContextPort(projectGraph: () => ResultAsync<GraphEngine, PortError>): ContextPort {
  return {
    context: ({ request, intent, budgetTokens }) =>
      projectGraph().map((engine) =>
        renderContext(
          rankContext({ engine, mentions: [...intent.mentionedSymbols, ...intent.mentionedFiles], files: intent.mentionedFiles, budgetTokens, request }),
        ),
      ),
  };
}
