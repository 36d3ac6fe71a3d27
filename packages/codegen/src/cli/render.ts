import type { FinalOutcome, RunEvent } from '../events.js';

/**
 * Renders run events as human progress lines (for stderr). Token deltas are summarised, not
 * echoed, so the display stays readable; `--verbose` callers can show them.
 */
export function createProgressRenderer(write: (text: string) => void, options: { showTokens?: boolean } = {}) {
  let tokens = 0;
  return (event: RunEvent) => {
    switch (event.type) {
      case 'run_started':
        write(`yantra: ${event.request}\n`);
        break;
      case 'stage_started':
        if (event.stage === 'generate') tokens = 0;
        write(`  … ${event.stage}${event.attempt > 1 ? ` (attempt ${event.attempt})` : ''}\n`);
        break;
      case 'token':
        tokens += 1;
        if (options.showTokens) write(event.text);
        break;
      case 'stage_finished': {
        const mark = event.ok ? '✓' : '✗';
        const extra = event.stage === 'generate' ? ` ${tokens} chunks` : '';
        write(`  ${mark} ${event.stage} ${event.ms} ms${extra}${event.summary ? ` — ${firstLine(event.summary)}` : ''}\n`);
        break;
      }
      case 'repair':
        write(`  ↻ repair: ${firstLine(event.feedback)}\n`);
        break;
      case 'intent':
        if (event.ambiguity.length > 0) write(`  ? ambiguous (${firstLine(event.ambiguity.join('; '))}): ${event.source === 'llm' ? 'the LLM settled the intent' : 'kept the parse'}\n`);
        break;
      default:
        break;
    }
  };
}

function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}

/** The closing summary table of a run. */
export function summaryTable(outcome: FinalOutcome): string {
  const rows: [string, string][] = [
    ['status', outcome.status],
    ['commit', outcome.commit ?? '-'],
    ['files', outcome.files.join(', ') || '-'],
    ['attempts', String(outcome.attempts)],
    ...(['syntax', 'graph', 'security', 'tests', 'browser'] as const).map((g): [string, string] => [g, outcome.gates[g] ?? '-']),
    ['tokens', `${outcome.usage.inputTokens} in / ${outcome.usage.outputTokens} out`],
    ['cost', `$${outcome.costUsd.toFixed(4)}`],
    ['time', `${(outcome.ms / 1000).toFixed(1)} s`],
  ];
  if (outcome.dropped && outcome.dropped.length > 0) rows.push(['dropped', outcome.dropped.map((d) => `${d.path} (${d.reason})`).join(', ')]);
  if (outcome.reason) rows.push(['reason', outcome.reason]);
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n');
}
