// Cross-encoder scoring of one (query, passage) pair per batch row: a
// two-class head (not relevant, relevant) → softmax, the score being the
// probability of class 1. The model is a small BERT with fixed random
// weights (scripts/prepare-models.sh), not a trained reranker.
//
// Triton tensors (max_batch_size > 0; a request may carry several rows):
//   query    BYTES [1]  request shape [rows, 1]
//   passage  BYTES [1]  request shape [rows, 1], one passage per query
//   score    FP32  [1]  response shape [rows, 1]
// Build: npx codegen build examples/rerank/pair-per-row.ts
import { pipeline, textInput, tokenizePairs, engine, rerank, output } from 'faster-bert';

const modelDir = '../../models/random-bert-reranker-2class';

export default pipeline({
  name: 'pair_scorer',
  maxBatchSize: 32,
  dynamicBatching: { maxQueueDelayMicroseconds: 5000 },
  graph: () => {
    const query = textInput('query');
    const passage = textInput('passage');
    const tokens = tokenizePairs(query, passage, { tokenizerJson: `${modelDir}/tokenizer.json`, maxLength: 128 });
    const { logits } = engine(tokens, { onnx: `${modelDir}/model.onnx` });
    return [output('score', rerank(logits, tokens.pairs, { activation: 'softmax' }).score)];
  },
});
