// One all-MiniLM-L6-v2 encoder, several sentence embeddings and the token
// count, each an output a client may ask for on its own:
//  - `embedding`: pooling and normalization read from the sentence-transformers
//    folder (modules.json + 1_Pooling/config.json: mean pooling, then Normalize);
//  - `cls_embedding`: the [CLS] token's vector, not normalized;
//  - `max_embedding`: max over the real tokens, unit length;
//  - `token_count`: tokens of the text with [CLS] and [SEP], after truncation.
// The runtime computes only what the requests of a batch ask for.
// Build: npx codegen build examples/embedding-variants/pipeline.ts
import {
  pipeline,
  textInput,
  tokenize,
  engine,
  sentenceTransformerPooling,
  clsPool,
  maxPool,
  normalize,
  output,
} from 'faster-bert';

const modelDir = '../../models/all-MiniLM-L6-v2';

export default pipeline({
  name: 'minilm_variants',
  maxBatchSize: 32,
  dynamicBatching: { maxQueueDelayMicroseconds: 2000 },
  graph: () => {
    const text = textInput('text');
    const tokens = tokenize(text, { tokenizerJson: `${modelDir}/tokenizer.json`, maxLength: 256 });
    const hidden = engine(tokens, { onnx: `${modelDir}/model.onnx` });
    return [
      output('embedding', sentenceTransformerPooling(hidden.tokenEmbeddings, tokens.attentionMask, { modelDir })),
      output('cls_embedding', clsPool(hidden.tokenEmbeddings)),
      output('max_embedding', normalize(maxPool(hidden.tokenEmbeddings, tokens.attentionMask))),
      output('token_count', tokens.tokenCount),
    ];
  },
});
