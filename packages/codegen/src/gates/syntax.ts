import { errAsync, okAsync, type ResultAsync } from 'neverthrow';
import { makeError } from '@yantra/shared';
import { runProcess, scrubEnv } from '@yantra/shared/node';
import type { Gate, GateVerdict, PortError } from '../pipeline/ports.js';

// Each file is compiled separately so every syntax error is reported, not just the first.
const COMPILE_SCRIPT = [
  'import sys, json, tokenize',
  'errors = []',
  'for f in sys.argv[1:]:',
  '    try:',
  '        with tokenize.open(f) as fh:',
  '            compile(fh.read(), f, "exec", dont_inherit=True)',
  '    except (SyntaxError, UnicodeDecodeError, ValueError) as e:',
  '        errors.append({"file": f, "line": getattr(e, "lineno", None), "message": getattr(e, "msg", str(e))})',
  'print(json.dumps(errors))',
].join('\n');

/**
 * Compiles every changed Python file with the real interpreter (`compile()`, as `py_compile` does, without writing bytecode) in the shadow
 * workspace, so a change that does not parse never reaches the other gates.
 */
export function createSyntaxGate(options: { readonly python: string; readonly timeoutMs?: number }): Gate {
  return {
    name: 'syntax',
    run: (ctx): ResultAsync<GateVerdict, PortError> => {
      const files = ctx.files.filter((f) => f.path.endsWith('.py')).map((f) => f.path);
      if (files.length === 0) return okAsync({ status: 'skipped', summary: 'no Python files changed' });
      return runProcess({
        argv: [options.python, '-c', COMPILE_SCRIPT, ...files],
        cwd: ctx.shadowRoot,
        env: scrubEnv(process.env, { set: { HOME: ctx.shadowRoot, PYTHONDONTWRITEBYTECODE: '1' } }),
        timeoutMs: options.timeoutMs ?? 30_000,
        ...(ctx.signal ? { signal: ctx.signal } : {}),
      })
        .mapErr((e): PortError => e)
        .andThen((r) => {
          if (r.exitCode !== 0) {
            return errAsync<GateVerdict, PortError>(makeError('python_failed', `py_compile could not run: ${r.stderr.trim().slice(0, 500)}`));
          }
          const errors = JSON.parse(r.stdout) as { file: string; line: number | null; message: string }[];
          if (errors.length === 0) return okAsync<GateVerdict, PortError>({ status: 'passed', summary: `${files.length} file(s) compile` });
          return okAsync<GateVerdict, PortError>({
            status: 'failed',
            summary: errors.map((e) => `${e.file}:${e.line ?? '?'}: SyntaxError: ${e.message}`).join('\n'),
            details: errors,
          });
        });
    },
  };
}
