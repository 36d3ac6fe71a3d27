import { err, ok, type Result } from 'neverthrow';
import type { EditBlock } from './parse.js';

export type ApplyProblem =
  | { readonly kind: 'no_match'; readonly path: string; readonly line: number; readonly message: string }
  | { readonly kind: 'ambiguous'; readonly path: string; readonly line: number; readonly message: string; readonly matches: number }
  | { readonly kind: 'missing_file'; readonly path: string; readonly line: number; readonly message: string }
  | { readonly kind: 'unsafe_path'; readonly path: string; readonly line: number; readonly message: string };

/** Where a SEARCH text occurs in a file: character offsets of every match. */
function occurrences(haystack: string, needle: string): number[] {
  const out: number[] = [];
  let from = 0;
  for (;;) {
    const at = haystack.indexOf(needle, from);
    if (at < 0) return out;
    out.push(at);
    from = at + 1;
  }
}

/**
 * Whitespace-tolerant match: compares lines with trailing whitespace removed and leading
 * indentation allowed to differ by one constant offset. Returns matching line ranges.
 */
function fuzzyLineMatches(content: string, search: string): { start: number; end: number; indentDelta: string; removeIndent: number }[] {
  const fileLines = content.split('\n');
  const want = search.replace(/\n$/, '').split('\n');
  const norm = (s: string) => s.trimEnd();
  const out: { start: number; end: number; indentDelta: string; removeIndent: number }[] = [];
  const firstNonEmpty = want.findIndex((l) => l.trim() !== '');
  if (firstNonEmpty < 0) return out;
  for (let s = 0; s + want.length <= fileLines.length; s++) {
    const anchorFile = fileLines[s + firstNonEmpty] as string;
    const anchorWant = want[firstNonEmpty] as string;
    const fileIndent = anchorFile.length - anchorFile.trimStart().length;
    const wantIndent = anchorWant.length - anchorWant.trimStart().length;
    let good = true;
    for (let k = 0; k < want.length && good; k++) {
      const f = norm(fileLines[s + k] as string);
      const w = norm(want[k] as string);
      if (w.trim() === '' && f.trim() === '') continue;
      const fi = f.length - f.trimStart().length;
      const wi = w.length - w.trimStart().length;
      good = f.trimStart() === w.trimStart() && fi - wi === fileIndent - wantIndent;
    }
    if (good) {
      const delta = fileIndent - wantIndent;
      out.push({
        start: s,
        end: s + want.length,
        indentDelta: delta > 0 ? anchorFile.slice(0, delta) : '',
        removeIndent: delta < 0 ? -delta : 0,
      });
    }
  }
  return out;
}

function reindent(text: string, add: string, remove: number): string {
  if (add === '' && remove === 0) return text;
  return text
    .split('\n')
    .map((l, i, all) => {
      if (i === all.length - 1 && l === '') return l;
      if (l.trim() === '') return l;
      return remove > 0 ? l.replace(new RegExp(`^ {0,${remove}}`), '') : add + l;
    })
    .join('\n');
}

/**
 * Applies one block to a file's content (`null` when the file does not exist). Exact match
 * first, then whitespace-tolerant; a block that matches in two places or in none is an error.
 */
export function applyBlock(content: string | null, block: EditBlock): Result<string, ApplyProblem> {
  const where = { path: block.path, line: block.line };
  if (block.search.trim() === '') {
    if (content === null || content.trim() === '') return ok(block.replace);
    // An empty SEARCH on an existing file appends, which is what models mean by it.
    return ok(content.endsWith('\n') || content === '' ? content + block.replace : `${content}\n${block.replace}`);
  }
  if (content === null) {
    return err({ kind: 'missing_file', ...where, message: `${block.path} does not exist, but the block searches in it` });
  }
  const exact = occurrences(content, block.search);
  if (exact.length === 1) {
    const at = exact[0] as number;
    return ok(content.slice(0, at) + block.replace + content.slice(at + block.search.length));
  }
  if (exact.length > 1) {
    return err({
      kind: 'ambiguous',
      ...where,
      matches: exact.length,
      message: `the SEARCH text matches ${exact.length} places in ${block.path}; include more surrounding lines`,
    });
  }
  const fuzzy = fuzzyLineMatches(content, block.search);
  if (fuzzy.length === 1) {
    const m = fuzzy[0] as { start: number; end: number; indentDelta: string; removeIndent: number };
    const lines = content.split('\n');
    const replacement = reindent(block.replace, m.indentDelta, m.removeIndent).replace(/\n$/, '');
    const next = [...lines.slice(0, m.start), ...(replacement === '' ? [] : replacement.split('\n')), ...lines.slice(m.end)];
    return ok(next.join('\n'));
  }
  if (fuzzy.length > 1) {
    return err({
      kind: 'ambiguous',
      ...where,
      matches: fuzzy.length,
      message: `the SEARCH text matches ${fuzzy.length} places in ${block.path} (ignoring whitespace); include more surrounding lines`,
    });
  }
  return err({ kind: 'no_match', ...where, message: `the SEARCH text was not found in ${block.path}; copy the existing lines exactly` });
}
