/**
 * Parses the SEARCH/REPLACE edit format:
 *
 *     path/to/file.py
 *     <<<<<<< SEARCH
 *     (exact existing lines; empty to create a new file)
 *     =======
 *     (replacement lines)
 *     >>>>>>> REPLACE
 *
 * The path line may be wrapped in backticks or bold markers, and blocks may sit inside
 * ``` fences; both are common in model output.
 */

export interface EditBlock {
  readonly path: string;
  readonly search: string;
  readonly replace: string;
  /** 1-based line of the `<<<<<<< SEARCH` marker in the model output, for feedback. */
  readonly line: number;
}

export interface ParseProblem {
  readonly line: number;
  readonly message: string;
}

export interface ParsedEdits {
  readonly blocks: readonly EditBlock[];
  readonly problems: readonly ParseProblem[];
}

const SEARCH = /^\s*<{5,9} ?SEARCH\s*$/;
const DIVIDER = /^\s*={5,9}\s*$/;
const REPLACE = /^\s*>{5,9} ?REPLACE\s*$/;
const FENCE = /^\s*```/;

function cleanPath(line: string): string | undefined {
  let s = line.trim();
  s = s.replace(/^#+\s*/, '').replace(/^(\*\*|__)(.*)\1$/, '$2').replace(/^`+|`+$/g, '').replace(/:$/, '').trim();
  s = s.replace(/^(file|path)\s*:\s*/i, '').trim();
  if (s === '' || /\s/.test(s) || s.startsWith('```')) return undefined;
  if (!/^[\w./-]+$/.test(s)) return undefined;
  return s;
}

export function parseEditBlocks(text: string): ParsedEdits {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const blocks: EditBlock[] = [];
  const problems: ParseProblem[] = [];
  let currentPath: string | undefined;
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] as string;
    if (SEARCH.test(line)) {
      const start = i + 1;
      // The path is the nearest non-fence, non-empty line above the marker.
      let j = i - 1;
      while (j >= 0 && (FENCE.test(lines[j] as string) || (lines[j] as string).trim() === '')) j--;
      const candidate = j >= 0 ? cleanPath(lines[j] as string) : undefined;
      const path = candidate ?? currentPath;
      const search: string[] = [];
      const replace: string[] = [];
      i++;
      while (i < lines.length && !DIVIDER.test(lines[i] as string)) search.push(lines[i++] as string);
      if (i >= lines.length) {
        problems.push({ line: start, message: 'SEARCH block without a ======= divider' });
        break;
      }
      i++;
      while (i < lines.length && !REPLACE.test(lines[i] as string)) replace.push(lines[i++] as string);
      if (i >= lines.length) {
        problems.push({ line: start, message: 'block without a >>>>>>> REPLACE marker' });
        break;
      }
      i++;
      if (path === undefined) {
        problems.push({ line: start, message: 'edit block without a file path line before it' });
        continue;
      }
      currentPath = path;
      blocks.push({ path, search: joinLines(search), replace: joinLines(replace), line: start });
      continue;
    }
    i++;
  }
  return { blocks, problems };
}

function joinLines(lines: string[]): string {
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
