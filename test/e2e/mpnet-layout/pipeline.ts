// all-mpnet-base-v2's tokenizer.json layout (a WordPiece file with MPNet's
// template <s> A </s></s> B </s> and <mask> lstrip, trained here:
// test/assets/tokenizers/mpnet-wordpiece.json) on the fast WordPiece path,
// before an encoder of XLM-R's architecture with FIXED RANDOM WEIGHTS
// (scripts/prepare-models.sh): mean pooling and L2, as that model's
// sentence-transformers folder does (test/e2e/tokenizer-families.test.ts).
import { pipeline, textInput, tokenize, engine, meanPool, normalize, output } from 'faster-bert';

const modelDir = '../../../models/random-mpnet-wordpiece';

export default pipeline({
  name: 'mpnet_layout_embeddings',
  maxBatchSize: 32,
  dynamicBatching: { maxQueueDelayMicroseconds: 2000 },
  instances: { count: 1, kind: 'cpu' },
  graph: () => {
    const text = textInput('text');
    const tokens = tokenize(text, { tokenizerJson: `${modelDir}/tokenizer.json`, maxLength: 256 });
    const hidden = engine(tokens, { onnx: `${modelDir}/model.onnx` });
    return [output('embedding', normalize(meanPool(hidden.tokenEmbeddings, tokens.attentionMask)))];
  },
});
