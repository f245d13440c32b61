// The model the scale-out test starts its replicas with: the embeddings
// example (all-MiniLM-L6-v2, mean pooling, L2), with one OpenVINO thread per
// replica, since three replicas share the machine's cores.
import { pipeline, textInput, tokenize, engine, meanPool, normalize, output } from 'faster-bert';

export default pipeline({
  name: 'minilm_embeddings',
  maxBatchSize: 32,
  maxBatchTokens: 4096,
  dynamicBatching: { maxQueueDelayMicroseconds: 2000 },
  instances: { count: 1, kind: 'cpu' },
  graph: () => {
    const text = textInput('text');
    const tokens = tokenize(text, { tokenizerJson: '../../models/all-MiniLM-L6-v2/tokenizer.json', maxLength: 256 });
    const hidden = engine(tokens, { onnx: '../../models/all-MiniLM-L6-v2/model.onnx', numThreads: 1 });
    const embedding = normalize(meanPool(hidden.tokenEmbeddings, tokens.attentionMask));
    return [output('embedding', embedding)];
  },
});
