import { packageConfig } from '../../tsup.base.js';

// Data files the package reads at run time ship inside dist/. The parse worker is its own entry
// (dist/parse-worker.js), started by path from the chunk that runs a build.
export default packageConfig({ index: 'src/index.ts', cli: 'src/cli.ts', bin: 'src/bin.ts', 'parse-worker': 'src/parse/worker.ts' }, { onSuccess: 'cp -r queries dist/' });
