import { XMLParser } from 'fast-xml-parser';
import { err, ok, type Result } from 'neverthrow';
import { describeUnknown, makeError } from '@yantra/shared';
import type { TestEngineError } from '../errors.js';
import type { TestCaseResult, TestOutcome, TestTotals } from '../report.js';
import { nodeIdOf } from './node-id.js';

/** The parsed content of a pytest JUnit XML file. */
export interface JUnitReport {
  readonly tests: readonly TestCaseResult[];
  readonly totals: TestTotals;
  /** Sum of the suites' `time` attributes. */
  readonly durationMs: number;
  /** Modules pytest could not collect (`collection failure` entries), as paths. */
  readonly collectionErrors: readonly { readonly path: string; readonly message: string; readonly traceback?: string }[];
}

type XmlNode = Record<string, unknown>;

const parser = (): XMLParser =>
  new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    textNodeName: '#text',
    parseAttributeValue: false,
    parseTagValue: false,
    trimValues: false,
    processEntities: true,
    htmlEntities: true,
    isArray: (name) => ['testsuite', 'testcase', 'property', 'failure', 'error', 'skipped'].includes(name),
  });

function asNodes(value: unknown): XmlNode[] {
  if (Array.isArray(value)) return value.filter((v): v is XmlNode => typeof v === 'object' && v !== null);
  return [];
}

function str(node: XmlNode, key: string): string | undefined {
  const v = node[key];
  return typeof v === 'string' ? v : undefined;
}

function text(node: XmlNode): string {
  const t = node['#text'];
  return typeof t === 'string' ? t : '';
}

// Worse outcomes win when pytest reports one test twice (a passing call plus a failing teardown).
const SEVERITY: Record<TestOutcome, number> = { passed: 0, xpass: 1, skipped: 2, xfail: 3, failed: 4, error: 5 };

function outcomeOf(tc: XmlNode): { outcome: TestOutcome; message?: string; traceback?: string } {
  const props = asNodes((tc['properties'] as XmlNode | undefined)?.['property']);
  const marked = props.find((p) => str(p, 'name') === 'yantra_outcome');
  const error = asNodes(tc['error'])[0];
  if (error) return withDetail('error', error);
  const failure = asNodes(tc['failure'])[0];
  if (failure) return withDetail('failed', failure);
  const skipped = asNodes(tc['skipped'])[0];
  if (skipped) {
    const msg = str(skipped, 'message');
    const kind = str(skipped, 'type') === 'pytest.xfail' ? 'xfail' : 'skipped';
    return msg === undefined ? { outcome: kind } : { outcome: kind, message: msg };
  }
  if (marked && str(marked, 'value') === 'xpass') return { outcome: 'xpass' };
  return { outcome: 'passed' };
}

function withDetail(outcome: TestOutcome, node: XmlNode): { outcome: TestOutcome; message?: string; traceback?: string } {
  const message = str(node, 'message');
  const traceback = text(node);
  return {
    outcome,
    ...(message === undefined ? {} : { message }),
    ...(traceback === '' ? {} : { traceback }),
  };
}

function totalsOf(tests: readonly TestCaseResult[]): TestTotals {
  const count = (o: TestOutcome) => tests.filter((t) => t.outcome === o).length;
  return {
    passed: count('passed'),
    failed: count('failed'),
    errors: count('error'),
    skipped: count('skipped'),
    xfailed: count('xfail'),
    xpassed: count('xpass'),
    total: tests.length,
  };
}

/**
 * Parses pytest's JUnit XML (xunit1 or xunit2 family) into typed results keyed by node id.
 * Collection failures are returned apart from test results, since they are runner-level problems.
 */
export function parseJUnit(xml: string): Result<JUnitReport, TestEngineError> {
  let doc: XmlNode;
  try {
    doc = parser().parse(xml, true) as XmlNode;
  } catch (e) {
    return err(makeError('junit_invalid', `JUnit XML does not parse: ${describeUnknown(e)}`));
  }
  const root = (doc['testsuites'] as XmlNode | undefined) ?? doc;
  const suites = asNodes(root['testsuite']);
  if (suites.length === 0) return err(makeError('junit_invalid', 'JUnit XML has no <testsuite> element'));

  const byId = new Map<string, TestCaseResult>();
  const collectionErrors: { path: string; message: string; traceback?: string }[] = [];
  let durationMs = 0;
  for (const suite of suites) {
    durationMs += Number(str(suite, 'time') ?? 0) * 1000;
    for (const tc of asNodes(suite['testcase'])) {
      const classname = str(tc, 'classname') ?? '';
      const name = str(tc, 'name') ?? '';
      const detail = outcomeOf(tc);
      if (classname === '' && detail.outcome === 'error' && (detail.message ?? '').startsWith('collection failure')) {
        collectionErrors.push({
          path: `${name.replaceAll('.', '/')}.py`,
          message: detail.message ?? 'collection failure',
          ...(detail.traceback === undefined ? {} : { traceback: detail.traceback }),
        });
        continue;
      }
      const nodeId = nodeIdOf(classname, name, str(tc, 'file'));
      const result: TestCaseResult = { nodeId, durationMs: Number(str(tc, 'time') ?? 0) * 1000, ...detail };
      const previous = byId.get(nodeId);
      if (!previous || SEVERITY[result.outcome] > SEVERITY[previous.outcome]) {
        byId.set(nodeId, previous ? { ...result, durationMs: previous.durationMs + result.durationMs } : result);
      }
    }
  }
  const tests = [...byId.values()];
  return ok({ tests, totals: totalsOf(tests), durationMs, collectionErrors });
}

export { totalsOf };
