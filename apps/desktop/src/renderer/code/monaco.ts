/**
 * Loads Monaco (in its own chunk, after first paint) with the Python and HTML contributions and
 * an explicit worker, as Monaco 0.56+ requires.
 */
import * as monaco from 'monaco-editor/editor/editor.api';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import 'monaco-editor/languages/definitions/python/register';
import 'monaco-editor/languages/definitions/html/register';

(self as unknown as { MonacoEnvironment: { getWorker(id: string, label: string): Worker } }).MonacoEnvironment = {
  getWorker: () => new EditorWorker(),
};

monaco.editor.defineTheme('yantra-dark', {
  base: 'vs-dark',
  inherit: true,
  rules: [],
  colors: { 'editor.background': '#0b1120' },
});

export { monaco };

export function languageOf(path: string): string {
  if (path.endsWith('.py') || path.endsWith('.pyi')) return 'python';
  if (path.endsWith('.html') || path.endsWith('.htm')) return 'html';
  return 'plaintext';
}
