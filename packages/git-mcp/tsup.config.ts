import { packageConfig } from '../../tsup.base.js';

export default packageConfig({ index: 'src/index.ts', cli: 'src/cli.ts', server: 'src/server.ts', bin: 'src/bin.ts' });
