import { promises as fsp } from 'node:fs';
import path from 'node:path';

/** One stage-0 entry of `.git/index`: enough to decide whether a file changed without hashing it. */
export interface IndexEntry {
  readonly path: string;
  readonly oid: string;
  readonly mode: number;
  readonly size: number;
  readonly mtimeSeconds: number;
  readonly ctimeSeconds: number;
  readonly ino: number;
}

export interface GitIndex {
  readonly entries: Map<string, IndexEntry>;
  /** When the index file was last written (seconds); files modified since are "racy" and hashed. */
  readonly writtenSeconds: number;
  /** Paths with unmerged entries (stages 1–3), as left by a conflicted merge. */
  readonly conflicts: ReadonlySet<string>;
}

/** Thrown for index versions or layouts this reader does not handle; callers fall back. */
export class UnsupportedIndex extends Error {}

function readVarint(buf: Buffer, at: number): [number, number] {
  // Git's offset varint (index v4): 7 bits per byte, each continuation adds one.
  let byte = buf[at++] ?? 0;
  let value = byte & 0x7f;
  while (byte & 0x80) {
    byte = buf[at++] ?? 0;
    value = ((value + 1) << 7) | (byte & 0x7f);
  }
  return [value, at];
}

/**
 * Parses `.git/index` (versions 2, 3 and 4). isomorphic-git keeps its index reader private and
 * its statusMatrix walks every entry through promise-heavy walkers; reading the file directly
 * lets status compare stats in one pass, which is what makes large repositories fast.
 */
export async function readGitIndex(gitdir: string): Promise<GitIndex> {
  const file = path.join(gitdir, 'index');
  let buf: Buffer;
  let writtenSeconds = 0;
  try {
    buf = await fsp.readFile(file);
    writtenSeconds = Math.floor((await fsp.stat(file)).mtimeMs / 1000);
  } catch {
    return { entries: new Map(), writtenSeconds: 0, conflicts: new Set() };
  }
  if (buf.length < 12 || buf.toString('latin1', 0, 4) !== 'DIRC') throw new UnsupportedIndex('not an index file');
  const version = buf.readUInt32BE(4);
  if (version < 2 || version > 4) throw new UnsupportedIndex(`index version ${version}`);
  const count = buf.readUInt32BE(8);
  const entries = new Map<string, IndexEntry>();
  const conflicts = new Set<string>();
  let at = 12;
  let previous = '';
  for (let i = 0; i < count; i++) {
    const start = at;
    if (at + 62 > buf.length) throw new UnsupportedIndex('truncated index');
    const ctimeSeconds = buf.readUInt32BE(at);
    const mtimeSeconds = buf.readUInt32BE(at + 8);
    const ino = buf.readUInt32BE(at + 20);
    const mode = buf.readUInt32BE(at + 24);
    const size = buf.readUInt32BE(at + 36);
    const oid = buf.toString('hex', at + 40, at + 60);
    const flags = buf.readUInt16BE(at + 60);
    at += 62;
    if (flags & 0x4000) {
      if (version < 3) throw new UnsupportedIndex('extended flags in a v2 index');
      at += 2;
    }
    let name: string;
    if (version === 4) {
      const [strip, next] = readVarint(buf, at);
      at = next;
      const end = buf.indexOf(0, at);
      name = previous.slice(0, previous.length - strip) + buf.toString('utf8', at, end);
      at = end + 1;
    } else {
      const end = buf.indexOf(0, at);
      name = buf.toString('utf8', at, end);
      // Entries are NUL-padded to a multiple of eight bytes.
      at = start + Math.ceil((end - start + 1) / 8) * 8;
    }
    previous = name;
    const stage = (flags >> 12) & 0x3;
    if (stage !== 0) {
      conflicts.add(name);
      continue;
    }
    entries.set(name, { path: name, oid, mode, size, mtimeSeconds, ctimeSeconds, ino });
  }
  return { entries, writtenSeconds, conflicts };
}
