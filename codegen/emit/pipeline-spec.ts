// pipeline_spec.cc: MakePipelineSpec() filling backend-cpp/pipeline/pipeline_spec.h.
import type { PipelineIr, PostOpIr } from '../ir/schema.js';
import { cppBool, cppStringLiteral as str } from './escape.js';
import { renderTemplate } from './templates.js';

const postOpEnumerator: Readonly<Record<PostOpIr['op'], string>> = {
  meanPool: 'PostOp::kMeanPool',
  clsPool: 'PostOp::kClsPool',
  maxPool: 'PostOp::kMaxPool',
  l2Normalize: 'PostOp::kL2Normalize',
};

const engineKindEnumerator: Readonly<Record<PipelineIr['engine']['kind'], string>> = {
  openvino: 'EngineKind::kOpenVino',
};

export function pipelineSpecView(ir: PipelineIr): object {
  const { tokenizer, engine } = ir;
  const [output] = ir.outputs;
  return {
    irVersion: String(ir.irVersion),
    pipelineName: ir.name,
    name: str(ir.name),
    textInput: str(ir.input.name),
    allowEmptyText: cppBool(ir.input.allowEmpty),
    maxTextBytes: String(ir.input.maxBytes),
    maxBatchSize: String(ir.maxBatchSize),
    tokenizer: {
      vocabFile: str(tokenizer.vocab.file),
      cleanText: cppBool(tokenizer.cleanText),
      handleChineseChars: cppBool(tokenizer.handleChineseChars),
      lowercase: cppBool(tokenizer.lowercase),
      stripAccents: cppBool(tokenizer.stripAccents),
      unkToken: str(tokenizer.unkToken),
      clsToken: str(tokenizer.clsToken),
      sepToken: str(tokenizer.sepToken),
      padToken: str(tokenizer.padToken),
      continuingSubwordPrefix: str(tokenizer.continuingSubwordPrefix),
      maxInputCharsPerWord: String(tokenizer.maxInputCharsPerWord),
      maxLength: String(tokenizer.maxLength),
      truncation: cppBool(tokenizer.truncation),
    },
    engine: {
      kind: engineKindEnumerator[engine.kind],
      modelFile: str(engine.model.file),
      device: str(engine.device),
      numThreads: String(engine.numThreads),
      inputIds: str(engine.inputs.inputIds),
      attentionMask: str(engine.inputs.attentionMask),
      tokenTypeIds: str(engine.inputs.tokenTypeIds ?? ''),
      tokenEmbeddings: str(engine.outputs.tokenEmbeddings),
      hiddenSize: String(engine.hiddenSize),
    },
    postOps: output.ops.map((op) => postOpEnumerator[op.op]),
    output: { name: str(output.name), dim: String(output.dims[0]) },
  };
}

export function renderPipelineSpec(ir: PipelineIr): string {
  return renderTemplate('pipeline_spec.cc', pipelineSpecView(ir));
}
