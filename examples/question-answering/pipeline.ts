// Extractive question answering (SQuAD v2 style): question + context in, the
// 3 best answer spans out, with their scores and character offsets in the
// context. A context longer than one engine row is cut into windows that
// share docStride tokens; the empty answer competes with its null score.
// The model is a small BERT QA head with fixed random weights
// (scripts/prepare-models.sh): the real architecture and vocab, not trained.
// Build: npx codegen build examples/question-answering/pipeline.ts
import { pipeline, textInput, tokenizeQuestionContext, engine, extractAnswers, output } from 'faster-bert';

const modelDir = '../../models/random-bert-qa';

export default pipeline({
  name: 'extractive_qa',
  maxBatchSize: 16,
  dynamicBatching: { maxQueueDelayMicroseconds: 5000 },
  graph: () => {
    const question = textInput('question');
    const context = textInput('context');
    const tokens = tokenizeQuestionContext(question, context, {
      tokenizerJson: `${modelDir}/tokenizer.json`,
      maxLength: 64,
      docStride: 16,
    });
    const { startLogits, endLogits } = engine(tokens, { onnx: `${modelDir}/model.onnx` });
    const answers = extractAnswers(startLogits, endLogits, tokens.contextWindows, {
      nBest: 3,
      maxAnswerLength: 10,
      nullAnswer: true,
    });
    return [
      output('answer', answers.text),
      output('score', answers.score),
      output('start', answers.start),
      output('end', answers.end),
    ];
  },
});
