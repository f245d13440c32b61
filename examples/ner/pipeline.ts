// Named entities (token classification), as HF's TokenClassificationPipeline
// with aggregation_strategy="simple": softmax per token, B-/I- tags merged
// into entities with character offsets (and UTF-8 byte offsets) into the text.
// Outputs the entities as one JSON string per text and as typed tensors.
// The model is a small BERT token classifier with FIXED RANDOM WEIGHTS
// (scripts/prepare-models.sh): the real architecture and vocab, not a trained NER model.
// Build: npx codegen build examples/ner/pipeline.ts
import { pipeline, textInput, tokenize, engine, tokenClassify, output } from 'faster-bert';

const modelDir = '../../models/random-bert-ner';

export default pipeline({
  name: 'ner_tagger',
  maxBatchSize: 16,
  dynamicBatching: { maxQueueDelayMicroseconds: 5000 },
  graph: () => {
    const text = textInput('text');
    const tokens = tokenize(text, { tokenizerJson: `${modelDir}/tokenizer.json`, maxLength: 64 });
    const { tokenLogits } = engine(tokens, { onnx: `${modelDir}/model.onnx` });
    const ner = tokenClassify(tokenLogits, { labels: { configJson: `${modelDir}/config.json` }, aggregation: 'simple', maxEntities: 16 });
    return [
      output('entities', ner.json),
      output('entity_labels', ner.labelIds),
      output('entity_starts', ner.starts),
      output('entity_ends', ner.ends),
      output('entity_scores', ner.scores),
    ];
  },
});
