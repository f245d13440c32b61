// Multilingual embeddings the way multilingual-e5 makes them: every text
// gets a prompt in front, "query: " for queries and "passage: " for the
// documents searched, then mean pooling and unit length. sentence-transformers
// keeps both in `prompts` and picks one per call (`prompt_name`); here the
// pick is the Triton model: e5_passage_embeddings (this file, "passage: ") and
// e5_query_embeddings (e5-query.ts) run the same model file, and a client
// sends its raw text to the one it means. The prompt's tokens are pooled with
// the text's, as e5 does. Same model files as pipeline.ts: FIXED RANDOM
// WEIGHTS at a small XLM-R's shapes (scripts/prepare-models.sh).
// Build: npx codegen build examples/multilingual-embeddings/e5-passage.ts
import { pipeline, textInput, tokenize, engine, meanPool, normalize, output } from 'faster-bert';

const modelDir = '../../models/random-xlmr-unigram';

export default pipeline({
  name: 'e5_passage_embeddings',
  maxBatchSize: 32,
  dynamicBatching: { maxQueueDelayMicroseconds: 2000 },
  instances: { count: 1, kind: 'cpu' },
  graph: () => {
    const text = textInput('text', { prompt: 'passage: ' });
    const tokens = tokenize(text, { tokenizerJson: `${modelDir}/tokenizer.json`, maxLength: 256 });
    const hidden = engine(tokens, { onnx: `${modelDir}/model.onnx` });
    return [output('embedding', normalize(meanPool(hidden.tokenEmbeddings, tokens.attentionMask)))];
  },
});
