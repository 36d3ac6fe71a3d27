import { packageConfig } from '../../tsup.base.js';

export default packageConfig({ index: 'src/index.ts', cli: 'src/cli.ts', bin: 'src/bin.ts' }, { onSuccess: 'cp -r prompts dist/' });
