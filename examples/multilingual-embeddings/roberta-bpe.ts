// The same with a RoBERTa-style byte-level BPE tokenizer.json (ByteLevel
// pre-tokenizer, RobertaProcessing with trim_offsets), as RoBERTa and
// ModernBERT-family models ship: FIXED RANDOM WEIGHTS, a tokenizer trained
// here with HF tokenizers (test/assets/tokenizers/roberta-bpe.json).
import { pipeline, textInput, tokenize, engine, meanPool, normalize, output } from 'faster-bert';

export default pipeline({
  name: 'roberta_bpe_embeddings',
  maxBatchSize: 32,
  dynamicBatching: { maxQueueDelayMicroseconds: 2000 },
  instances: { count: 1, kind: 'cpu' },
  graph: () => {
    const text = textInput('text');
    const tokens = tokenize(text, { tokenizerJson: '../../models/random-roberta-bpe/tokenizer.json', maxLength: 256 });
    const hidden = engine(tokens, { onnx: '../../models/random-roberta-bpe/model.onnx' });
    const embedding = normalize(meanPool(hidden.tokenEmbeddings, tokens.attentionMask));
    return [output('embedding', embedding)];
  },
});
