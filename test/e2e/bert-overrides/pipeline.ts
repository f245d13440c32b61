// examples/embedding-variants with lowercase: false given beside MiniLM's
// (uncased) tokenizer.json: the runtime reads the file and applies the
// pipeline's setting over its normalizer's (test/e2e/bert-overrides.test.ts).
import { pipeline, textInput, tokenize, engine, sentenceTransformerPooling, clsPool, maxPool, normalize, output } from 'faster-bert';

const modelDir = '../../../models/all-MiniLM-L6-v2';

export default pipeline({
  name: 'minilm_cased_variants',
  maxBatchSize: 32,
  dynamicBatching: { maxQueueDelayMicroseconds: 2000 },
  graph: () => {
    const text = textInput('text');
    const tokens = tokenize(text, { tokenizerJson: `${modelDir}/tokenizer.json`, maxLength: 256, lowercase: false });
    const hidden = engine(tokens, { onnx: `${modelDir}/model.onnx` });
    return [
      output('embedding', sentenceTransformerPooling(hidden.tokenEmbeddings, tokens.attentionMask, { modelDir })),
      output('cls_embedding', clsPool(hidden.tokenEmbeddings)),
      output('max_embedding', normalize(maxPool(hidden.tokenEmbeddings, tokens.attentionMask))),
      output('token_count', tokens.tokenCount),
    ];
  },
});
