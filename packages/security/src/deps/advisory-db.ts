import { promises as fs } from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { ResultAsync, errAsync, okAsync } from 'neverthrow';
import { parse as parseYaml } from 'yaml';
import { describeUnknown, makeError, writeFileAtomic } from '@yantra/shared';
import type { SecurityError } from '../findings/types.js';
import { normalizeName } from './manifests.js';

/** Bumped whenever the compact layout changes; loaders refuse other versions. */
export const ADVISORY_DB_FORMAT = 1;

/** One range event list, in OSV order: `i` introduced, `f` fixed, `l` last affected. */
export type RangeEvent = { readonly i: string } | { readonly f: string } | { readonly l: string };

export interface CompactAdvisory {
  readonly id: string;
  readonly aliases: readonly string[];
  readonly summary: string;
  readonly ranges: readonly (readonly RangeEvent[])[];
  /** Explicit affected versions, kept only when an advisory has no ECOSYSTEM range. */
  readonly versions?: readonly string[];
  /** CVSS vector, when the advisory has one. */
  readonly cvss?: string;
}

export interface AdvisoryDb {
  readonly format: number;
  readonly source: { readonly name: string; readonly snapshot: string; readonly license: string; readonly url: string };
  readonly builtAt: string;
  readonly advisoryCount: number;
  readonly packages: Readonly<Record<string, readonly CompactAdvisory[]>>;
}

interface OsvEvent {
  introduced?: string;
  fixed?: string;
  last_affected?: string;
}
interface OsvAdvisory {
  id?: string;
  aliases?: string[];
  summary?: string;
  details?: string;
  withdrawn?: string;
  severity?: Array<{ type?: string; score?: string }>;
  affected?: Array<{
    package?: { ecosystem?: string; name?: string };
    ranges?: Array<{ type?: string; events?: OsvEvent[] }>;
    versions?: string[];
  }>;
}

function summarize(a: OsvAdvisory): string {
  const text = (a.summary ?? a.details ?? '').replace(/\s+/g, ' ').replace(/\*\*/g, '').trim();
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

/** Turns one OSV advisory into compact entries per affected PyPI package. */
export function compactAdvisory(a: OsvAdvisory): Array<[string, CompactAdvisory]> {
  if (!a.id || a.withdrawn) return [];
  const out: Array<[string, CompactAdvisory]> = [];
  const cvss = a.severity?.find((s) => s.type?.startsWith('CVSS') && s.score)?.score;
  for (const aff of a.affected ?? []) {
    if (aff.package?.ecosystem !== 'PyPI' || !aff.package.name) continue;
    const ranges = (aff.ranges ?? [])
      .filter((r) => r.type === 'ECOSYSTEM')
      .map((r) =>
        (r.events ?? []).flatMap((e): RangeEvent[] =>
          e.introduced !== undefined ? [{ i: e.introduced }] : e.fixed !== undefined ? [{ f: e.fixed }] : e.last_affected !== undefined ? [{ l: e.last_affected }] : [],
        ),
      )
      .filter((events) => events.length > 0);
    const entry: CompactAdvisory = {
      id: a.id,
      aliases: a.aliases ?? [],
      summary: summarize(a),
      ranges,
      ...(ranges.length === 0 && aff.versions?.length ? { versions: aff.versions } : {}),
      ...(cvss ? { cvss } : {}),
    };
    out.push([normalizeName(aff.package.name), entry]);
  }
  return out;
}

async function listYaml(dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries = await fs.readdir(dir, { withFileTypes: true });
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listYaml(p)));
    else if (/\.(ya?ml|json)$/.test(e.name)) out.push(p);
  }
  return out.sort();
}

export interface BuildOptions {
  /** The snapshot label (for example a commit and date) recorded in the database. */
  readonly snapshot?: string;
  readonly now?: () => Date;
  readonly onProgress?: (done: number, total: number) => void;
}

/**
 * Compiles an OSV advisory directory (such as pypa/advisory-database's `vulns/`) into the compact
 * database. Unreadable advisories are skipped and counted, not fatal.
 */
export function buildAdvisoryDb(dir: string, options: BuildOptions = {}): ResultAsync<{ db: AdvisoryDb; skipped: number }, SecurityError> {
  const work = async () => {
    const root = (await fs.stat(path.join(dir, 'vulns')).catch(() => undefined))?.isDirectory() ? path.join(dir, 'vulns') : dir;
    const files = await listYaml(root);
    if (files.length === 0) throw new Error(`no OSV advisories (*.yaml, *.json) under ${dir}`);
    const packages: Record<string, CompactAdvisory[]> = {};
    let skipped = 0;
    let count = 0;
    for (const [n, file] of files.entries()) {
      try {
        const text = await fs.readFile(file, 'utf8');
        const doc = (file.endsWith('.json') ? JSON.parse(text) : parseYaml(text)) as OsvAdvisory;
        const entries = compactAdvisory(doc);
        if (entries.length === 0) skipped++;
        else count++;
        for (const [name, entry] of entries) (packages[name] ??= []).push(entry);
      } catch {
        skipped++;
      }
      if (n % 200 === 0) options.onProgress?.(n, files.length);
    }
    options.onProgress?.(files.length, files.length);
    const snapshotNote = await fs.readFile(path.join(dir, 'SNAPSHOT.md'), 'utf8').catch(() => '');
    const commit = /commit ([0-9a-f]{7,40})\s*\(([^)]+)\)/.exec(snapshotNote);
    const db: AdvisoryDb = {
      format: ADVISORY_DB_FORMAT,
      source: {
        name: 'Python Packaging Advisory Database (pypa/advisory-database)',
        snapshot: options.snapshot ?? (commit ? `${commit[1]} (${commit[2]})` : path.basename(path.resolve(dir))),
        license: 'CC-BY-4.0',
        url: 'https://github.com/pypa/advisory-database',
      },
      builtAt: (options.now ?? (() => new Date()))().toISOString(),
      advisoryCount: count,
      packages: Object.fromEntries(Object.entries(packages).sort(([a], [b]) => a.localeCompare(b))),
    };
    return { db, skipped };
  };
  return ResultAsync.fromPromise(work(), (e) => makeError('bad_input', `cannot build the advisory database: ${describeUnknown(e)}`, { path: dir }));
}

/** Writes the database gzipped, atomically. */
export function writeAdvisoryDb(db: AdvisoryDb, file: string): ResultAsync<{ bytes: number }, SecurityError> {
  const data = gzipSync(Buffer.from(JSON.stringify(db)), { level: 9 });
  return writeFileAtomic(file, data)
    .map(() => ({ bytes: data.length }))
    .mapErr((e): SecurityError => makeError('io', e.message, { path: file }));
}

function isDb(value: unknown): value is AdvisoryDb {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<AdvisoryDb>;
  return v.format === ADVISORY_DB_FORMAT && typeof v.packages === 'object' && v.packages !== null && typeof v.source === 'object';
}

/** Loads a compact database file; a corrupt or foreign file is `db_invalid`, never trusted. */
export function loadAdvisoryDb(file: string): ResultAsync<AdvisoryDb, SecurityError> {
  return ResultAsync.fromPromise(fs.readFile(file), (e) => makeError('io', `cannot read ${file}: ${describeUnknown(e)}`, { path: file })).andThen(
    (buf) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(gunzipSync(buf).toString('utf8'));
      } catch (e) {
        return errAsync(makeError('db_invalid', `advisory database ${file} is corrupt: ${describeUnknown(e)}`, { path: file }));
      }
      return isDb(parsed)
        ? okAsync(parsed)
        : errAsync(makeError('db_invalid', `advisory database ${file} has an unknown format`, { path: file }));
    },
  );
}
