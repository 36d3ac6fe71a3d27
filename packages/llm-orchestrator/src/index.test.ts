import { describe, expect, it } from 'vitest';
import * as api from './index.js';
import * as testing from './testing.js';

describe('public surface', () => {
  it('exports the API other packages call, and keeps the test server behind /testing', () => {
    for (const name of ['createOrchestrator', 'loadLlmConfig', 'sanitizeConfig', 'extractCodeBlocks', 'createCodeBlockStream', 'buildPrompt']) {
      expect(typeof (api as Record<string, unknown>)[name]).toBe('function');
    }
    expect(Object.keys(api)).not.toContain('startFakeLlmServer');
    expect(Object.keys(testing)).toEqual(['startFakeLlmServer']);
  });
});
