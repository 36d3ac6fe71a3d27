import os from 'node:os';
import path from 'node:path';

/** The per-user directories Yantra uses, resolved from an environment (never read at import). */
export interface UserDirs {
  /** `$XDG_CONFIG_HOME/yantra`: `llm_config.json` and other settings. */
  readonly config: string;
  /** `$XDG_CACHE_HOME/yantra`: models and tools. */
  readonly cache: string;
}

export function resolveUserDirs(env: NodeJS.ProcessEnv, home: string = os.homedir()): UserDirs {
  const configBase = env['XDG_CONFIG_HOME'] || path.join(home, '.config');
  const cacheBase = env['XDG_CACHE_HOME'] || path.join(home, '.cache');
  return { config: path.join(configBase, 'yantra'), cache: path.join(cacheBase, 'yantra') };
}

/** The per-project state directory, `<project>/.yantra`. */
export function projectStateDir(projectRoot: string): string {
  return path.join(projectRoot, '.yantra');
}
