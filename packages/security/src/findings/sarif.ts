import type { Finding, Severity } from './types.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
};
/** GitHub code scanning reads `security-severity` (0-10) to rank alerts. */
const SCORE: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0' };

export interface SarifOptions {
  readonly toolVersion?: string;
}

/** Renders findings as a SARIF 2.1.0 log with one rule entry per rule, tagged with its CWEs. */
export function toSarif(findings: readonly Finding[], options: SarifOptions = {}): Record<string, unknown> {
  const rules = new Map<string, Finding>();
  for (const f of findings) if (!rules.has(f.rule)) rules.set(f.rule, f);
  const ruleIds = [...rules.keys()].sort();
  const ruleIndex = new Map(ruleIds.map((id, i) => [id, i]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'yantra-security',
            informationUri: 'https://github.com/yantra/yantra',
            version: options.toolVersion ?? '0.0.0',
            rules: ruleIds.map((id) => {
              const f = rules.get(id) as Finding;
              return {
                id,
                name: id,
                shortDescription: { text: f.message.split('. ')[0] ?? f.message },
                fullDescription: { text: f.message },
                defaultConfiguration: { level: LEVEL[f.severity] },
                properties: {
                  tags: ['security', ...f.cwe, ...f.owasp.map((o) => `OWASP-${o.split(' ')[0] ?? o}`)],
                  'security-severity': SCORE[f.severity],
                  precision: f.confidence === 'high' ? 'high' : f.confidence === 'medium' ? 'medium' : 'low',
                },
              };
            }),
          },
        },
        results: findings.map((f) => ({
          ruleId: f.rule,
          ruleIndex: ruleIndex.get(f.rule),
          level: LEVEL[f.severity],
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: f.file, uriBaseId: '%SRCROOT%' },
                region: {
                  startLine: f.range.startLine,
                  startColumn: f.range.startCol,
                  endLine: f.range.endLine,
                  endColumn: f.range.endCol,
                  snippet: { text: f.snippet },
                },
              },
            },
          ],
          partialFingerprints: { yantraFindingId: f.id },
          properties: { engine: f.engine, severity: f.severity, confidence: f.confidence },
        })),
        columnKind: 'unicodeCodePoints',
      },
    ],
  };
}
