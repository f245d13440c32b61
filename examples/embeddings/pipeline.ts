// Sentence embeddings with all-MiniLM-L6-v2, as sentence-transformers computes
// them: WordPiece tokens → BERT encoder → mean over real tokens → unit length.
// Build: npx codegen build examples/embeddings/pipeline.ts
// (scripts/prepare-models.sh puts the model files under models/).
import { pipeline, textInput, tokenize, engine, meanPool, normalize, output } from 'faster-bert';

export default pipeline({
  name: 'minilm_embeddings',
  maxBatchSize: 32,
  // At most 4096 tokens (rows x longest row) per engine call: a batch of 32
  // full-length texts (256 tokens) runs as two calls of 16.
  maxBatchTokens: 4096,
  dynamicBatching: { maxQueueDelayMicroseconds: 2000 },
  instances: { count: 1, kind: 'cpu' },
  graph: () => {
    const text = textInput('text');
    // Lower case, accents stripped, Chinese characters split: all from tokenizer.json.
    // Its own truncation (128) is ignored; maxLength decides (sentence-transformers uses 256).
    const tokens = tokenize(text, { tokenizerJson: '../../models/all-MiniLM-L6-v2/tokenizer.json', maxLength: 256 });
    const hidden = engine(tokens, { onnx: '../../models/all-MiniLM-L6-v2/model.onnx' });
    const embedding = normalize(meanPool(hidden.tokenEmbeddings, tokens.attentionMask));
    return [output('embedding', embedding)];
  },
});
