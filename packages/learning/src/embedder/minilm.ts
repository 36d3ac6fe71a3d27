import { access } from 'node:fs/promises';
import path from 'node:path';
import { ResultAsync, errAsync, okAsync } from 'neverthrow';
import { learningError, toLearningError, type LearningError } from '../errors.js';
import type { Embedder } from './port.js';

/** Options of {@link createLocalEmbedder}. */
export interface LocalEmbedderOptions {
  /** Folder with `tokenizer.json`, `tokenizer_config.json`, `config.json` and `onnx/model_quantized.onnx`. */
  readonly modelDir: string;
  /** ONNX model file inside `modelDir`. Default `onnx/model_quantized.onnx`. */
  readonly modelFile?: string;
  /** Intra-op threads. Default 1: for one short text a second thread costs more than it gives. */
  readonly threads?: number;
  /** Longest input in tokens; longer texts are truncated. Default 256 (MiniLM was trained on 256). */
  readonly maxTokens?: number;
}

interface TokenTensor {
  readonly data: BigInt64Array;
  readonly dims: readonly number[];
}
type Tokenize = (texts: string[], o: { padding: boolean; truncation: boolean; max_length: number }) => {
  input_ids: TokenTensor;
  attention_mask: TokenTensor;
};
interface OrtTensorCtor {
  new (type: 'int64', data: BigInt64Array, dims: readonly number[]): unknown;
}
interface OrtSession {
  run(feeds: Record<string, unknown>): Promise<Record<string, { data: Float32Array; dims: readonly number[] }>>;
  readonly inputNames: readonly string[];
  release(): Promise<void>;
}
interface Loaded {
  readonly tokenize: Tokenize;
  readonly session: OrtSession;
  readonly Tensor: OrtTensorCtor;
}

const DIMS = 384;

/**
 * The local all-MiniLM-L6-v2 embedder (int8 ONNX, 384 dims, mean pooling, L2 norm), run fully
 * offline with onnxruntime-node and the model's own tokenizer files. Nothing is loaded until the
 * first `embed` call; a missing model folder becomes an `embedder_unavailable` error there.
 */
export function createLocalEmbedder(options: LocalEmbedderOptions): Embedder {
  const modelFile = options.modelFile ?? 'onnx/model_quantized.onnx';
  const threads = options.threads ?? 1;
  const maxTokens = options.maxTokens ?? 256;
  let loading: Promise<Loaded> | undefined;
  // Runs are serialized: onnxruntime sessions are not meant to run concurrently from one thread pool.
  let queue: Promise<unknown> = Promise.resolve();

  const load = async (): Promise<Loaded> => {
    const modelPath = path.join(options.modelDir, modelFile);
    await access(modelPath);
    await access(path.join(options.modelDir, 'tokenizer.json'));
    const ort = await import('onnxruntime-node');
    const transformers = await import('@huggingface/transformers');
    // Offline only: the tokenizer is read from the model folder, never fetched.
    transformers.env.allowRemoteModels = false;
    transformers.env.allowLocalModels = true;
    transformers.env.localModelPath = `${path.dirname(path.resolve(options.modelDir))}/`;
    const tokenizer = await transformers.AutoTokenizer.from_pretrained(path.basename(path.resolve(options.modelDir)));
    const session = (await ort.InferenceSession.create(modelPath, {
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    })) as unknown as OrtSession;
    return { tokenize: tokenizer as unknown as Tokenize, session, Tensor: ort.Tensor as unknown as OrtTensorCtor };
  };

  const ensure = (): ResultAsync<Loaded, LearningError> => {
    loading ??= load();
    return ResultAsync.fromPromise(loading, (cause) => {
      loading = undefined;
      return toLearningError('embedder_unavailable', `cannot load the embedding model from ${options.modelDir}`)(cause);
    });
  };

  const run = async (m: Loaded, texts: string[]): Promise<Float32Array[]> => {
    const enc = m.tokenize(texts, { padding: true, truncation: true, max_length: maxTokens });
    const dims = enc.input_ids.dims;
    const [batch, len] = [dims[0] as number, dims[1] as number];
    const mask = enc.attention_mask.data;
    const feeds: Record<string, unknown> = {
      input_ids: new m.Tensor('int64', enc.input_ids.data, [batch, len]),
      attention_mask: new m.Tensor('int64', mask, [batch, len]),
    };
    if (m.session.inputNames.includes('token_type_ids')) {
      feeds['token_type_ids'] = new m.Tensor('int64', new BigInt64Array(batch * len), [batch, len]);
    }
    const out = await m.session.run(feeds);
    const hidden = out['last_hidden_state'] ?? Object.values(out)[0];
    if (!hidden) throw new Error('the model returned no output');
    const d = hidden.dims[2] as number;
    const h = hidden.data;
    const vectors: Float32Array[] = [];
    for (let i = 0; i < batch; i++) {
      const v = new Float32Array(d);
      let count = 0;
      for (let t = 0; t < len; t++) {
        if (mask[i * len + t] === 0n) continue;
        count++;
        const base = (i * len + t) * d;
        for (let k = 0; k < d; k++) v[k] = (v[k] as number) + (h[base + k] as number);
      }
      let norm = 0;
      for (let k = 0; k < d; k++) {
        const x = (v[k] as number) / Math.max(count, 1);
        v[k] = x;
        norm += x * x;
      }
      norm = Math.sqrt(norm) || 1;
      for (let k = 0; k < d; k++) v[k] = (v[k] as number) / norm;
      vectors.push(v);
    }
    return vectors;
  };

  return {
    id: `all-MiniLM-L6-v2/${path.basename(modelFile, '.onnx')}@1`,
    dims: DIMS,
    embed(texts) {
      if (texts.length === 0) return okAsync([]);
      if (texts.some((t) => typeof t !== 'string')) return errAsync(learningError('invalid_input', 'embed takes strings only'));
      return ensure().andThen((m) => {
        const job = queue.then(() => run(m, texts.map((t) => (t.trim() === '' ? ' ' : t))));
        queue = job.catch(() => undefined);
        return ResultAsync.fromPromise(job, toLearningError('embedding_failed', 'embedding failed'));
      });
    },
  };
}
