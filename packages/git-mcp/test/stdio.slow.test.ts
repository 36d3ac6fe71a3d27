import { execFile, spawn } from 'node:child_process';
import { existsSync, statSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRepo, type TestRepo } from './repo-fixture.js';

const pkg = path.join(import.meta.dirname, '..');
const bin = path.join(pkg, 'dist', 'bin.js');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(full) : statSync(full).mtimeMs);
  }
  return newest;
}

let t: TestRepo;

beforeAll(async () => {
  // The real binary: rebuilt (tsup, the package's own build) only when a source is newer.
  if (!existsSync(bin) || statSync(bin).mtimeMs < newestSource(path.join(pkg, 'src'))) {
    await promisify(execFile)('npx', ['tsup'], { cwd: pkg, timeout: 240_000 });
  }
  t = await makeRepo({ 'app.py': 'print(1)\n', 'lib/util.py': 'X = 1\n' });
}, 300_000);

afterAll(async () => {
  await t?.cleanup();
});

const env = () => ({ PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: path.join(t.dir, '..', 'home') });

describe('yantra-git mcp over a real stdio spawn of dist/bin.js', () => {
  it('serves every tool to an SDK client', async () => {
    const transport = new StdioClientTransport({ command: process.execPath, args: [bin, 'mcp', '--repo', t.dir], env: env(), stderr: 'pipe' });
    const client = new Client({ name: 'stdio-test', version: '1.0.0' });
    await client.connect(transport);
    try {
      const call = async (name: string, args: Record<string, unknown>) => {
        const r = (await client.callTool({ name, arguments: { repo_path: t.dir, ...args } })) as { isError?: boolean; content: Array<{ text: string }> };
        return { isError: r.isError === true, text: r.content.map((c) => c.text).join('') };
      };
      await t.write({ 'app.py': 'print(2)\n', 'new.py': 'N = 1\n' });
      expect((await call('git_status', {})).text).toContain('modified:  app.py');
      expect((await call('git_diff_unstaged', {})).text).toContain('+print(2)');
      expect((await call('git_add', { files: ['app.py', 'new.py'] })).text).toBe('Files staged successfully: app.py, new.py');
      expect((await call('git_diff_staged', {})).text).toContain('+++ b/new.py');
      expect((await call('git_reset', {})).text).toBe('All staged changes reset');
      await call('git_add', { files: ['app.py'] });
      const commit = await call('git_commit', { message: 'feat: print two' });
      const sha = (await t.git('rev-parse', 'HEAD')).trim();
      expect(commit.text).toBe(`Changes committed successfully with hash ${sha}`);
      expect((await call('git_log', { max_count: 2 })).text).toMatch(/^Commit history:\nCommit: [0-9a-f]{40}[\s\S]*feat: print two[\s\S]*chore: initial commit/);
      expect((await call('git_show', { revision: 'HEAD' })).text).toContain(`Commit: ${sha}`);
      expect((await call('git_diff', { target: 'HEAD~1' })).text).toContain('-print(1)');
      expect((await call('git_create_branch', { branch_name: 'topic', base_branch: 'main' })).text).toBe("Created branch 'topic' from 'main'");
      expect((await call('git_branch', { branch_type: 'all' })).text).toBe('* main\n  topic');
      expect((await call('git_checkout', { branch_name: 'topic' })).text).toBe("Switched to branch 'topic'");
      const escape = await call('git_add', { files: ['../../etc/passwd'] });
      expect(escape.isError).toBe(true);
      expect(escape.text).toMatch(/^path_outside_repo:/);
    } finally {
      await client.close();
    }
  });

  it('keeps stdout pure JSON-RPC and exits when stdin closes', async () => {
    const child = spawn(process.execPath, [bin, 'mcp', '--repo', t.dir], { env: env(), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const send = (m: object) => child.stdin.write(`${JSON.stringify(m)}\n`);
    send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'git_status', arguments: { repo_path: t.dir } } });
    send({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'git_log', arguments: { repo_path: '/' } } });
    const deadline = Date.now() + 20_000;
    while (stdout.split('\n').filter(Boolean).length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    child.stdin.end();
    const code = await Promise.race([exited, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 10_000))]);
    if (code === 'hung') child.kill('SIGKILL');
    expect(code).toBe(0);
    const messages = stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { jsonrpc: string; id: number; result: { isError?: boolean; content?: Array<{ text: string }> } });
    expect(messages.every((m) => m.jsonrpc === '2.0')).toBe(true);
    messages.sort((a, b) => a.id - b.id); // Tool calls are answered as they finish.
    expect(messages.map((m) => m.id)).toEqual([1, 2, 3]);
    expect(messages[1]?.result.content?.[0]?.text).toMatch(/^Repository status:\nOn branch/);
    expect(messages[2]?.result.isError).toBe(true);
  });
});
