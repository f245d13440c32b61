// Cross-encoder reranking: one request carries a query and its passages; each
// (query, passage) pair is one engine row ([CLS] query [SEP] passage [SEP],
// only the passage truncated), its one relevance logit → sigmoid (as
// sentence-transformers' CrossEncoder with num_labels=1). Out: a score per
// passage in input order and the 3 best passage indices.
// The model is a small BERT with fixed random weights (scripts/prepare-models.sh):
// the real architecture and vocab, not a trained reranker.
//
// Triton tensors (max_batch_size > 0, so each has a leading batch dim; a
// request is one batch row):
//   query       BYTES [1]   request shape [1, 1]
//   passages    BYTES [-1]  request shape [1, n], 1 <= n <= maxPassages (ragged: requests
//                           with different n share a dynamic batch)
//   scores      FP32  [-1]  response shape [1, n], in the order of `passages`
//   top_indices INT64 [3]   response shape [1, 3], best first, ties by lower index, -1 past n
// Build: npx codegen build examples/rerank/pipeline.ts
import { pipeline, textInput, passagesInput, tokenizePairs, engine, rerank, output } from 'faster-bert';

const modelDir = '../../models/random-bert-reranker';

export default pipeline({
  name: 'passage_reranker',
  maxBatchSize: 16,
  // A request of 64 passages is 64 engine rows: the budget splits them into several calls.
  maxBatchTokens: 8192,
  dynamicBatching: { maxQueueDelayMicroseconds: 5000 },
  graph: () => {
    const query = textInput('query');
    const passages = passagesInput('passages', { maxPassages: 64 });
    const tokens = tokenizePairs(query, passages, { tokenizerJson: `${modelDir}/tokenizer.json`, maxLength: 128 });
    const { logits } = engine(tokens, { onnx: `${modelDir}/model.onnx` });
    const ranking = rerank(logits, tokens.pairs, { activation: 'sigmoid', topK: 3 });
    return [output('scores', ranking.scores), output('top_indices', ranking.topIndices)];
  },
});
