import { silentLogger, type Logger } from '@yantra/shared';
import { createGraphEngine } from '@yantra/gnn';
import { ResultAsync } from 'neverthrow';

export interface GraphCollaboratorsOptions {
  /** The project root. */
  readonly workspace: string;
  /** The file under test, workspace-relative POSIX path. */
  readonly file: string;
  readonly logger?: Logger;
  readonly signal?: AbortSignal;
}

/**
 * Builds gnn's code graph (tree-sitter, in memory, nothing written to the project) and returns,
 * for each function and method defined in `file`, the names of what it calls: the collaborators
 * `generateTests` adds to the test plan (`graphCollaborators`). The graph resolves calls the
 * syntax of one function cannot, such as methods reached through imports. A graph that cannot be
 * built yields `{}`: generation then plans from the file's own syntax, as without a graph.
 */
export function graphCollaborators(options: GraphCollaboratorsOptions): ResultAsync<Record<string, string[]>, never> {
  const logger = options.logger ?? silentLogger;
  const engine = createGraphEngine({ root: options.workspace, dbPath: false, logger, ...(options.signal === undefined ? {} : { signal: options.signal }) });
  return engine
    .build()
    .map(() => {
      const file = options.file.split('\\').join('/');
      const defined: { id: string; name: string }[] = [];
      let moduleId: string | undefined;
      engine.graph.forEachNode((id, node) => {
        if (node.file !== file) return;
        if (node.kind === 'module') moduleId = id;
        else if (node.kind === 'function' || node.kind === 'method') defined.push({ id, name: node.name });
      });
      const out: Record<string, string[]> = {};
      for (const fn of defined) {
        const qualname = moduleId !== undefined && fn.id.startsWith(`${moduleId}.`) ? fn.id.slice(moduleId.length + 1) : fn.name;
        const names = [...new Set(engine.callees(fn.id).map((c) => c.name))].sort();
        if (names.length > 0) out[qualname] = names;
      }
      engine.close();
      return out;
    })
    .orElse((e) => {
      logger.warn('no code graph for the test plan; planning from the file alone', { kind: e.kind, message: e.message });
      engine.close();
      return ResultAsync.fromSafePromise<Record<string, string[]>, never>(Promise.resolve({}));
    });
}
