// Build-time checks of the reranking kind (query + many passages, and one
// pair per row): wiring mistakes are TypeScript errors or diagnostics at the
// user's file:line:col, and a well-wired pipeline lowers to the IR, C++ spec
// and config.pbtxt the runtime expects. Model signatures come from sidecar
// files written here; the .onnx files themselves are never read.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPipeline } from '../../codegen/check-pipeline.js';
import { renderConfigPbtxt } from '../../codegen/emit/config-pbtxt.js';
import { renderPipelineSpec } from '../../codegen/emit/pipeline-spec.js';
import { checkErrors, locationPrefix, writePipeline, type PipelineFolder } from './pipeline-fixture.js';

const ids = { name: 'input_ids', dtype: 'INT64', shape: ['batch', 'sequence'] };
const mask = { name: 'attention_mask', dtype: 'INT64', shape: ['batch', 'sequence'] };
const types = { name: 'token_type_ids', dtype: 'INT64', shape: ['batch', 'sequence'] };

function writeCrossEncoder(folder: PipelineFolder, labels: number): void {
  writeFileSync(join(folder.dir, 'ce.onnx'), 'not read: the sidecar gives the signature');
  const outputs = [{ name: 'logits', dtype: 'FP32', shape: ['batch', labels] }];
  writeFileSync(join(folder.dir, 'ce.onnx.json'), JSON.stringify({ inputs: [ids, mask, types], outputs, max_position_embeddings: 64 }));
}

const listSource = `import { pipeline, textInput, passagesInput, tokenizePairs, engine, rerank, output } from 'faster-bert';

export default pipeline({
  name: 'tiny_reranker',
  maxBatchSize: 8,
  graph: () => {
    const query = textInput('query');
    const passages = passagesInput('passages', { maxPassages: 16 });
    const tokens = tokenizePairs(query, passages, { vocab: './assets/vocab.txt', maxLength: 32 });
    const { logits } = engine(tokens, { onnx: './ce.onnx' });
    const ranking = rerank(logits, tokens.pairs, { activation: 'sigmoid', topK: 4 });
    return [output('scores', ranking.scores), output('top_indices', ranking.topIndices)];
  },
});
`;

const rowSource = `import { pipeline, textInput, tokenizePairs, engine, rerank, output } from 'faster-bert';

export default pipeline({
  name: 'tiny_pair_scorer',
  maxBatchSize: 8,
  graph: () => {
    const query = textInput('query');
    const passage = textInput('passage');
    const tokens = tokenizePairs(query, passage, { vocab: './assets/vocab.txt', maxLength: 32 });
    const { logits } = engine(tokens, { onnx: './ce.onnx' });
    return [output('score', rerank(logits, tokens.pairs, { activation: 'softmax' }).score)];
  },
});
`;

describe('reranking: query + passages', () => {
  it('lowers to query-passages encoding, the reranker and per-request outputs', () => {
    const folder = writePipeline(listSource);
    writeCrossEncoder(folder, 1);
    const { ir } = checkPipeline(folder.pipelineFile);
    expect(ir.input.name).toBe('query');
    expect(ir.encoding).toMatchObject({ kind: 'queryPassages', passages: { name: 'passages', dims: [-1] }, maxPassages: 16 });
    expect(ir.reranker).toMatchObject({ activation: 'sigmoid', topK: 4 });
    expect(ir.tokenizer.truncation).toBe(true);
    expect(ir.outputs.map((out) => [out.kind, out.dataType, out.dims[0]])).toEqual([
      ['rerankScores', 'FP32', -1],
      ['rerankTopIndices', 'INT64', 4],
    ]);
    const config = renderConfigPbtxt(ir);
    expect(config).toMatch(/name: "passages"\n {4}data_type: TYPE_STRING\n {4}dims: \[ -1 \]\n {4}allow_ragged_batch: true/);
    expect(config).toMatch(/name: "query"\n {4}data_type: TYPE_STRING\n {4}dims: \[ 1 \]\n {2}\}/);
    expect(config).toMatch(/name: "scores"\n {4}data_type: TYPE_FP32\n {4}dims: \[ -1 \]/);
    const spec = renderPipelineSpec(ir);
    expect(spec).toContain('spec.encoding.kind = EncodingKind::kQueryPassages;');
    expect(spec).toContain('spec.encoding.max_passages = 16;');
    expect(spec).toContain('spec.reranker.activation = Activation::kSigmoid;');
    expect(spec).toContain('OutputKind::kRerankTopIndices, 4,');
  });

  it('reports a head of 3 logits at rerank()', () => {
    const folder = writePipeline(listSource);
    writeCrossEncoder(folder, 3);
    expect(checkErrors(folder.pipelineFile)).toEqual([
      `${locationPrefix(folder, 'rerank(logits')} error: rerank: the engine's logits have 3 classes; a cross-encoder has 1 (a relevance logit) or 2 (not relevant, relevant)`,
    ]);
  });

  it('reports topK above maxPassages, and softmax over one logit', () => {
    const folder = writePipeline(listSource.replace('topK: 4', 'topK: 17'));
    writeCrossEncoder(folder, 1);
    expect(checkErrors(folder.pipelineFile)).toEqual([
      `${locationPrefix(folder, 'rerank(logits')} error: rerank: topK 17 is more than maxPassages 16, the most passages a request may send`,
    ]);
    const softmax = writePipeline(listSource.replace("activation: 'sigmoid'", "activation: 'softmax'"));
    writeCrossEncoder(softmax, 1);
    expect(checkErrors(softmax.pipelineFile)[0]).toContain("rerank: softmax over the engine's one logit is always 1");
  });

  it('makes miswiring a type error: passages into tokenize(), text as rerank pairs, topK on one pair per row', () => {
    const tokenizePassages = writePipeline(
      listSource
        .replace("tokenizePairs(query, passages, { vocab: './assets/vocab.txt', maxLength: 32 })", "tokenize(passages, { vocab: './assets/vocab.txt' })")
        .replace('tokenizePairs, engine', 'tokenizePairs, tokenize, engine'),
    );
    writeCrossEncoder(tokenizePassages, 1);
    expect(checkErrors(tokenizePassages.pipelineFile)[0]).toContain("Argument of type 'Passages' is not assignable to parameter of type 'Text'");
    const textPairs = writePipeline(listSource.replace('rerank(logits, tokens.pairs,', 'rerank(logits, query,'));
    writeCrossEncoder(textPairs, 1);
    const [textPairsError] = checkErrors(textPairs.pipelineFile);
    expect(textPairsError).toContain(`${locationPrefix(textPairs, 'query, {')} error: No overload matches this call.`);
    expect(textPairsError).toContain("Argument of type 'Text' is not assignable to parameter of type 'PassagePairs'");
    const rowTopK = writePipeline(rowSource.replace("{ activation: 'softmax' }", "{ activation: 'softmax', topK: 2 }"));
    writeCrossEncoder(rowTopK, 2);
    expect(checkErrors(rowTopK.pipelineFile)[0]).toContain("'topK' does not exist");
    const rowTopIndices = writePipeline(rowSource.replace(").score)", ").topIndices)"));
    writeCrossEncoder(rowTopIndices, 2);
    expect(checkErrors(rowTopIndices.pipelineFile)[0]).toContain("Property 'topIndices' does not exist on type 'PairScoring'");
  });
});

describe('reranking: one pair per row', () => {
  it('lowers to per-row pair encoding and a score of dims [1]', () => {
    const folder = writePipeline(rowSource);
    writeCrossEncoder(folder, 2);
    const { ir } = checkPipeline(folder.pipelineFile);
    expect(ir.encoding).toMatchObject({ kind: 'queryPassagePerRow', passage: { name: 'passage', dims: [1] } });
    expect(ir.reranker).toMatchObject({ activation: 'softmax', topK: null });
    expect(ir.outputs.map((out) => [out.kind, out.dataType, out.dims[0]])).toEqual([['pairScore', 'FP32', 1]]);
    expect(renderConfigPbtxt(ir)).not.toContain('allow_ragged_batch');
    expect(renderPipelineSpec(ir)).toContain('spec.encoding.kind = EncodingKind::kQueryPassagePerRow;');
  });
});
