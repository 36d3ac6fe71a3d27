import { packageConfig } from '../../tsup.base.js';

export default packageConfig({ index: 'src/index.ts', cli: 'src/cli.ts', testing: 'src/testing.ts', bin: 'src/bin.ts' });
