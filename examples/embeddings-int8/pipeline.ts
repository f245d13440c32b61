// The embeddings example with an INT8 engine: `codegen build` quantizes
// all-MiniLM-L6-v2 with NNCF (calibrated on tools/quantize/texts/, LayerNorm,
// softmax, the embedding lookup and the output projections kept in floating
// point, bf16 where the CPU has it) and fails unless
// every held-out sentence embedding stays within cosine 0.99 of FP32's.
// Build: npx codegen build examples/embeddings-int8/pipeline.ts
import { pipeline, textInput, tokenize, engine, meanPool, normalize, output } from 'faster-bert';

export default pipeline({
  name: 'minilm_embeddings_int8',
  maxBatchSize: 32,
  maxBatchTokens: 4096,
  dynamicBatching: { maxQueueDelayMicroseconds: 2000 },
  instances: { count: 1, kind: 'cpu' },
  graph: () => {
    const text = textInput('text');
    const tokens = tokenize(text, { tokenizerJson: '../../models/all-MiniLM-L6-v2/tokenizer.json', maxLength: 256 });
    const hidden = engine(tokens, { onnx: '../../models/all-MiniLM-L6-v2/model.onnx', precision: 'int8' });
    const embedding = normalize(meanPool(hidden.tokenEmbeddings, tokens.attentionMask));
    return [output('embedding', embedding)];
  },
});
