import { describe, expect, it } from 'vitest';

describe('the public entry', () => {
  it('exports exactly the documented runtime API', async () => {
    const api = await import('./index.js');
    expect(Object.keys(api).sort()).toEqual(
      ['changedCoverage', 'createTestRunner', 'generateTests', 'graphCollaborators', 'parseCoverageJson', 'parseJUnit', 'runTests', 'runTestsDetailed'].sort(),
    );
  });
});
