// The embeddings example computed in BF16 where the CPU has it (avx512_bf16
// or AMX; elsewhere OpenVINO runs f32 and the build says so): `codegen build`
// fails unless every held-out sentence embedding stays within cosine 0.999
// of FP32's.
// Build: npx codegen build examples/embeddings-bf16/pipeline.ts
import { pipeline, textInput, tokenize, engine, meanPool, normalize, output } from 'faster-bert';

export default pipeline({
  name: 'minilm_embeddings_bf16',
  maxBatchSize: 32,
  maxBatchTokens: 4096,
  dynamicBatching: { maxQueueDelayMicroseconds: 2000 },
  instances: { count: 1, kind: 'cpu' },
  graph: () => {
    const text = textInput('text');
    const tokens = tokenize(text, { tokenizerJson: '../../models/all-MiniLM-L6-v2/tokenizer.json', maxLength: 256 });
    const hidden = engine(tokens, { onnx: '../../models/all-MiniLM-L6-v2/model.onnx', precision: 'bf16' });
    const embedding = normalize(meanPool(hidden.tokenEmbeddings, tokens.attentionMask));
    return [output('embedding', embedding)];
  },
});
