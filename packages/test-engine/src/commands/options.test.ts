import { describe, expect, it } from 'vitest';
import { changedLinesOption, listOption, secondsOption } from './options.js';

describe('CLI option parsing', () => {
  it('reads changed line ranges per file', () => {
    expect(changedLinesOption(['a.py:1-3,7', 'b/c.py:2', 'a.py:9'])).toEqual({ 'a.py': [1, 2, 3, 7, 9], 'b/c.py': [2] });
    expect(changedLinesOption(undefined)).toBeUndefined();
    expect(() => changedLinesOption('a.py')).toThrow(/FILE:LINES/);
    expect(() => changedLinesOption('a.py:5-2')).toThrow(/bad line range/);
  });
  it('splits and merges test id lists, and checks timeouts', () => {
    expect(listOption(['a::x,b', 'c'])).toEqual(['a::x', 'b', 'c']);
    expect(listOption(undefined)).toBeUndefined();
    expect(secondsOption('1.5', 'timeout')).toBe(1500);
    expect(() => secondsOption('0', 'timeout')).toThrow(/positive/);
  });
});
