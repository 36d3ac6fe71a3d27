import { packageConfig } from '../../tsup.base.js';

// Data files the package reads at run time ship inside dist/.
export default packageConfig({ index: 'src/index.ts', cli: 'src/cli.ts', bin: 'src/bin.ts' }, { onSuccess: 'cp -r queries dist/' });
