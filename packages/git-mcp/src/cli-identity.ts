import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Identity } from './context.js';

/** `GIT_AUTHOR_NAME` / `GIT_AUTHOR_EMAIL`, as git itself honours them. */
export function identityFromEnv(env: NodeJS.ProcessEnv): Identity | undefined {
  const name = env['GIT_AUTHOR_NAME'];
  const email = env['GIT_AUTHOR_EMAIL'];
  return name && email ? { name, email } : undefined;
}

function userSection(text: string): Identity | undefined {
  let inUser = false;
  let name: string | undefined;
  let email: string | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('[')) {
      inUser = /^\[user\]$/i.test(line);
      continue;
    }
    if (!inUser) continue;
    const m = /^(name|email)\s*=\s*"?(.*?)"?$/i.exec(line);
    if (m?.[1]?.toLowerCase() === 'name') name = m[2];
    if (m?.[1]?.toLowerCase() === 'email') email = m[2];
  }
  return name && email ? { name, email } : undefined;
}

/**
 * The user's global identity (`~/.gitconfig`, then `$XDG_CONFIG_HOME/git/config`): isomorphic-git
 * reads only the repository's config, so the CLI supplies this as the default author.
 */
export function globalIdentity(env: NodeJS.ProcessEnv): Identity | undefined {
  const home = env['HOME'];
  const candidates = [
    home ? path.join(home, '.gitconfig') : undefined,
    env['XDG_CONFIG_HOME'] ? path.join(env['XDG_CONFIG_HOME'], 'git', 'config') : home ? path.join(home, '.config', 'git', 'config') : undefined,
  ];
  for (const file of candidates) {
    if (!file) continue;
    try {
      const found = userSection(readFileSync(file, 'utf8'));
      if (found) return found;
    } catch {
      // Missing or unreadable: try the next one.
    }
  }
  return undefined;
}
