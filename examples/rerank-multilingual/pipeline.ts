// Multilingual cross-encoder reranking the way bge-reranker-v2-m3 does it:
// an XLM-RoBERTa sequence classifier with ONE relevance logit, each (query,
// passage) pair one engine row (<s> query </s></s> passage </s>, the pair
// template of the tokenizer.json; only the passage truncated), sigmoid. One
// request carries a query and its passages, as examples/rerank/pipeline.ts
// (same tensors: query, passages; scores, top_indices).
// The model has FIXED RANDOM WEIGHTS at a small XLM-R's shapes and the
// SentencePiece Unigram tokenizer.json trained here (scripts/prepare-models.sh):
// the real architecture and head, not a trained reranker.
// Build: npx codegen build examples/rerank-multilingual/pipeline.ts
import { pipeline, textInput, passagesInput, tokenizePairs, engine, rerank, output } from 'faster-bert';

const modelDir = '../../models/random-xlmr-reranker';

export default pipeline({
  name: 'xlmr_reranker',
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
