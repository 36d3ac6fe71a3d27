import { parse as parseToml } from 'smol-toml';

/** One declared dependency, from any manifest or lock file. */
export interface Requirement {
  /** PEP 503 normalized name. */
  readonly name: string;
  /** PEP 440 specifier (`>=1.2,<2`), empty when unconstrained. */
  readonly specifier: string;
  /** The exact version, for `==X` pins and lock files. */
  readonly pinned?: string;
  readonly file: string;
  /** 1-based line of the declaration (1 when the format has no useful line). */
  readonly line: number;
}

export interface ManifestParse {
  readonly requirements: Requirement[];
  /** Lines or entries that could not be read: input, not an error. */
  readonly diagnostics: string[];
}

/** PEP 503 name normalization. */
export function normalizeName(name: string): string {
  return name.trim().toLowerCase().replace(/[-_.]+/g, '-');
}

const PEP508 = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(\(?\s*[<>=!~][^;]*?\)?)?\s*(?:;.*)?$/;

function pinOf(specifier: string): string | undefined {
  const m = /^\s*===?\s*([A-Za-z0-9.+!_-]+)\s*$/.exec(specifier);
  return m?.[1] !== undefined && !m[1].includes('*') ? m[1] : undefined;
}

/** Parses one PEP 508 requirement string (`requests[socks]>=2.0; python_version>"3"`). */
export function parsePep508(text: string, file: string, line: number): Requirement | undefined {
  const m = PEP508.exec(text);
  if (!m?.[1]) return undefined;
  const specifier = (m[2] ?? '').replace(/[()\s]/g, '');
  const pinned = pinOf(specifier);
  return { name: normalizeName(m[1]), specifier, ...(pinned ? { pinned } : {}), file, line };
}

/** requirements*.txt: one requirement per line; options, URLs and includes are skipped. */
export function parseRequirementsTxt(text: string, file: string): ManifestParse {
  const out: Requirement[] = [];
  const diagnostics: string[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    let raw = lines[i] ?? '';
    while (raw.endsWith('\\') && i + 1 < lines.length) raw = raw.slice(0, -1) + (lines[++i] ?? '');
    const body = raw.replace(/(^|\s)#.*$/, '').replace(/\s--hash=\S+/g, '').trim();
    if (!body || body.startsWith('-') || /^[a-z+]+:\/\//i.test(body) || body.startsWith('.') || body.startsWith('/')) continue;
    const req = parsePep508(body.replace(/\s@\s.*$/, ''), file, lineNo);
    if (req) out.push(req);
    else diagnostics.push(`${file}:${lineNo}: cannot read requirement "${body}"`);
  }
  return { requirements: out, diagnostics };
}

/** Converts a Poetry constraint (`^1.2`, `~1.2.3`, `1.2.*`, `>=1,<2`, `1.2.3`) to PEP 440. */
export function poetryToPep440(constraint: string): string {
  const c = constraint.trim();
  if (c === '' || c === '*') return '';
  return c
    .split(',')
    .map((part) => {
      const p = part.trim();
      const caret = /^\^\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?(.*)$/.exec(p);
      if (caret) {
        const [maj, min, pat] = [Number(caret[1]), caret[2] === undefined ? undefined : Number(caret[2]), caret[3]];
        const lower = p.slice(1).trim();
        const upper = maj > 0 || min === undefined ? `${maj + 1}.0.0` : min > 0 || pat === undefined ? `0.${min + 1}.0` : `0.0.${Number(pat) + 1}`;
        return `>=${lower},<${upper}`;
      }
      const tilde = /^~(?!=)\s*(\d+)(?:\.(\d+))?(.*)$/.exec(p);
      if (tilde) {
        const lower = p.slice(1).trim();
        const upper = tilde[2] === undefined ? `${Number(tilde[1]) + 1}.0.0` : `${tilde[1]}.${Number(tilde[2]) + 1}.0`;
        return `>=${lower},<${upper}`;
      }
      if (/^\d/.test(p)) return p.includes('*') ? `==${p}` : `==${p}`;
      return p.replace(/\s+/g, '');
    })
    .join(',');
}

function lineOf(text: string, needle: string): number {
  const name = needle.replace(/[.*+?^${}()|[\]\\-]/g, '[-_.]');
  const i = text.search(new RegExp(`(?:^[ \\t]*|["'])${name}(?=["']?\\s*[=\\[<>!~;"',]|["']?\\s*$)`, 'im'));
  return i < 0 ? 1 : text.slice(0, i).split('\n').length;
}

function poetryTable(table: unknown, text: string, file: string, out: Requirement[]): void {
  if (typeof table !== 'object' || table === null) return;
  for (const [rawName, value] of Object.entries(table as Record<string, unknown>)) {
    if (rawName.toLowerCase() === 'python') continue;
    const constraint =
      typeof value === 'string'
        ? value
        : typeof value === 'object' && value !== null && typeof (value as { version?: unknown }).version === 'string'
          ? (value as { version: string }).version
          : undefined;
    if (constraint === undefined) continue;
    const specifier = poetryToPep440(constraint);
    const pinned = pinOf(specifier);
    out.push({ name: normalizeName(rawName), specifier, ...(pinned ? { pinned } : {}), file, line: lineOf(text, rawName) });
  }
}

/** pyproject.toml: PEP 621 `[project]` dependencies and Poetry's dependency tables. */
export function parsePyproject(text: string, file: string): ManifestParse {
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text) as Record<string, unknown>;
  } catch (e) {
    return { requirements: [], diagnostics: [`${file}: invalid TOML: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`] };
  }
  const out: Requirement[] = [];
  const diagnostics: string[] = [];
  const project = doc['project'] as { dependencies?: unknown; 'optional-dependencies'?: Record<string, unknown> } | undefined;
  const strings = [
    ...(Array.isArray(project?.dependencies) ? project.dependencies : []),
    ...Object.values(project?.['optional-dependencies'] ?? {}).flatMap((v) => (Array.isArray(v) ? v : [])),
  ].filter((s): s is string => typeof s === 'string');
  for (const s of strings) {
    const req = parsePep508(s, file, lineOf(text, s.split(/[\s[<>=!~;]/)[0] ?? s));
    if (req) out.push(req);
    else diagnostics.push(`${file}: cannot read requirement "${s}"`);
  }
  const poetry = (doc['tool'] as { poetry?: Record<string, unknown> } | undefined)?.poetry;
  if (poetry) {
    poetryTable(poetry['dependencies'], text, file, out);
    poetryTable(poetry['dev-dependencies'], text, file, out);
    const groups = poetry['group'];
    if (typeof groups === 'object' && groups !== null) {
      for (const g of Object.values(groups as Record<string, { dependencies?: unknown }>)) poetryTable(g.dependencies, text, file, out);
    }
  }
  return { requirements: out, diagnostics };
}

/** poetry.lock: every `[[package]]` with its exact version. */
export function parsePoetryLock(text: string, file: string): ManifestParse {
  try {
    const doc = parseToml(text) as { package?: Array<{ name?: unknown; version?: unknown }> };
    const requirements = (doc.package ?? [])
      .filter((p): p is { name: string; version: string } => typeof p.name === 'string' && typeof p.version === 'string')
      .map((p) => ({ name: normalizeName(p.name), specifier: `==${p.version}`, pinned: p.version, file, line: lineOf(text, `name = "${p.name}`) }));
    return { requirements, diagnostics: [] };
  } catch (e) {
    return { requirements: [], diagnostics: [`${file}: invalid TOML: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`] };
  }
}

/** Pipfile.lock: the `default` and `develop` sections, pinned with `==`. */
export function parsePipfileLock(text: string, file: string): ManifestParse {
  try {
    const doc = JSON.parse(text) as Record<string, Record<string, { version?: unknown }> | undefined>;
    const out: Requirement[] = [];
    for (const section of ['default', 'develop']) {
      for (const [name, entry] of Object.entries(doc[section] ?? {})) {
        const specifier = typeof entry.version === 'string' ? entry.version : '';
        const pinned = pinOf(specifier);
        out.push({ name: normalizeName(name), specifier, ...(pinned ? { pinned } : {}), file, line: lineOf(text, `"${name}`) });
      }
    }
    return { requirements: out, diagnostics: [] };
  } catch (e) {
    return { requirements: [], diagnostics: [`${file}: invalid JSON: ${e instanceof Error ? e.message : String(e)}`] };
  }
}

/** setup.cfg: `[options] install_requires` and `[options.extras_require]`, one requirement per line. */
export function parseSetupCfg(text: string, file: string): ManifestParse {
  const out: Requirement[] = [];
  const diagnostics: string[] = [];
  let section = '';
  let inList = false;
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const header = /^\s*\[([^\]]+)\]\s*$/.exec(raw);
    if (header) {
      section = (header[1] ?? '').trim();
      inList = false;
      return;
    }
    const line = raw.replace(/(^|\s)[#;].*$/, '');
    const key = /^([A-Za-z_][\w.-]*)\s*=\s*(.*)$/.exec(line);
    if (key) {
      inList = (section === 'options' && key[1] === 'install_requires') || section === 'options.extras_require';
      const inline = (key[2] ?? '').trim();
      if (inList && inline) {
        const req = parsePep508(inline, file, i + 1);
        if (req) out.push(req);
      }
      return;
    }
    if (inList && /^\s+\S/.test(line)) {
      const body = line.trim();
      const req = parsePep508(body, file, i + 1);
      if (req) out.push(req);
      else diagnostics.push(`${file}:${i + 1}: cannot read requirement "${body}"`);
    } else if (line.trim() !== '') inList = false;
  });
  return { requirements: out, diagnostics };
}

/** Picks the parser for a manifest by its file name; undefined when the file is not a manifest. */
export function manifestParser(fileName: string): ((text: string, file: string) => ManifestParse) | undefined {
  if (/^requirements[^/]*\.(txt|in)$/i.test(fileName)) return parseRequirementsTxt;
  if (fileName === 'pyproject.toml') return parsePyproject;
  if (fileName === 'poetry.lock') return parsePoetryLock;
  if (fileName === 'Pipfile.lock') return parsePipfileLock;
  if (fileName === 'setup.cfg') return parseSetupCfg;
  return undefined;
}
