// The GPU example as it ran before CUDA graphs and priced engine calls: each
// dynamic batch is one eager engine call padded to its longest row. Built
// beside pipeline.ts by tools/device/gpu_e2e/ as the H200 benchmark's
// "before" (same model, same server, same run).
import { pipeline, textInput, tokenize, engine, meanPool, normalize, output } from 'faster-bert';

export default pipeline({
  name: 'bert_gpu_eager',
  maxBatchSize: 64,
  dynamicBatching: { maxQueueDelayMicroseconds: 2000 },
  instances: { count: 2, kind: 'gpu' },
  graph: () => {
    const text = textInput('text');
    const tokens = tokenize(text, { vocab: '../../models/bert-base-random-pt2/vocab.txt', maxLength: 256 });
    const hidden = engine(tokens, { aotInductor: '../../models/bert-base-random-pt2/model.pt2', cudaGraphs: false });
    const embedding = normalize(meanPool(hidden.tokenEmbeddings, tokens.attentionMask));
    return [output('embedding', embedding)];
  },
});
