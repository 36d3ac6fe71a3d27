import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureRoot } from '../fixture-support/workspaces.js';
import { graphCollaborators } from './graph-collaborators.js';

const expectedFile = path.resolve(__dirname, '../../fixtures/graph/gen-target-pricing.expected.json');

describe('graphCollaborators (gnn code graph, in memory)', () => {
  it('lists what each function of the file calls, as gen-target-pricing.expected.json says', async () => {
    const found = (await graphCollaborators({ workspace: path.join(fixtureRoot, 'gen-target'), file: 'shop/pricing.py' }))._unsafeUnwrap();
    expect(found).toEqual(JSON.parse(await readFile(expectedFile, 'utf8')));
  });

  it('answers {} for a file the graph does not know, so planning falls back to syntax alone', async () => {
    const found = (await graphCollaborators({ workspace: path.join(fixtureRoot, 'gen-target'), file: 'shop/missing.py' }))._unsafeUnwrap();
    expect(found).toEqual({});
  });
});
