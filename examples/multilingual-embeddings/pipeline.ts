// Multilingual sentence embeddings with an XLM-RoBERTa encoder, the way
// bge-m3 and multilingual-e5 are built: a SentencePiece Unigram tokenizer.json
// (Precompiled normalizer, Metaspace, <s> A </s>) read by the runtime as it
// is, an XLM-R encoder (no token type input), mean pooling, unit length.
// The model has FIXED RANDOM WEIGHTS at a small XLM-R's shapes and the
// tokenizer is one trained here with sentencepiece (test/assets/tokenizers/):
// no registry ships XLM-R weights. scripts/prepare-models.sh makes both.
// Build: npx codegen build examples/multilingual-embeddings/pipeline.ts
import { pipeline, textInput, tokenize, engine, meanPool, normalize, output } from 'faster-bert';

export default pipeline({
  name: 'xlmr_embeddings',
  maxBatchSize: 32,
  dynamicBatching: { maxQueueDelayMicroseconds: 2000 },
  instances: { count: 1, kind: 'cpu' },
  graph: () => {
    const text = textInput('text');
    const tokens = tokenize(text, { tokenizerJson: '../../models/random-xlmr-unigram/tokenizer.json', maxLength: 256 });
    const hidden = engine(tokens, { onnx: '../../models/random-xlmr-unigram/model.onnx' });
    const embedding = normalize(meanPool(hidden.tokenEmbeddings, tokens.attentionMask));
    return [output('embedding', embedding)];
  },
});
