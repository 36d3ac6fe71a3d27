import { defineConfig } from 'tsup';
import { packageConfig } from '../../tsup.base.js';

// Node parts (library, CLI, Electron main) as ESM; the preload as CommonJS, which a sandboxed
// Electron preload requires. The renderer is built by vite (vite.config.ts).
export default defineConfig([
  packageConfig({ index: 'src/index.ts', cli: 'src/cli.ts', bin: 'src/bin.ts', 'electron-main': 'src/electron/main.ts' }, { external: ['electron', 'playwright-core'], clean: false }),
  { entry: { 'electron-preload': 'src/electron/preload.ts' }, format: ['cjs'], platform: 'node', target: 'node20', external: ['electron'], clean: false, outDir: 'dist', dts: false },
]);
