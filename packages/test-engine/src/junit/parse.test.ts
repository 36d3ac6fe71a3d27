import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseJUnit } from './parse.js';

const dir = path.resolve(__dirname, '../../fixtures/junit');
const load = (name: string) => readFile(path.join(dir, name), 'utf8');

describe('parseJUnit on recorded pytest output', () => {
  for (const name of ['mixed-xunit1', 'mixed-xunit2', 'collection-error', 'teardown-error']) {
    it(`${name}.xml matches ${name}.expected.json`, async () => {
      const parsed = parseJUnit(await load(`${name}.xml`))._unsafeUnwrap();
      await expect(`${JSON.stringify(parsed, null, 2)}\n`).toMatchFileSnapshot(path.join(dir, `${name}.expected.json`));
    });
  }

  it('keeps the six outcomes apart, with xpass known only through the plugin property', async () => {
    const withPlugin = parseJUnit(await load('mixed-xunit1.xml'))._unsafeUnwrap();
    const outcomes = Object.fromEntries(withPlugin.tests.map((t) => [t.nodeId, t.outcome]));
    expect(outcomes['tests/test_ops.py::test_xpass']).toBe('xpass');
    expect(outcomes['tests/test_ops.py::test_xfail']).toBe('xfail');
    expect(outcomes['tests/test_ops.py::test_uses_broken_fixture']).toBe('error');
    expect(outcomes['tests/test_ops.py::TestDivide::test_divide[1-4-0.25]']).toBe('passed');
    expect(withPlugin.totals).toEqual({ passed: 3, failed: 2, errors: 1, skipped: 1, xfailed: 1, xpassed: 1, total: 9 });
    const plain = parseJUnit(await load('mixed-xunit2.xml'))._unsafeUnwrap();
    expect(plain.tests.find((t) => t.nodeId === 'tests/test_ops.py::test_xpass')?.outcome).toBe('passed');
  });

  it('decodes entities in messages and keeps the traceback text', async () => {
    const parsed = parseJUnit(await load('mixed-xunit1.xml'))._unsafeUnwrap();
    const failed = parsed.tests.find((t) => t.nodeId === 'tests/test_ops.py::test_add_fails');
    expect(failed?.message).toBe('AssertionError: two and two make four\nassert 4 == 5\n +  where 4 = add(2, 2)');
    expect(failed?.traceback).toContain('>       assert add(2, 2) == 5');
  });

  it('reports a collection failure apart from the tests', async () => {
    const parsed = parseJUnit(await load('collection-error.xml'))._unsafeUnwrap();
    expect(parsed.tests).toEqual([]);
    expect(parsed.collectionErrors).toHaveLength(1);
    expect(parsed.collectionErrors[0]?.path).toBe('tests/test_broken_import.py');
    expect(parsed.collectionErrors[0]?.traceback).toContain('ModuleNotFoundError');
  });

  it('merges a passing call and a failing teardown into one error', async () => {
    const parsed = parseJUnit(await load('teardown-error.xml'))._unsafeUnwrap();
    expect(parsed.tests).toHaveLength(1);
    expect(parsed.tests[0]).toMatchObject({ nodeId: 'tests/test_db.py::test_query', outcome: 'error', durationMs: 5 });
  });

  it('returns junit_invalid for broken or foreign XML', async () => {
    expect(parseJUnit(await load('invalid.xml'))._unsafeUnwrapErr().kind).toBe('junit_invalid');
    expect(parseJUnit('<html><body/></html>')._unsafeUnwrapErr().kind).toBe('junit_invalid');
  });

  it('parses a 5,000-test report with every outcome counted', () => {
    const cases: string[] = [];
    for (let i = 0; i < 5000; i += 1) {
      const body = i % 5 === 0 ? '<failure message="boom">trace</failure>' : i % 7 === 0 ? '<skipped type="pytest.skip" message="s"/>' : '';
      cases.push(`<testcase classname="tests.test_m${i % 50}" name="test_${i}" file="tests/test_m${i % 50}.py" time="0.001">${body}</testcase>`);
    }
    const xml = `<?xml version="1.0"?><testsuites><testsuite name="pytest" time="5">${cases.join('')}</testsuite></testsuites>`;
    const parsed = parseJUnit(xml)._unsafeUnwrap();
    expect(parsed.totals.total).toBe(5000);
    expect(parsed.totals.failed).toBe(1000);
    expect(parsed.totals.skipped).toBe(572);
    expect(parsed.tests[4999]?.nodeId).toBe('tests/test_m49.py::test_4999');
  });
});
