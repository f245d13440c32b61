// Build-time wiring checks of the pipeline kinds (sentence-transformers
// pooling, classification, extractive QA, several outputs): each problem is
// reported at the user's file:line:col with what to do, and a well-wired
// pipeline lowers to the IR the runtime expects. Model signatures come from
// sidecar files written here; the .onnx files themselves are never read.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPipeline } from '../../codegen/check-pipeline.js';
import { checkErrors, locationPrefix, repoRoot, writePipeline, type PipelineFolder } from './pipeline-fixture.js';

const ids = { name: 'input_ids', dtype: 'INT64', shape: ['batch', 'sequence'] };
const mask = { name: 'attention_mask', dtype: 'INT64', shape: ['batch', 'sequence'] };
const types = { name: 'token_type_ids', dtype: 'INT64', shape: ['batch', 'sequence'] };

function writeModel(folder: PipelineFolder, file: string, outputs: readonly object[]): void {
  writeFileSync(join(folder.dir, file), 'not read: the sidecar gives the signature');
  writeFileSync(join(folder.dir, `${file}.json`), JSON.stringify({ inputs: [ids, mask, types], outputs, max_position_embeddings: 64 }));
}

function writeSentenceTransformer(folder: PipelineFolder, pooling: Record<string, unknown>, modules?: readonly object[]): void {
  mkdirSync(join(folder.dir, 'st', '1_Pooling'), { recursive: true });
  const defaultModules = [
    { idx: 0, name: '0', path: '', type: 'sentence_transformers.models.Transformer' },
    { idx: 1, name: '1', path: '1_Pooling', type: 'sentence_transformers.models.Pooling' },
    { idx: 2, name: '2', path: '2_Normalize', type: 'sentence_transformers.models.Normalize' },
  ];
  writeFileSync(join(folder.dir, 'st', 'modules.json'), JSON.stringify(modules ?? defaultModules));
  writeFileSync(join(folder.dir, 'st', '1_Pooling', 'config.json'), JSON.stringify(pooling));
}

const embeddingSource = `import { pipeline, textInput, tokenize, engine, sentenceTransformerPooling, clsPool, output } from 'faster-bert';

export default pipeline({
  name: 'st_embeddings',
  maxBatchSize: 8,
  graph: () => {
    const text = textInput('text');
    const tokens = tokenize(text, { vocab: './assets/vocab.txt', maxLength: 16 });
    const hidden = engine(tokens, { onnx: './assets/model.onnx' });
    const embedding = sentenceTransformerPooling(hidden.tokenEmbeddings, tokens.attentionMask, { modelDir: './st' });
    return [output('embedding', embedding), output('cls', clsPool(hidden.tokenEmbeddings)), output('tokens', tokens.tokenCount)];
  },
});
`;

const classifierSource = `import { pipeline, textInput, tokenize, engine, classify, output } from 'faster-bert';

export default pipeline({
  name: 'tiny_classifier',
  maxBatchSize: 8,
  graph: () => {
    const text = textInput('text');
    const tokens = tokenize(text, { vocab: './assets/vocab.txt', maxLength: 16 });
    const { logits } = engine(tokens, { onnx: './cls.onnx' });
    const result = classify(logits, { labels: { configJson: './config.json' }, topK: 2 });
    return [output('labels', result.labels), output('label_scores', result.labelScores), output('scores', result.scores)];
  },
});
`;

const qaSource = `import { pipeline, textInput, tokenizeQuestionContext, engine, extractAnswers, output } from 'faster-bert';

export default pipeline({
  name: 'tiny_qa',
  maxBatchSize: 8,
  graph: () => {
    const question = textInput('question');
    const context = textInput('context');
    const tokens = tokenizeQuestionContext(question, context, { vocab: './assets/vocab.txt', maxLength: 32, docStride: 8 });
    const logits = engine(tokens, { onnx: './qa.onnx' });
    const answers = extractAnswers(logits.startLogits, logits.endLogits, tokens.contextWindows, { nBest: 2, nullAnswer: true });
    return [output('answer', answers.text), output('start', answers.start)];
  },
});
`;

const meanPooling = { word_embedding_dimension: 8, pooling_mode_mean_tokens: true, pooling_mode_cls_token: false, pooling_mode_max_tokens: false };

describe('sentence-transformers folder and several outputs', () => {
  it('reads mean pooling and Normalize from the folder, beside CLS pooling and the token count', () => {
    const folder = writePipeline(embeddingSource);
    writeSentenceTransformer(folder, meanPooling);
    const { ir } = checkPipeline(folder.pipelineFile);
    expect(ir.outputs.map((out) => [out.name, out.kind, out.dataType, out.dims[0]])).toEqual([
      ['embedding', 'sentenceEmbedding', 'FP32', 8],
      ['cls', 'sentenceEmbedding', 'FP32', 8],
      ['tokens', 'tokenCount', 'INT64', 1],
    ]);
    const [embedding] = ir.outputs;
    expect(embedding?.kind === 'sentenceEmbedding' && embedding.ops.map((op) => op.op)).toEqual(['meanPool', 'l2Normalize']);
  });

  it('reports a pooling mode the runtime lacks, naming the file and field, at the call', () => {
    const folder = writePipeline(embeddingSource);
    writeSentenceTransformer(folder, { ...meanPooling, pooling_mode_mean_tokens: false, pooling_mode_mean_sqrt_len_tokens: true });
    const errors = checkErrors(folder.pipelineFile);
    const at = `${locationPrefix(folder, 'sentenceTransformerPooling(hidden')} error: sentenceTransformerPooling: `;
    expect(errors[0]).toContain(at);
    expect(errors.join('\n')).toMatch(/1_Pooling\/config\.json: pooling_mode_mean_sqrt_len_tokens is true/);
  });

  it('reports a module it cannot run and a dimension that is not the model', () => {
    const folder = writePipeline(embeddingSource);
    writeSentenceTransformer(folder, meanPooling, [
      { path: '', type: 'sentence_transformers.models.Transformer' },
      { path: '1_Pooling', type: 'sentence_transformers.models.Pooling' },
      { path: '2_Dense', type: 'sentence_transformers.models.Dense' },
    ]);
    expect(checkErrors(folder.pipelineFile)[0]).toMatch(/modules\.json \[2\] \(type sentence_transformers\.models\.Dense\): module type Dense is not supported/);
    writeSentenceTransformer(folder, { ...meanPooling, word_embedding_dimension: 384 });
    expect(checkErrors(folder.pipelineFile)[0]).toMatch(/word_embedding_dimension is 384 but the engine's token embeddings have 8/);
  });

  it('names a missing folder', () => {
    const folder = writePipeline(embeddingSource.replace("modelDir: './st'", "modelDir: './nope'"));
    expect(checkErrors(folder.pipelineFile)[0]).toContain("sentenceTransformerPooling: model folder './nope' not found");
  });

  it('reports a token count that is not from the engine\'s tokenizer', () => {
    const source = embeddingSource.replace(
      "output('tokens', tokens.tokenCount)",
      "output('tokens', tokenize(text, { vocab: './assets/vocab.txt' }).tokenCount)",
    ).replace('sentenceTransformerPooling, clsPool', 'sentenceTransformerPooling, clsPool, tokenize as tokenizeAgain').replace("tokenize(text, { vocab: './assets/vocab.txt' })", "tokenizeAgain(text, { vocab: './assets/vocab.txt' })");
    const folder = writePipeline(source);
    writeSentenceTransformer(folder, meanPooling);
    expect(checkErrors(folder.pipelineFile)).toEqual([
      `${locationPrefix(folder, "output('tokens'")} error: output: the token count must come from the tokenize() that feeds the engine`,
    ]);
  });
});

describe('classification', () => {
  const logits = (labels: number | string) => [{ name: 'logits', dtype: 'FP32', shape: ['batch', labels] }];

  it('lowers labels from config.json id2label, top-k and the output dims', () => {
    const folder = writePipeline(classifierSource, { 'config.json': JSON.stringify({ id2label: { 0: 'neg', 1: 'neu', 2: 'pos' } }) });
    writeModel(folder, 'cls.onnx', logits(3));
    const { ir } = checkPipeline(folder.pipelineFile);
    expect(ir.classifier).toMatchObject({ activation: 'softmax', labels: ['neg', 'neu', 'pos'], topK: 2, threshold: null });
    expect(ir.engine.outputs).toEqual({ tokenEmbeddings: null, logits: 'logits', startLogits: null, endLogits: null, tokenLogits: null });
    expect(ir.outputs.map((out) => [out.kind, out.dataType, out.dims[0]])).toEqual([
      ['topLabels', 'BYTES', 2],
      ['topLabelScores', 'FP32', 2],
      ['classScores', 'FP32', 3],
    ]);
  });

  it('reports label names that do not match the classes, at classify()', () => {
    const folder = writePipeline(classifierSource, { 'config.json': JSON.stringify({ id2label: { 0: 'neg', 1: 'pos' } }) });
    writeModel(folder, 'cls.onnx', logits(3));
    expect(checkErrors(folder.pipelineFile)).toEqual([
      `${locationPrefix(folder, 'classify(')} error: classify: 2 label names from ./config.json, but the model's logits have 3 classes`,
    ]);
  });

  it('reports a labels file with a gap, and topK above the classes', () => {
    const folder = writePipeline(classifierSource.replace("{ configJson: './config.json' }, topK: 2", "{ configJson: './config.json' }, topK: 5"), {
      'config.json': JSON.stringify({ id2label: { 0: 'a', 2: 'c' } }),
    });
    writeModel(folder, 'cls.onnx', logits(3));
    expect(checkErrors(folder.pipelineFile)[0]).toContain('classify: ./config.json: id2label has no label for class 1');
    writeFileSync(join(folder.dir, 'config.json'), JSON.stringify({ id2label: { 0: 'a', 1: 'b', 2: 'c' } }));
    expect(checkErrors(folder.pipelineFile)[0]).toContain("classify: topK 5 is more than the model's 3 classes");
  });

  it('reports a model without a logits output, and logits of unknown width, at engine()', () => {
    const folder = writePipeline(classifierSource, { 'config.json': JSON.stringify({ id2label: { 0: 'a' } }) });
    writeModel(folder, 'cls.onnx', [{ name: 'last_hidden_state', dtype: 'FP32', shape: ['batch', 'sequence', 8] }]);
    expect(checkErrors(folder.pipelineFile)).toEqual([
      `${locationPrefix(folder, 'engine(')} error: engine: the model has no output 'logits' (its outputs: 'last_hidden_state'); name the classifier logits output with engine(tokens, { outputs: { logits: '...' } })`,
    ]);
    writeModel(folder, 'cls.onnx', logits('labels'));
    expect(checkErrors(folder.pipelineFile)[0]).toContain("its last dim (the number of labels) must be a fixed number");
  });

  it('makes a probability threshold a type error when it is not a number', () => {
    const folder = writePipeline(classifierSource.replace('topK: 2', "topK: 2, threshold: 'high'"), { 'config.json': '{}' });
    expect(checkErrors(folder.pipelineFile)[0]).toMatch(/\(TS2322\)/);
  });
});

describe('extractive QA', () => {
  const spans = [
    { name: 'start_logits', dtype: 'FP32', shape: ['batch', 'sequence'] },
    { name: 'end_logits', dtype: 'FP32', shape: ['batch', 'sequence'] },
  ];

  it('lowers question + context, doc stride, decoder settings and n-best outputs', () => {
    const folder = writePipeline(qaSource);
    writeModel(folder, 'qa.onnx', spans);
    const { ir } = checkPipeline(folder.pipelineFile);
    expect(ir.input.name).toBe('question');
    expect(ir.encoding).toMatchObject({ kind: 'questionContext', context: { name: 'context' }, docStride: 8 });
    expect(ir.answerDecoder).toMatchObject({ nBest: 2, maxAnswerLength: 15, nullAnswer: true, alignToWords: true });
    expect(ir.outputs.map((out) => [out.kind, out.dataType, out.dims[0]])).toEqual([
      ['answerText', 'BYTES', 2],
      ['answerStart', 'INT64', 2],
    ]);
  });

  it('builds QA on a Unigram and a byte-level BPE tokenizer.json (the runtime windows them with their pair template)', () => {
    for (const name of ['xlmr-unigram', 'roberta-bpe']) {
      const file = join(repoRoot, 'test', 'assets', 'tokenizers', `${name}.json`);
      const folder = writePipeline(qaSource.replace("vocab: './assets/vocab.txt'", `tokenizerJson: '${file}'`));
      writeModel(folder, 'qa.onnx', spans);
      const { ir } = checkPipeline(folder.pipelineFile);
      expect(ir.tokenizer.kind).toBe('tokenizerJson');
      expect(ir.encoding).toMatchObject({ kind: 'questionContext', docStride: 8 });
    }
  });

  it('asks for the same text limits on question and context', () => {
    const folder = writePipeline(qaSource.replace("textInput('context')", "textInput('context', { maxBytes: 4096 })"));
    writeModel(folder, 'qa.onnx', spans);
    expect(checkErrors(folder.pipelineFile)).toEqual([
      `${locationPrefix(folder, "textInput('context'")} error: textInput: the runtime checks question and context with the same limits: give the context the question's allowEmpty and maxBytes`,
    ]);
  });

  it('reports a doc stride that leaves no room, at tokenizeQuestionContext()', () => {
    const folder = writePipeline(qaSource.replace('docStride: 8', 'docStride: 28'));
    writeModel(folder, 'qa.onnx', spans);
    expect(checkErrors(folder.pipelineFile)).toEqual([
      `${locationPrefix(folder, 'tokenizeQuestionContext(question')} error: tokenizeQuestionContext: docStride 28 must be less than maxLength - 4 (28), the longest context window: the tokenizer's pair template adds 3 special tokens beside a one-token question`,
    ]);
  });

  it("bounds the doc stride by the tokenizer's pair template: 4 special tokens for XLM-R and RoBERTa files, 3 for BERT", () => {
    // maxLength 32: a one-token question leaves 28 context tokens for BERT, 27 for <s> q </s></s> c </s>.
    const bert = writePipeline(qaSource.replace('docStride: 8', 'docStride: 27'));
    writeModel(bert, 'qa.onnx', spans);
    expect(checkPipeline(bert.pipelineFile).ir.encoding).toMatchObject({ docStride: 27 });
    for (const name of ['xlmr-unigram', 'roberta-bpe']) {
      const file = join(repoRoot, 'test', 'assets', 'tokenizers', `${name}.json`);
      const source = qaSource.replace("vocab: './assets/vocab.txt'", `tokenizerJson: '${file}'`);
      const fits = writePipeline(source.replace('docStride: 8', 'docStride: 26'));
      writeModel(fits, 'qa.onnx', spans);
      expect(checkPipeline(fits.pipelineFile).ir.encoding).toMatchObject({ docStride: 26 });
      const folder = writePipeline(source.replace('docStride: 8', 'docStride: 27'));
      writeModel(folder, 'qa.onnx', spans);
      expect(checkErrors(folder.pipelineFile)).toEqual([
        `${locationPrefix(folder, 'tokenizeQuestionContext(question')} error: tokenizeQuestionContext: docStride 27 must be less than maxLength - 5 (27), the longest context window: the tokenizer's pair template adds 4 special tokens beside a one-token question`,
      ]);
    }
  });

  it('reports QA logits of the wrong rank, and start/end logits passed the wrong way round', () => {
    const folder = writePipeline(qaSource);
    writeModel(folder, 'qa.onnx', [spans[0], { name: 'end_logits', dtype: 'FP32', shape: ['batch', 'sequence', 2] }]);
    expect(checkErrors(folder.pipelineFile)[0]).toContain("engine: output 'end_logits' has shape [batch, sequence, 2]; QA end logits must be rank 2 [batch, sequence]");
    const swapped = writePipeline(qaSource.replace('logits.startLogits, logits.endLogits', 'logits.endLogits, logits.startLogits'));
    writeModel(swapped, 'qa.onnx', spans);
    expect(checkErrors(swapped.pipelineFile)[0]).toContain(
      `${locationPrefix(swapped, 'extractAnswers(')} error: extractAnswers: pass the engine result's startLogits first, then its endLogits`,
    );
  });

  it('makes QA decoding of single-text tokens a type error', () => {
    const source = qaSource
      .replace("tokenizeQuestionContext(question, context, { vocab: './assets/vocab.txt', maxLength: 32, docStride: 8 })", "tokenize(question, { vocab: './assets/vocab.txt' })")
      .replace('tokenizeQuestionContext, engine', 'tokenizeQuestionContext, tokenize, engine');
    const folder = writePipeline(source);
    writeModel(folder, 'qa.onnx', spans);
    const [error] = checkErrors(folder.pipelineFile);
    expect(error).toContain(`${locationPrefix(folder, 'contextWindows, {')} error: Property 'contextWindows' does not exist on type 'Tokens'`);
  });
});
