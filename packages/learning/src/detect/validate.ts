import { isCategory, isSeverity } from '../pattern.js';
import type { MistakeInput } from './inputs.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (o: Obj, k: string, required: boolean): string | null => {
  const v = o[k];
  if (v === undefined) return required ? `"${k}" is required` : null;
  return typeof v === 'string' ? null : `"${k}" must be a string`;
};
const num = (o: Obj, k: string): string | null => (o[k] === undefined || typeof o[k] === 'number' ? null : `"${k}" must be a number`);

/**
 * Checks that an untrusted value (for example parsed from `record --json-file`) is a
 * {@link MistakeInput}; returns the reason when it is not.
 */
export function validateMistakeInput(value: unknown): { ok: true; input: MistakeInput } | { ok: false; reason: string } {
  if (!isObj(value)) return { ok: false, reason: 'a mistake must be a JSON object' };
  const problems: (string | null)[] = [
    str(value, 'model', true),
    str(value, 'generatedCode', false),
    str(value, 'filePath', false),
    str(value, 'projectPath', false),
    num(value, 'timestamp'),
  ];
  if (typeof value['model'] === 'string' && value['model'].trim() === '') problems.push('"model" must not be empty');
  const nested = (key: string, fields: [string, boolean][], extra: (o: Obj) => (string | null)[] = () => []) => {
    const o = value[key];
    if (!isObj(o)) return problems.push(`"${key}" must be an object`);
    for (const [f, req] of fields) problems.push(str(o, f, req));
    problems.push(num(o, 'line'), ...extra(o));
    return 0;
  };
  switch (value['source']) {
    case 'test':
      nested('failure', [['nodeId', true], ['message', false], ['errorType', false], ['traceback', false], ['file', false]], (o) => [
        typeof o['message'] === 'string' || typeof o['traceback'] === 'string' ? null : '"failure" needs a "message" or a "traceback"',
      ]);
      break;
    case 'security':
      nested('finding', [['rule', true], ['message', true], ['file', false], ['snippet', false]], (o) => [
        ['critical', 'high', 'medium', 'low', 'info'].includes(String(o['severity'])) ? null : '"finding.severity" must be critical, high, medium, low or info',
        o['cwe'] === undefined || (Array.isArray(o['cwe']) && o['cwe'].every((c) => typeof c === 'string')) ? null : '"finding.cwe" must be an array of strings',
        o['range'] === undefined || (isObj(o['range']) && typeof o['range']['startLine'] === 'number') ? null : '"finding.range.startLine" must be a number',
      ]);
      break;
    case 'graph':
      nested('breakage', [['kind', true], ['symbol', true], ['message', true], ['file', false]]);
      break;
    case 'correction':
      problems.push(str(value, 'message', true), str(value, 'previousCode', false));
      break;
    case 'manual':
      problems.push(
        str(value, 'description', true),
        str(value, 'errorType', false),
        str(value, 'goodExample', false),
        isCategory(value['category']) ? null : `"category" must be one of the known categories`,
        isSeverity(value['severity']) ? null : '"severity" must be critical, major or minor',
      );
      break;
    default:
      return { ok: false, reason: '"source" must be test, security, graph, correction or manual' };
  }
  const first = problems.find((p): p is string => p !== null);
  return first === undefined ? { ok: true, input: value as unknown as MistakeInput } : { ok: false, reason: first };
}
