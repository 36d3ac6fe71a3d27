import type { Range } from './types.js';
import { redact } from '../secrets/redact.js';

/** Line starts of a text, for turning offsets into 1-based line and column. */
export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
  }

  position(offset: number): { line: number; col: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: offset - (this.starts[lo] as number) + 1 };
  }

  range(start: number, end: number): Range {
    const a = this.position(start);
    const b = this.position(end);
    return { startLine: a.line, startCol: a.col, endLine: b.line, endCol: b.col };
  }

  /** The whole lines covering a range (at most `maxLines`), redacted. */
  snippet(range: Range, maxLines = 5): string {
    const from = this.starts[range.startLine - 1] ?? 0;
    const lastLine = Math.min(range.endLine, range.startLine + maxLines - 1);
    const to = this.starts[lastLine] ?? this.text.length;
    return redact(this.text.slice(from, to).replace(/\n$/, ''));
  }
}
