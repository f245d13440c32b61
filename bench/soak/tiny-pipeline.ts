// The soak's pipeline with a tiny engine (SOAK_MODEL=tiny in bench/soak/run.sh):
// examples/embeddings/pipeline.ts as it is, on a 2-layer, 64-wide BERT with
// fixed random weights and all-MiniLM-L6-v2's vocab and tokenizer.json, so the
// engine costs little and a run of 1,000,000 requests exercises what a long
// run can break outside it (HTTP, batching, tokenizing, bad requests, errors,
// memory) within an hour on two cores.
import { pipeline, textInput, tokenize, engine, meanPool, normalize, output } from 'faster-bert';

export default pipeline({
  name: 'tiny_embeddings',
  maxBatchSize: 32,
  maxBatchTokens: 4096,
  dynamicBatching: { maxQueueDelayMicroseconds: 2000 },
  instances: { count: 1, kind: 'cpu' },
  graph: () => {
    const text = textInput('text');
    const tokens = tokenize(text, { tokenizerJson: '../../models/random-bert-tiny/tokenizer.json', maxLength: 256 });
    const hidden = engine(tokens, { onnx: '../../models/random-bert-tiny/model.onnx' });
    const embedding = normalize(meanPool(hidden.tokenEmbeddings, tokens.attentionMask));
    return [output('embedding', embedding)];
  },
});
