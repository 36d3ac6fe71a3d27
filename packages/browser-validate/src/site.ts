import { mkdtemp, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { BrowserFailure, invalidInput, ioError } from './errors.js';
import { startStaticServer } from './static-server.js';

/** What to load: inline content, a directory on disk, or a URL. Exactly one source. */
export interface SiteInput {
  /** An HTML document, served as `index.html`. May be combined with `files`. */
  readonly html?: string;
  /** Files by relative path (`app.js`, `css/site.css`), served next to `html`. */
  readonly files?: Readonly<Record<string, string>>;
  /** A directory served as the site root. */
  readonly dir?: string;
  /** Path (with optional query) opened first, relative to the site root. Default `index.html`. */
  readonly entry?: string;
  /** An http(s) URL, such as a dev server the user runs. */
  readonly url?: string;
}

/** A loaded site: where to point the browser, and how to clean up after. */
export interface Site {
  readonly url: string;
  /** Origin of the page under test, for telling same-origin requests from others. */
  readonly origin: string;
  dispose(): Promise<void>;
}

/** Validates the input, writes inline files to a private temp dir and serves them. */
export async function openSite(input: SiteInput): Promise<Site> {
  const sources = [input.html !== undefined || input.files !== undefined, input.dir !== undefined, input.url !== undefined];
  if (sources.filter(Boolean).length !== 1) {
    throw new BrowserFailure(invalidInput('input', 'give exactly one of html/files, dir or url'));
  }
  if (input.url !== undefined) return urlSite(input.url);
  const entry = input.entry ?? 'index.html';
  if (entry.startsWith('/') || entry.split(/[/\\]/).includes('..') || /^[a-z]+:/i.test(entry)) {
    throw new BrowserFailure(invalidInput('entry', `entry must be a relative path inside the site: ${entry}`));
  }
  if (input.dir !== undefined) {
    const dir = path.resolve(input.dir);
    const info = await stat(dir).catch(() => undefined);
    if (!info?.isDirectory()) throw new BrowserFailure(invalidInput('dir', `not a directory: ${input.dir}`));
    return serveDir(dir, entry, async () => {});
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'yantra-site-'));
  try {
    const files: Record<string, string> = { ...(input.files ?? {}) };
    if (input.html !== undefined) files['index.html'] = input.html;
    for (const [name, content] of Object.entries(files)) {
      const target = path.resolve(dir, name);
      if (!target.startsWith(dir + path.sep) || path.isAbsolute(name)) {
        throw new BrowserFailure(invalidInput('files', `file path escapes the site: ${name}`));
      }
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, content).catch((e: unknown) => {
        throw new BrowserFailure(ioError(target, e));
      });
    }
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
  return serveDir(dir, entry, () => rm(dir, { recursive: true, force: true }));
}

async function serveDir(dir: string, entry: string, cleanup: () => Promise<void>): Promise<Site> {
  const server = await startStaticServer(dir).catch(async (e: unknown) => {
    await cleanup();
    throw new BrowserFailure(ioError(dir, e));
  });
  return {
    url: `${server.origin}/${entry}`,
    origin: server.origin,
    dispose: async () => {
      await server.close();
      await cleanup();
    },
  };
}

function urlSite(raw: string): Site {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new BrowserFailure(invalidInput('url', `not a URL: ${raw}`));
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new BrowserFailure(invalidInput('url', `only http and https URLs are checked: ${raw}`));
  }
  return { url: url.href, origin: url.origin, dispose: async () => {} };
}
