/** One fenced code block. `complete` is false for a block still open at the end of a partial stream. */
export interface CodeBlock {
  /** The info string's first word (`python` in ```` ```python title="x" ````), or '' when absent. */
  readonly language: string;
  readonly code: string;
  readonly complete: boolean;
}

const OPEN = /^( {0,3})(`{3,}|~{3,})[ \t]*([^\s`]*)[^`\n]*$/;

/**
 * Extracts fenced code blocks (backtick or tilde fences, CommonMark rules for fence length) with
 * their language. Works on partial text: an unclosed final block is returned with `complete: false`.
 */
export function extractCodeBlocks(text: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = text.split('\n');
  let open: { fence: string; indent: number; language: string; body: string[] } | undefined;
  for (const line of lines) {
    if (!open) {
      const m = OPEN.exec(line);
      if (m) open = { fence: m[2] as string, indent: (m[1] as string).length, language: (m[3] as string).toLowerCase(), body: [] };
      continue;
    }
    const trimmed = line.trimStart();
    const fenceChar = open.fence[0] as string;
    if (
      line.length - trimmed.length <= 3 &&
      trimmed.startsWith(open.fence) &&
      new RegExp(`^\\${fenceChar}+[ \\t]*$`).test(trimmed)
    ) {
      blocks.push({ language: open.language, code: open.body.join('\n'), complete: true });
      open = undefined;
      continue;
    }
    // CommonMark strips up to the opening fence's indentation from content lines.
    const strip = Math.min(open.indent, line.length - line.trimStart().length);
    open.body.push(line.slice(strip));
  }
  if (open) blocks.push({ language: open.language, code: open.body.join('\n'), complete: false });
  return blocks;
}

/**
 * Incremental extraction for streams: feed deltas, get each block once, as soon as its closing
 * fence arrives. `flush()` returns the still-open block, if any, at the end of the stream.
 */
export interface CodeBlockStream {
  push(delta: string): CodeBlock[];
  flush(): CodeBlock[];
}

export function createCodeBlockStream(): CodeBlockStream {
  let text = '';
  let emitted = 0;
  return {
    push(delta) {
      text += delta;
      // Only whole lines can close a fence; a trailing partial line might still become one.
      const cut = text.lastIndexOf('\n');
      if (cut < 0) return [];
      const done = extractCodeBlocks(text.slice(0, cut + 1)).filter((b) => b.complete);
      const fresh = done.slice(emitted);
      emitted = done.length;
      return fresh;
    },
    flush() {
      const all = extractCodeBlocks(text);
      const rest = all.slice(emitted);
      emitted = all.length;
      return rest;
    },
  };
}
