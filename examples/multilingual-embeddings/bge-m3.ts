// Multilingual dense embeddings the way bge-m3 makes them: an XLM-RoBERTa
// encoder, the first token's (<s>) hidden state, unit length (bge-m3's
// sentence-transformers folder: CLS pooling, then Normalize). Same model
// files as pipeline.ts: FIXED RANDOM WEIGHTS at a small XLM-R's shapes and
// a SentencePiece Unigram tokenizer.json trained here (scripts/prepare-models.sh).
// Build: npx codegen build examples/multilingual-embeddings/bge-m3.ts
import { pipeline, textInput, tokenize, engine, clsPool, normalize, output } from 'faster-bert';

const modelDir = '../../models/random-xlmr-unigram';

export default pipeline({
  name: 'xlmr_cls_embeddings',
  maxBatchSize: 32,
  dynamicBatching: { maxQueueDelayMicroseconds: 2000 },
  instances: { count: 1, kind: 'cpu' },
  graph: () => {
    const text = textInput('text');
    const tokens = tokenize(text, { tokenizerJson: `${modelDir}/tokenizer.json`, maxLength: 256 });
    const hidden = engine(tokens, { onnx: `${modelDir}/model.onnx` });
    return [output('embedding', normalize(clsPool(hidden.tokenEmbeddings)))];
  },
});
