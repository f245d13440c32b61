// The model the scale-out test rolls out to its replicas (served as version 2):
// pipeline-v1.ts with a shorter queue delay, a change the replicas show in
// their model configuration while the embeddings stay the same.
import { pipeline, textInput, tokenize, engine, meanPool, normalize, output } from 'faster-bert';

export default pipeline({
  name: 'minilm_embeddings',
  maxBatchSize: 32,
  maxBatchTokens: 4096,
  dynamicBatching: { maxQueueDelayMicroseconds: 1000 },
  instances: { count: 1, kind: 'cpu' },
  graph: () => {
    const text = textInput('text');
    const tokens = tokenize(text, { tokenizerJson: '../../models/all-MiniLM-L6-v2/tokenizer.json', maxLength: 256 });
    const hidden = engine(tokens, { onnx: '../../models/all-MiniLM-L6-v2/model.onnx', numThreads: 1 });
    const embedding = normalize(meanPool(hidden.tokenEmbeddings, tokens.attentionMask));
    return [output('embedding', embedding)];
  },
});
