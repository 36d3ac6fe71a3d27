import { describe, expect, it } from 'vitest';
import * as api from './index.js';

describe('the public entry', () => {
  it('exports exactly the documented runtime names', () => {
    expect(Object.keys(api).sort()).toEqual(
      [
        'CATEGORIES',
        'SEVERITIES',
        'buildMistakeContext',
        'classifyFailure',
        'cosine',
        'createLearningStore',
        'createLocalEmbedder',
        'defaultRedact',
        'detectCorrection',
        'detectMistake',
        'estimateTokens',
        'relevantExcerpt',
        'validateMistakeInput',
      ].sort(),
    );
  });
});
