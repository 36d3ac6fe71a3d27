import { compare, valid } from '@renovatebot/pep440';
import { findingId } from '../findings/id.js';
import type { Finding, Severity } from '../findings/types.js';
import type { AdvisoryDb, CompactAdvisory, RangeEvent } from './advisory-db.js';
import type { Requirement } from './manifests.js';

function cmp(a: string, b: string): number {
  return compare(a, b);
}

/** Whether `version` falls in one OSV ECOSYSTEM range (events in version order). */
export function inRange(version: string, events: readonly RangeEvent[]): boolean {
  const keyed = events
    .map((e) => ('i' in e ? { kind: 'i', v: e.i } : 'f' in e ? { kind: 'f', v: e.f } : { kind: 'l', v: e.l }))
    .filter((e) => e.v === '0' || valid(e.v) !== null)
    .sort((a, b) => (a.v === '0' ? -1 : b.v === '0' ? 1 : cmp(a.v, b.v)));
  let affected = false;
  for (const e of keyed) {
    if (e.kind === 'i' && (e.v === '0' || cmp(version, e.v) >= 0)) affected = true;
    else if (e.kind === 'f' && cmp(version, e.v) >= 0) affected = false;
    else if (e.kind === 'l' && cmp(version, e.v) > 0) affected = false;
  }
  return affected;
}

/** Whether an advisory affects an exact version. */
export function affects(advisory: CompactAdvisory, version: string): boolean {
  if (valid(version) === null) return false;
  if (advisory.versions?.some((v) => valid(v) !== null && cmp(v, version) === 0)) return true;
  return advisory.ranges.some((r) => inRange(version, r));
}

/** The lowest `fixed` version above `version`, as a concrete upgrade target. */
export function fixedVersion(advisory: CompactAdvisory, version: string): string | undefined {
  const fixes = advisory.ranges
    .flatMap((r) => r.flatMap((e) => ('f' in e ? [e.f] : [])))
    .filter((f) => valid(f) !== null && cmp(f, version) > 0)
    .sort(cmp);
  return fixes[0];
}

/** The version a requirement is checked at: its pin, or else its lower bound. */
export function versionToCheck(req: Requirement): { version: string; basis: 'pinned' | 'minimum' } | undefined {
  if (req.pinned && valid(req.pinned) !== null) return { version: req.pinned, basis: 'pinned' };
  const lower = /(?:^|,)\s*(?:>=|~=|==)\s*([0-9][A-Za-z0-9.+!_-]*)/.exec(req.specifier);
  const v = lower?.[1]?.replace(/\.\*$/, '');
  return v && valid(v) !== null ? { version: v, basis: 'minimum' } : undefined;
}

/** A coarse severity from the CVSS vector: network reach plus high impact is critical. */
export function severityFromCvss(vector: string | undefined): Severity {
  if (!vector) return 'high';
  const m = (k: string) => new RegExp(`(?:^|/)${k}:([A-Z])`).exec(vector)?.[1];
  const network = m('AV') === 'N';
  const highs = ['C', 'I', 'A'].filter((k) => m(k) === 'H').length;
  if (network && highs >= 2 && m('PR') === 'N') return 'critical';
  if (highs >= 1) return 'high';
  return 'medium';
}

const LOWER: Record<Severity, Severity> = { critical: 'high', high: 'medium', medium: 'low', low: 'low' };

/** Matches requirements against the advisory database; one finding per (requirement, advisory). */
export function auditRequirements(requirements: readonly Requirement[], db: AdvisoryDb): Finding[] {
  const out: Finding[] = [];
  for (const req of requirements) {
    const advisories = db.packages[req.name];
    if (!advisories) continue;
    const check = versionToCheck(req);
    if (!check) continue;
    for (const adv of advisories) {
      if (!affects(adv, check.version)) continue;
      const fixed = fixedVersion(adv, check.version);
      const base = severityFromCvss(adv.cvss);
      // A lower bound only says the resolver *may* pick a vulnerable version.
      const severity = check.basis === 'pinned' ? base : LOWER[base];
      const range = { startLine: req.line, startCol: 1, endLine: req.line, endCol: 1 };
      const aliases = adv.aliases.length ? ` (${adv.aliases.join(', ')})` : '';
      out.push({
        id: findingId('deps', adv.id, req.file, range, req.name),
        engine: 'deps',
        rule: adv.id,
        cwe: ['CWE-1395'],
        owasp: ['A06:2021 - Vulnerable and Outdated Components'],
        severity,
        confidence: check.basis === 'pinned' ? 'high' : 'medium',
        file: req.file,
        range,
        message: `${req.name} ${check.version} is affected by ${adv.id}${aliases}: ${adv.summary}${fixed ? ` Upgrade to ${fixed} or later.` : ' No fixed version is known.'}`,
        snippet: `${req.name}${req.specifier}`,
        ...(fixed ? { fix: `${req.name}>=${fixed}` } : {}),
        details: {
          package: req.name,
          version: check.version,
          basis: check.basis,
          advisory: adv.id,
          aliases: adv.aliases,
          affected: adv.ranges.map((r) => r.map((e) => ('i' in e ? `>=${e.i}` : 'f' in e ? `<${e.f}` : `<=${e.l}`)).join(',')),
          ...(fixed ? { fixedVersion: fixed } : {}),
          ...(adv.cvss ? { cvss: adv.cvss } : {}),
        },
      });
    }
  }
  return out;
}
