import { describe, expect, it } from 'vitest';
import { nodeIdOf } from './node-id.js';

describe('nodeIdOf', () => {
  it('uses the file attribute and splits classes off the module', () => {
    expect(nodeIdOf('tests.unit.test_cart.TestCart', 'test_total[2]', 'tests/unit/test_cart.py')).toBe(
      'tests/unit/test_cart.py::TestCart::test_total[2]',
    );
    expect(nodeIdOf('tests.test_x', 'test_a', 'tests/test_x.py')).toBe('tests/test_x.py::test_a');
  });

  it('guesses the module path from the dotted classname without a file attribute', () => {
    expect(nodeIdOf('tests.test_x.TestOuter.TestInner', 'test_a', undefined)).toBe('tests/test_x.py::TestOuter::TestInner::test_a');
    expect(nodeIdOf('test_top', 'test_b', undefined)).toBe('test_top.py::test_b');
  });

  it('keeps classes when the rootdir makes the classname differ from the file path', () => {
    expect(nodeIdOf('test_x.TestA', 'test_a', 'pkg/tests/test_x.py')).toBe('pkg/tests/test_x.py::TestA::test_a');
  });
});
