import { access, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runProcess } from '@yantra/shared/node';
import { processesWith, removeAll, workspaceFrom } from '../fixture-support/workspaces.js';
import { defaultToolsPython } from './interpreter.js';
import { LAUNCHER_SOURCE } from './launcher-source.js';
import { runTests } from './run.js';
import { launchArgv } from './sandbox.js';

const cleanup: string[] = [];
afterEach(() => removeAll(cleanup));

const KEY_IN_FILE = 'sk-ant-api03-FAKEKEYFROMCONFIGFILE000000000000';
const KEY_IN_ENV = 'sk-proj-FAKEKEYFROMENVIRONMENT0000000000';
const YANTRA_SECRET = 'yantra-secret-token-1234567890';

interface Setup {
  ws: string;
  outside: string;
  configFile: string;
  env: NodeJS.ProcessEnv;
  marker: string;
}

/** A workspace with hostile tests, a fake user config dir holding a key, and a dir outside both. */
async function setup(forkbomb = false): Promise<Setup> {
  const ws = await workspaceFrom('sandbox');
  const outside = await mkdtemp(path.join(os.tmpdir(), 'yantra-outside-'));
  cleanup.push(ws, outside);
  const configHome = path.join(outside, 'config');
  const configFile = path.join(configHome, 'yantra', 'llm_config.json');
  await mkdir(path.dirname(configFile), { recursive: true });
  await writeFile(configFile, JSON.stringify({ providers: { anthropic: { apiKey: KEY_IN_FILE } } }));
  const marker = `${900 + Math.floor(Math.random() * 90)}.${Date.now() % 1_000_000}`;
  await writeFile(
    path.join(ws, 'targets.json'),
    JSON.stringify({ configFile, outsideFile: path.join(outside, 'escaped', 'escape.txt'), forkbomb, marker }),
  );
  const env = { ...process.env, XDG_CONFIG_HOME: configHome, OPENAI_API_KEY: KEY_IN_ENV, YANTRA_TOKEN: YANTRA_SECRET };
  return { ws, outside, configFile, env, marker };
}

async function findings(ws: string, name: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(path.join(ws, 'findings', `${name}.json`), 'utf8')) as Record<string, unknown>;
}

const exists = (p: string) => access(p).then(() => true, () => false);

describe('the sandbox (namespace isolation)', () => {
  it('keeps the user config file and secret env vars away from a test that looks for them', async () => {
    const s = await setup();
    const report = (await runTests({ workspace: s.ws, env: s.env, isolation: 'namespace', tests: ['tests/test_steal.py'] }))._unsafeUnwrap();
    expect(report.passed).toBe(1);
    expect(report.environment.isolation).toBe('namespace');
    const f = await findings(s.ws, 'steal');
    expect(f['absolute']).toBe('denied: FileNotFoundError');
    expect(f['home']).toMatch(/^denied/);
    expect(f['xdg']).toMatch(/^denied/);
    const everything = JSON.stringify(f) + JSON.stringify(report);
    for (const secret of [KEY_IN_FILE, KEY_IN_ENV, YANTRA_SECRET]) expect(everything).not.toContain(secret);
    expect(Object.keys(f['env'] as object).filter((k) => k.startsWith('YANTRA_') || k.endsWith('_API_KEY'))).toEqual([]);
    expect(f['home_dir']).not.toBe(os.homedir());
    // The file is still there for Yantra itself: hiding happened only inside the sandbox.
    expect(await readFile(s.configFile, 'utf8')).toContain(KEY_IN_FILE);
    // The run's temp dir (HOME lives in it) is removed right after the report is read.
    const workDir = path.dirname(String(f['home_dir']));
    expect(path.basename(workDir)).toMatch(/^yantra-test-/);
    for (let i = 0; i < 50 && (await exists(workDir)); i += 1) await new Promise((r) => setTimeout(r, 20));
    expect(await exists(workDir)).toBe(false);
  });

  it('has a launcher that refuses to remount anything outside a private mount and PID namespace', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'yantra-launch-'));
    cleanup.push(dir);
    const launcher = path.join(dir, 'yantra_launch.py');
    await writeFile(launcher, LAUNCHER_SOURCE);
    const plan = { isolation: 'namespace' as const, workspace: dir, tempDir: dir, hide: [path.join(dir, 'secret')] };
    await mkdir(plan.hide[0] as string);
    const argv = launchArgv(defaultToolsPython(), launcher, plan, { memoryMb: 1024, fileSizeMb: 8, openFiles: 256 }, [], true);
    expect(argv[0]).toBe('/usr/bin/unshare');
    // The same launcher run directly, in the host's namespaces, must stop before any mount.
    const direct = argv.slice(argv.indexOf(defaultToolsPython())) as [string, ...string[]];
    const r = (await runProcess({ argv: direct, cwd: dir, timeoutMs: 20_000 }))._unsafeUnwrap();
    expect(r.exitCode).toBe(97);
    expect(r.stderr).toContain('not inside a private mount and PID namespace');
    expect(r.stdout).not.toContain('yantra-sandbox-ok');
    expect(await readFile('/proc/self/mountinfo', 'utf8')).not.toContain('yantra-hidden');
    // Under unshare it builds the sandbox.
    const sandboxed = (await runProcess({ argv, cwd: dir, timeoutMs: 20_000 }))._unsafeUnwrap();
    expect(sandboxed.stdout).toContain('yantra-sandbox-ok');
  });

  it('refuses writes outside the workspace, allows them inside, and leaves nothing behind', async () => {
    const s = await setup();
    const report = (await runTests({ workspace: s.ws, env: s.env, isolation: 'namespace', tests: ['tests/test_escape.py'] }))._unsafeUnwrap();
    expect(report.passed).toBe(1);
    const f = await findings(s.ws, 'escape');
    expect(f['outside']).toBe('denied: OSError');
    expect(f['inside']).toBe('written');
    // HOME and TMPDIR point into the run's temp dir, which is removed afterwards.
    expect(f['home']).toBe('written');
    expect(await exists(path.join(s.outside, 'escaped', 'escape.txt'))).toBe(false);
    expect(await exists(path.join(os.homedir(), 'escape.txt'))).toBe(false);
    expect(await readFile(path.join(s.ws, 'inside.txt'), 'utf8')).toBe('escaped');
  });

  it('stops a bounded fork bomb at the timeout, including a child that left the process group', async () => {
    const s = await setup(true);
    const report = (
      await runTests({ workspace: s.ws, env: s.env, isolation: 'namespace', tests: ['tests/test_forkbomb.py'], timeoutMs: 4000 })
    )._unsafeUnwrap();
    expect(report.runnerError).toMatchObject({ kind: 'timeout', where: ['tests/test_forkbomb.py::test_fork_bomb'] });
    expect((await findings(s.ws, 'forkbomb'))['started']).toBe(60);
    await new Promise((r) => setTimeout(r, 300));
    expect(await processesWith(`sleep ${s.marker}`)).toEqual([]);
  });
});

describe('env-only isolation (machines without namespaces)', () => {
  it('still scrubs secret env vars and moves HOME and XDG dirs, so the config is not found by name', async () => {
    const s = await setup();
    const report = (await runTests({ workspace: s.ws, env: s.env, isolation: 'env', tests: ['tests/test_steal.py'] }))._unsafeUnwrap();
    expect(report.environment.isolation).toBe('env');
    const f = await findings(s.ws, 'steal');
    expect(f['home']).toMatch(/^denied/);
    expect(f['xdg']).toMatch(/^denied/);
    const env = JSON.stringify(f['env']);
    for (const secret of [KEY_IN_ENV, YANTRA_SECRET]) expect(env).not.toContain(secret);
    // Documented limit: without namespaces an absolute path to the real file stays readable.
    expect(f['absolute']).toContain(KEY_IN_FILE);
  });
});

describe('resource limits and cancellation', () => {
  it('stops a test that allocates past the memory limit or writes past the file-size limit', async () => {
    const dir = await workspaceFrom('limits');
    cleanup.push(dir);
    const report = (await runTests({ workspace: dir, limits: { memoryMb: 1024, fileSizeMb: 8 } }))._unsafeUnwrap();
    const byName = Object.fromEntries(report.tests.map((t) => [t.nodeId.split('::')[1], t]));
    expect(byName['test_allocates_one_and_a_half_gib']).toMatchObject({ outcome: 'failed', message: expect.stringContaining('MemoryError') });
    expect(byName['test_writes_a_64_mib_file']).toMatchObject({ outcome: 'failed', message: expect.stringMatching(/File too large|EFBIG|Errno 27/) });
  });

  it('returns a cancelled error when the signal aborts a run', async () => {
    const dir = await workspaceFrom('hanging');
    cleanup.push(dir);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 1500);
    const r = await runTests({ workspace: dir, signal: controller.signal, timeoutMs: 60_000 });
    expect(r._unsafeUnwrapErr().kind).toBe('cancelled');
  });
});
