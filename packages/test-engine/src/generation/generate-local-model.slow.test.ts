import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { resolveUserDirs } from '@yantra/shared';
import { createOrchestrator, loadLlmConfig, unloadLocalModels } from '@yantra/llm-orchestrator';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { removeAll, workspaceFrom } from '../fixture-support/workspaces.js';
import { generateTests } from './generate.js';
import type { Complete } from './prompt.js';

// Generation once against the REAL embedded model (base Gemma 3 270M, CPU), wired as the CLI
// wires it: @yantra/llm-orchestrator with the user's config, which with no keys is just `local`.
// A 270M base model rarely writes a passing test, so this asserts on the structure of the
// outcome (keep rule, reasons, read-only oracles, the model really called), never on its words.

const realCache = resolveUserDirs(process.env, os.homedir()).cache;
const modelPath = path.join(realCache, 'models', 'gemma-3-270m-q4_k_m.gguf');
const ORACLES = ['tests/conftest.py', 'tests/test_existing.py'];

const cleanup: string[] = [];
afterEach(async () => {
  await removeAll(cleanup);
});
afterAll(async () => {
  await unloadLocalModels();
});

describe('generateTests with the real local model', { timeout: 400_000 }, () => {
  it('produces a well-formed report; kept tests passed and added coverage, rejected ones carry a reason, oracles untouched', async () => {
    expect(existsSync(modelPath)).toBe(true);
    const ws = await workspaceFrom('gen-target');
    const home = await mkdtemp(path.join(os.tmpdir(), 'yantra-home-'));
    cleanup.push(ws, home);
    const before = await Promise.all(ORACLES.map((f) => readFile(path.join(ws, f))));

    // A temp HOME / config dir (no user config, no keys), but the real model cache.
    const env: NodeJS.ProcessEnv = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), XDG_CACHE_HOME: path.dirname(realCache) };
    const loaded = (await loadLlmConfig(env, resolveUserDirs(env)))._unsafeUnwrap();
    expect(loaded.local.modelPath).toBe(modelPath);
    const config = { ...loaded, timeoutMs: 300_000, maxRetries: 1 };
    const orchestrator = createOrchestrator({ config });
    const providers: string[] = [];
    const complete: Complete = (prompt) =>
      orchestrator.complete({ system: prompt.system, prompt: prompt.user, maxTokens: 112, temperature: 0 }).map((c) => {
        providers.push(c.provider);
        return c.text;
      });

    try {
      const report = (
        await generateTests({ workspace: ws, file: 'shop/pricing.py', symbol: 'apply_discount', complete, maxRepairs: 0, write: false, timeoutMs: 60_000 })
      )._unsafeUnwrap();

      // The model was really called, and it was the local one.
      // One generation, plus one judgement when generated tests failed.
      const failing = report.tests.filter((t) => t.reason === 'failed' || t.reason === 'error');
      expect(report.llmCalls).toBe(failing.length > 0 ? 2 : 1);
      expect(providers.length).toBe(report.llmCalls);
      if (failing.length > 0) {
        expect(['test_wrong', 'code_wrong', 'unclear']).toContain(report.failureJudgement?.verdict);
        expect(report.failureJudgement?.evidence.map((e) => e.nodeId)).toEqual(failing.map((t) => t.nodeIds[0] ?? t.name));
      } else {
        expect(report.failureJudgement).toBeUndefined();
      }
      expect(new Set(providers)).toEqual(new Set(['local']));
      expect(orchestrator.usage().session.usage.outputTokens).toBeGreaterThan(0);
      expect(report.attempts.length).toBe(1);

      // Well-formed report.
      expect(report).toMatchObject({ file: 'shop/pricing.py', symbol: 'apply_discount', written: false });
      expect(report.testFile).toMatch(/^tests\/test_\w+\.py$/);
      expect(report.plan.cases.length).toBeGreaterThan(0);
      expect(report.kept + report.rejected).toBe(report.tests.length);
      expect(report.kept).toBe(report.tests.filter((t) => t.kept).length);
      expect(report.coverageAfter.percent).toBeGreaterThanOrEqual(report.coverageBefore.percent);
      expect(report.targets.changedCoverage).toBe(90);

      // The keep rule held: every kept test passed in the confirming run and added changed lines.
      for (const t of report.tests.filter((v) => v.kept)) {
        expect(t.reason).toBeUndefined();
        expect(t.newLines.length).toBeGreaterThan(0);
        expect(report.code).toContain(t.name);
      }
      if (report.kept > 0) expect(report.keptPassRate).toBe(100);
      else expect(report.code).toBe('');
      // Rejected tests carry a reason, in every attempt.
      for (const t of [...report.tests, ...report.attempts.flatMap((a) => a.verdicts)].filter((v) => !v.kept)) {
        expect(['failed', 'error', 'skipped', 'no_new_coverage', 'not_run']).toContain(t.reason);
      }
      // An attempt with nothing runnable says why.
      for (const a of report.attempts) if (a.verdicts.length === 0) expect(a.problems.length).toBeGreaterThan(0);

      // Existing tests and conftest are byte-identical; nothing was written.
      const after = await Promise.all(ORACLES.map((f) => readFile(path.join(ws, f))));
      after.forEach((buf, i) => expect(buf.equals(before[i] ?? Buffer.alloc(0))).toBe(true));
      expect(existsSync(path.join(ws, report.testFile))).toBe(false);
    } finally {
      orchestrator.close();
    }
  });
});
