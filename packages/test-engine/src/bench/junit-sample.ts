/** A synthetic pytest JUnit report with `count` tests and a realistic mix of outcomes. */
export function syntheticJUnit(count: number): string {
  const cases: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const mod = `tests/test_mod${i % 100}.py`;
    let body = '';
    if (i % 10 === 0) {
      body = `<failure message="AssertionError: assert ${i} == ${i + 1}">def test_${i}():\n&gt;       assert f(${i}) == ${i + 1}\nE       AssertionError\n\n${mod}:${i}: AssertionError</failure>`;
    } else if (i % 17 === 0) body = '<skipped type="pytest.skip" message="needs network"/>';
    else if (i % 29 === 0) body = '<skipped type="pytest.xfail" message="known bug"/>';
    cases.push(`<testcase classname="tests.test_mod${i % 100}.TestCase${i % 7}" name="test_${i}[param-${i % 3}]" file="${mod}" line="${i}" time="0.00${i % 9}">${body}</testcase>`);
  }
  return `<?xml version="1.0" encoding="utf-8"?><testsuites name="pytest tests"><testsuite name="pytest" errors="0" failures="0" skipped="0" tests="${count}" time="12.5" timestamp="2026-01-01T00:00:00" hostname="bench">${cases.join('')}</testsuite></testsuites>`;
}
