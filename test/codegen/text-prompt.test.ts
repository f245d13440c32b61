// textInput({ prompt }): the text a model wants in front of each of its
// texts (multilingual-e5's "query: "). It reaches the IR and the generated
// spec as written; a value the runtime could not put in front of a text as it
// is (not UTF-8, a NUL, too long), and a prompt on NER or QA inputs (whose
// offsets point into the client's text), fail `codegen build` at the
// textInput() line.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPipeline } from '../../codegen/check-pipeline.js';
import { main } from '../../codegen/cli/main.js';
import { captureConsole } from './console-capture.js';
import { basePipelineSource, checkErrors, locationPrefix, writePipeline } from './pipeline-fixture.js';

const output = captureConsole();

function withPrompt(prompt: string): string {
  return basePipelineSource.replace("textInput('text')", `textInput('text', { prompt: ${prompt} })`);
}

describe('textInput prompt', () => {
  it('goes into the IR and the generated spec as written, and defaults to none', async () => {
    // Non-ASCII and an escape: the C++ literal must read back as the same bytes.
    const folder = writePipeline(withPrompt("'query: «é» \"x\"\\n'"));
    expect(checkPipeline(folder.pipelineFile).ir.input.prompt).toBe('query: «é» "x"\n');
    const buildRoot = join(folder.dir, 'generated');
    expect(await main(['build', folder.pipelineFile, '--sources-only', '--build-dir', buildRoot, '--out', join(folder.dir, 'repo')])).toBe(0);
    const spec = readFileSync(join(buildRoot, 'tiny_embeddings', 'pipeline_spec.cc'), 'utf8');
    expect(spec).toContain('spec.text_prompts = {\n      "query: \\302\\253\\303\\251\\302\\273 \\"x\\"\\n",\n  };');

    const plain = writePipeline(basePipelineSource);
    expect(checkPipeline(plain.pipelineFile).ir.input.prompt).toBe('');
  });

  it('is checked on passagesInput too: query and passages each have their own', () => {
    const folder = writePipeline(`import { pipeline, textInput, passagesInput, tokenizePairs, engine, rerank, output } from 'faster-bert';

export default pipeline({
  name: 'tiny_reranker',
  maxBatchSize: 8,
  graph: () => {
    const query = textInput('query', { prompt: 'query: ' });
    const passages = passagesInput('passages', { prompt: 'passage: ' });
    const tokens = tokenizePairs(query, passages, { vocab: './assets/vocab.txt', maxLength: 32 });
    const { logits } = engine(tokens, { onnx: './rank.onnx' });
    return [output('scores', rerank(logits, tokens.pairs).scores)];
  },
});
`);
    const inputs = [
      { name: 'input_ids', dtype: 'INT64', shape: ['batch', 'sequence'] },
      { name: 'attention_mask', dtype: 'INT64', shape: ['batch', 'sequence'] },
    ];
    writeFileSync(join(folder.dir, 'rank.onnx'), 'not read: the sidecar gives the signature');
    writeFileSync(
      join(folder.dir, 'rank.onnx.json'),
      JSON.stringify({ inputs, outputs: [{ name: 'logits', dtype: 'FP32', shape: ['batch', 1] }], max_position_embeddings: 64 }),
    );
    const { ir } = checkPipeline(folder.pipelineFile);
    expect(ir.input.prompt).toBe('query: ');
    expect(ir.encoding.kind === 'queryPassages' ? ir.encoding.passages.prompt : undefined).toBe('passage: ');
  });

  it.each([
    ['a lone surrogate', "'query: \\ud800'", 'is not valid UTF-8 (it holds a lone UTF-16 surrogate)'],
    ['a NUL', "'query:\\0'", 'holds a NUL character'],
    ['1025 bytes', "'é'.repeat(512) + 'x'", 'is 1025 bytes of UTF-8, over the limit of 1024'],
    ['a number', '42 as unknown as string', 'must be a string, not number'],
  ])('fails codegen build at the textInput() line for %s', async (_what, prompt, problem) => {
    const folder = writePipeline(withPrompt(prompt));
    expect(await main(['build', folder.pipelineFile, '--sources-only', '--build-dir', join(folder.dir, 'generated')])).toBe(1);
    expect(output.stderr).toBe(`${locationPrefix(folder, 'textInput(')} error: textInput: prompt ${problem}\n`);
  });

  it('takes 1024 bytes', () => {
    const folder = writePipeline(withPrompt("'é'.repeat(512)"));
    expect(checkPipeline(folder.pipelineFile).ir.input.prompt).toHaveLength(512);
  });

  it('is refused on a token classifier input: entity offsets point into the client text', () => {
    const folder = writePipeline(`import { pipeline, textInput, tokenize, engine, tokenClassify, output } from 'faster-bert';

export default pipeline({
  name: 'tiny_ner',
  maxBatchSize: 8,
  graph: () => {
    const text = textInput('text', { prompt: 'ner: ' });
    const tokens = tokenize(text, { vocab: './assets/vocab.txt', maxLength: 16 });
    const { tokenLogits } = engine(tokens, { onnx: './ner.onnx' });
    return [output('entities', tokenClassify(tokenLogits, { labels: { names: ['O', 'B-PER', 'I-PER'] } }).json)];
  },
});
`);
    const inputs = ['input_ids', 'attention_mask', 'token_type_ids'].map((name) => ({ name, dtype: 'INT64', shape: ['batch', 'sequence'] }));
    writeFileSync(join(folder.dir, 'ner.onnx'), 'not read: the sidecar gives the signature');
    writeFileSync(
      join(folder.dir, 'ner.onnx.json'),
      JSON.stringify({ inputs, outputs: [{ name: 'logits', dtype: 'FP32', shape: ['batch', 'sequence', 3] }], max_position_embeddings: 64 }),
    );
    expect(checkErrors(folder.pipelineFile)).toEqual([
      `${locationPrefix(folder, 'textInput(')} error: textInput: prompt is not supported with token classification: its character offsets point into the client's text, which the prompt would shift`,
    ]);
  });

  it('is refused on question-answering inputs: answer offsets point into the client text', () => {
    const folder = writePipeline(`import { pipeline, textInput, tokenizeQuestionContext, engine, extractAnswers, output } from 'faster-bert';

export default pipeline({
  name: 'tiny_qa',
  maxBatchSize: 8,
  graph: () => {
    const question = textInput('question');
    const context = textInput('context', { prompt: 'passage: ' });
    const tokens = tokenizeQuestionContext(question, context, { vocab: './assets/vocab.txt', maxLength: 32, docStride: 8 });
    const logits = engine(tokens, { onnx: './qa.onnx' });
    return [output('answer', extractAnswers(logits.startLogits, logits.endLogits, tokens.contextWindows).text)];
  },
});
`);
    const inputs = ['input_ids', 'attention_mask', 'token_type_ids'].map((name) => ({ name, dtype: 'INT64', shape: ['batch', 'sequence'] }));
    const outputs = ['start_logits', 'end_logits'].map((name) => ({ name, dtype: 'FP32', shape: ['batch', 'sequence'] }));
    writeFileSync(join(folder.dir, 'qa.onnx'), 'not read: the sidecar gives the signature');
    writeFileSync(join(folder.dir, 'qa.onnx.json'), JSON.stringify({ inputs, outputs, max_position_embeddings: 64 }));
    expect(checkErrors(folder.pipelineFile)).toEqual([
      `${locationPrefix(folder, "textInput('context'")} error: textInput: prompt is not supported with question answering: its character offsets point into the client's text, which the prompt would shift`,
    ]);
  });
});
