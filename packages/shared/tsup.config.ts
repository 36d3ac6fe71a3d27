import { packageConfig } from '../../tsup.base.js';

export default packageConfig({ index: 'src/index.ts', node: 'src/node.ts', cli: 'src/cli.ts', testing: 'src/testing.ts' });
