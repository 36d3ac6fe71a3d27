// Loads the GGUF with node-llama-cpp (CPU only) and prints its size: proof the file is usable.
import { getLlama } from 'node-llama-cpp';

const modelPath = process.argv[2];
const llama = await getLlama({ gpu: false, logLevel: 'error' });
const model = await llama.loadModel({ modelPath });
process.stderr.write(`[setup] model loads: ${model.fileInfo.metadata.general?.name ?? 'gguf'} (${model.size} bytes)\n`);
await model.dispose();
await llama.dispose();
