// Multi-label classification: sigmoid per class, every label scoring at least
// 0.5 (at most 5), names from a labels file (one per line). Same random-weight
// model as examples/classifier.
// Build: npx codegen build examples/multi-label-classifier/pipeline.ts
import { pipeline, textInput, tokenize, engine, classify, output } from 'faster-bert';

const modelDir = '../../models/random-bert-classifier';

export default pipeline({
  name: 'topic_tagger',
  maxBatchSize: 16,
  dynamicBatching: { maxQueueDelayMicroseconds: 5000 },
  graph: () => {
    const text = textInput('text');
    const tokens = tokenize(text, { tokenizerJson: `${modelDir}/tokenizer.json`, maxLength: 128 });
    const { logits } = engine(tokens, { onnx: `${modelDir}/model.onnx` });
    const tags = classify(logits, { activation: 'sigmoid', labels: { labelsFile: `${modelDir}/labels.txt` }, topK: 5, threshold: 0.5 });
    return [output('tags', tags.labels), output('tag_scores', tags.labelScores), output('scores', tags.scores)];
  },
});
