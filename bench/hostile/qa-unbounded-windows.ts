// bench/hostile: the question-answering example with maxWindows raised past
// what a 1 MiB context makes (24K windows), to measure what the other bounds
// (engine rows per call, n-best kept, scratch given back) do alone.
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
      maxWindows: 30000,
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
