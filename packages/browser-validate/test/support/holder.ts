// Run in a child process by the lifecycle test: starts a browser, reports its pids, then waits
// to be killed (SIGKILL, so no cleanup code of ours runs).
import { createBrowserValidator } from '../../src/index.js';

async function main(): Promise<void> {
  const v = createBrowserValidator();
  const r = await v.check({ html: '<h1>held</h1>' });
  const info = v.browserProcess();
  process.stdout.write(`${JSON.stringify({ ok: r.isOk() && r.value.ok, ...info })}\n`);
  setInterval(() => {}, 60_000);
}

void main();
