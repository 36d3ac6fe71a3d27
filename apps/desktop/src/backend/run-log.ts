import type { RunEvent } from '@yantra/codegen';
import type { SequencedEvent } from '../protocol/messages.js';

export interface RunLogOptions {
  /** How many events to keep; older ones are dropped first. Default 50,000. */
  readonly capacity?: number;
}

/**
 * The backend's in-memory log of run events. Every event gets the next sequence number, so a
 * client that reconnects can ask for everything after the last number it saw and lose nothing.
 */
export interface RunLog {
  append(event: RunEvent): SequencedEvent;
  /** Events with `seq > afterSeq`, oldest first. */
  since(afterSeq: number): readonly SequencedEvent[];
  /** Events of one run, oldest first. */
  ofRun(runId: string): readonly SequencedEvent[];
  readonly lastSeq: number;
}

export function createRunLog(options: RunLogOptions = {}): RunLog {
  const capacity = options.capacity ?? 50_000;
  let events: SequencedEvent[] = [];
  let lastSeq = 0;
  return {
    append(event) {
      lastSeq += 1;
      const entry = { seq: lastSeq, event };
      events.push(entry);
      // Trim in chunks so that appending stays O(1) amortised.
      if (events.length > capacity * 1.25) events = events.slice(events.length - capacity);
      return entry;
    },
    since(afterSeq) {
      if (events.length === 0 || afterSeq >= lastSeq) return [];
      const first = (events[0] as SequencedEvent).seq;
      const start = Math.max(0, afterSeq + 1 - first);
      return events.slice(start);
    },
    ofRun(runId) {
      return events.filter((e) => e.event.runId === runId);
    },
    get lastSeq() {
      return lastSeq;
    },
  };
}
