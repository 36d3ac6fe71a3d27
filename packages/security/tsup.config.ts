import { packageConfig } from '../../tsup.base.js';

// Data files the package reads at run time ship inside dist/.
export default packageConfig({ index: 'src/index.ts', cli: 'src/cli.ts', bin: 'src/bin.ts' }, { onSuccess: 'mkdir -p dist/rules dist/python dist/data && cp rules/*.yaml dist/rules/ && cp python/*.py dist/python/ && cp data/advisories.json.gz dist/data/' });
