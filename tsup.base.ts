import { defineConfig, type Options } from 'tsup';

/**
 * The one tsup config every package uses: ESM plus `.d.ts`, Node 20, dependencies external.
 * `entry` maps output names to sources, for example `{ index: 'src/index.ts', bin: 'src/bin.ts' }`.
 */
export function packageConfig(entry: Record<string, string>, extra: Options = {}) {
  return defineConfig({
    entry,
    format: ['esm'],
    platform: 'node',
    target: 'node20',
    dts: { entry: Object.fromEntries(Object.entries(entry).filter(([name]) => name !== 'bin')), compilerOptions: { composite: false, emitDeclarationOnly: false, declarationMap: false, customConditions: [] } },
    clean: true,
    splitting: true,
    sourcemap: false,
    shims: false,
    ...extra,
  });
}
