// Text classification, one label per text: a BERT sequence classifier's
// logits → softmax → the scores of every class plus the top 3 labels (BYTES)
// and their scores. Label names come from the model's config.json id2label.
// The model is a small BERT with fixed random weights (scripts/prepare-models.sh):
// the real architecture and vocab, not a trained classifier.
// Build: npx codegen build examples/classifier/pipeline.ts
import { pipeline, textInput, tokenize, engine, classify, output } from 'faster-bert';

const modelDir = '../../models/random-bert-classifier';

export default pipeline({
  name: 'topic_classifier',
  maxBatchSize: 16,
  dynamicBatching: { maxQueueDelayMicroseconds: 5000 },
  graph: () => {
    const text = textInput('text');
    const tokens = tokenize(text, { tokenizerJson: `${modelDir}/tokenizer.json`, maxLength: 128 });
    const { logits } = engine(tokens, { onnx: `${modelDir}/model.onnx` });
    const topics = classify(logits, { activation: 'softmax', labels: { configJson: `${modelDir}/config.json` }, topK: 3 });
    return [
      output('scores', topics.scores),
      output('labels', topics.labels),
      output('label_scores', topics.labelScores),
      output('logits', logits),
    ];
  },
});
