// pipeline_spec.cc: MakePipelineSpec() filling backend-cpp/pipeline/pipeline_spec.h.
import { modelFileName } from '../ir/model-files.js';
import type { OutputKind } from '../ir/output-kinds.js';
import type { BertOverridesIr, ClassifierIr, PipelineIr, PostOpIr, RerankerIr, TextInputIr, TokenClassifierIr } from '../ir/schema.js';
import { cppBool, cppStringLiteral as str } from './escape.js';
import { renderTemplate } from './templates.js';

const postOpEnumerator: Readonly<Record<PostOpIr['op'], string>> = {
  meanPool: 'PostOp::kMeanPool',
  clsPool: 'PostOp::kClsPool',
  maxPool: 'PostOp::kMaxPool',
  l2Normalize: 'PostOp::kL2Normalize',
};

const outputKindEnumerator: Readonly<Record<OutputKind, string>> = {
  sentenceEmbedding: 'OutputKind::kSentenceEmbedding',
  tokenCount: 'OutputKind::kTokenCount',
  logits: 'OutputKind::kLogits',
  classScores: 'OutputKind::kClassScores',
  topLabels: 'OutputKind::kTopLabels',
  topLabelScores: 'OutputKind::kTopLabelScores',
  answerText: 'OutputKind::kAnswerText',
  answerScore: 'OutputKind::kAnswerScore',
  answerStart: 'OutputKind::kAnswerStart',
  answerEnd: 'OutputKind::kAnswerEnd',
  rerankScores: 'OutputKind::kRerankScores',
  rerankTopIndices: 'OutputKind::kRerankTopIndices',
  pairScore: 'OutputKind::kPairScore',
  entities: 'OutputKind::kEntities',
  entityLabelIds: 'OutputKind::kEntityLabelIds',
  entityStarts: 'OutputKind::kEntityStarts',
  entityEnds: 'OutputKind::kEntityEnds',
  entityScores: 'OutputKind::kEntityScores',
};

const tokenAggregationEnumerator: Readonly<Record<TokenClassifierIr['aggregation'], string>> = {
  none: 'TokenAggregation::kNone',
  simple: 'TokenAggregation::kSimple',
  first: 'TokenAggregation::kFirst',
  average: 'TokenAggregation::kAverage',
  max: 'TokenAggregation::kMax',
};

const rerankActivationEnumerator: Readonly<Record<RerankerIr['activation'], string>> = {
  sigmoid: 'Activation::kSigmoid',
  softmax: 'Activation::kSoftmax',
  none: 'Activation::kNone',
};

const activationEnumerator: Readonly<Record<ClassifierIr['activation'], string>> = {
  softmax: 'Activation::kSoftmax',
  sigmoid: 'Activation::kSigmoid',
};

/** A C++ float literal that reads back as the same float32. */
function cppFloat(value: number): string {
  const text = String(Math.fround(value));
  return /[.eE]/.test(text) ? `${text}f` : `${text}.0f`;
}

const engineKindEnumerator: Readonly<Record<PipelineIr['engine']['kind'], string>> = {
  openvino: 'EngineKind::kOpenVino',
  tensorrt: 'EngineKind::kTensorRt',
  aotInductor: 'EngineKind::kAotInductor',
};

// BertOverridesIr's fields as text::BertTokenizerOverrides' members.
const bertOverrideMember: Readonly<Record<keyof BertOverridesIr, string>> = {
  cleanText: 'clean_text',
  handleChineseChars: 'handle_chinese_chars',
  lowercase: 'lowercase',
  stripAccents: 'strip_accents',
  unkToken: 'unk_token',
  clsToken: 'cls_token',
  sepToken: 'sep_token',
  padToken: 'pad_token',
  continuingSubwordPrefix: 'continuing_subword_prefix',
  maxInputCharsPerWord: 'max_input_chars_per_word',
};

/** One assignment per override set: the member and its C++ value. */
function bertOverrideLines(overrides: BertOverridesIr): Array<{ member: string; value: string }> {
  return (Object.keys(bertOverrideMember) as Array<keyof BertOverridesIr>).flatMap((key) => {
    const value = overrides[key];
    if (value === undefined) return [];
    const text = typeof value === 'boolean' ? cppBool(value) : typeof value === 'number' ? String(value) : str(value);
    return [{ member: bertOverrideMember[key], value: text }];
  });
}

/** The text inputs in the runtime's order: the first text (query, question), then the second if any. */
function textInputsOf(ir: PipelineIr): readonly Pick<TextInputIr, 'name' | 'prompt'>[] {
  const { encoding } = ir;
  return [
    ir.input,
    ...(encoding.kind === 'questionContext' ? [encoding.context] : []),
    ...(encoding.kind === 'queryPassages' ? [encoding.passages] : []),
    ...(encoding.kind === 'queryPassagePerRow' ? [encoding.passage] : []),
  ];
}

export function pipelineSpecView(ir: PipelineIr): object {
  const { tokenizer, engine, encoding, classifier, answerDecoder } = ir;
  return {
    irVersion: String(ir.irVersion),
    pipelineName: ir.name,
    name: str(ir.name),
    textInputs: textInputsOf(ir).map((input) => str(input.name)),
    textPrompts: textInputsOf(ir).map((input) => str(input.prompt)),
    encoding:
      encoding.kind === 'questionContext'
        ? { kind: 'EncodingKind::kQuestionContext', docStride: String(encoding.docStride), maxWindows: String(encoding.maxWindows) }
        : encoding.kind === 'queryPassages'
          ? { kind: 'EncodingKind::kQueryPassages', docStride: '0', maxWindows: '1' }
          : encoding.kind === 'queryPassagePerRow'
            ? { kind: 'EncodingKind::kQueryPassagePerRow', docStride: '0', maxWindows: '1' }
            : { kind: 'EncodingKind::kSingleText', docStride: '0', maxWindows: '1' },
    reranker:
      ir.reranker === null
        ? false
        : {
            maxPassages: String(encoding.kind === 'queryPassages' ? encoding.maxPassages : 0),
            activation: rerankActivationEnumerator[ir.reranker.activation],
          },
    allowEmptyText: cppBool(ir.input.allowEmpty),
    maxTextBytes: String(ir.input.maxBytes),
    maxBatchSize: String(ir.maxBatchSize),
    maxBatchTokens: String(ir.maxBatchTokens ?? 0),
    engineCallCostTokens: String(ir.engineCallCostTokens ?? 0),
    tokenizeThreads: String(ir.instances.tokenizeThreads),
    tokenizer: {
      wordPiece:
        tokenizer.kind === 'wordpiece'
          ? {
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
            }
          : false,
      tokenizerJsonFile: tokenizer.kind === 'tokenizerJson' ? str(tokenizer.file.file) : false,
      tokenizerJsonOverrides: tokenizer.kind === 'tokenizerJson' ? bertOverrideLines(tokenizer.bertOverrides) : [],
      maxLength: String(tokenizer.maxLength),
      truncation: cppBool(tokenizer.truncation),
    },
    engine: {
      kind: engineKindEnumerator[engine.kind],
      modelFile: str(engine.model.file),
      device: str(engine.kind === 'openvino' ? engine.device : 'GPU'),
      numThreads: String(engine.kind === 'openvino' ? engine.numThreads : 0),
      // An int8 model's float parts (LayerNorm, softmax, the kept projections) run in bf16 too where the CPU has it.
      inferencePrecision: str(engine.kind === 'openvino' && engine.precision !== 'f32' ? 'bf16' : 'f32'),
      // Its FP32 original, which the repository carries for CPUs without int8 dot products.
      int8FallbackModelFile: str(engine.kind === 'openvino' && engine.precision === 'int8' ? modelFileName : ''),
      maxBatch: String(engine.kind === 'openvino' ? 0 : (engine.maxBatch ?? 0)),
      maxSequence: String(engine.kind === 'openvino' ? 0 : (engine.maxSequence ?? 0)),
      inputOrder: (engine.kind === 'aotInductor' ? engine.inputOrder : []).map(str),
      outputOrder: (engine.kind === 'aotInductor' ? engine.outputOrder : []).map(str),
      cudaGraphs: cppBool(engine.kind === 'aotInductor' && engine.cudaGraphs),
      cudaGraphMaxTokens: String(engine.kind === 'aotInductor' ? engine.cudaGraphMaxTokens : 0),
      inputIds: str(engine.inputs.inputIds),
      attentionMask: str(engine.inputs.attentionMask),
      tokenTypeIds: str(engine.inputs.tokenTypeIds ?? ''),
      tokenEmbeddings: str(engine.outputs.tokenEmbeddings ?? ''),
      hiddenSize: String(engine.hiddenSize ?? 0),
      logits: str(engine.outputs.logits ?? ''),
      numLabels: String(engine.numLabels ?? 0),
      startLogits: str(engine.outputs.startLogits ?? ''),
      endLogits: str(engine.outputs.endLogits ?? ''),
      tokenLogits: engine.outputs.tokenLogits === null ? false : str(engine.outputs.tokenLogits),
      numTokenLabels: String(engine.numTokenLabels ?? 0),
    },
    tokenClassifier:
      ir.tokenClassifier === null
        ? false
        : {
            labels: ir.tokenClassifier.labels.map((label) => str(label)),
            aggregation: tokenAggregationEnumerator[ir.tokenClassifier.aggregation],
            ignoreLabels: ir.tokenClassifier.ignoreLabels.map((label) => str(label)),
          },
    classifier:
      classifier === null
        ? false
        : {
            activation: activationEnumerator[classifier.activation],
            labels: classifier.labels.map((label) => str(label)),
            hasThreshold: cppBool(classifier.threshold !== null),
            threshold: cppFloat(classifier.threshold ?? 0),
          },
    answerDecoder:
      answerDecoder === null
        ? false
        : {
            nBest: String(answerDecoder.nBest),
            maxAnswerLength: String(answerDecoder.maxAnswerLength),
            nullAnswer: cppBool(answerDecoder.nullAnswer),
            alignToWords: cppBool(answerDecoder.alignToWords),
          },
    outputs: ir.outputs.map((output) => ({
      name: str(output.name),
      kind: outputKindEnumerator[output.kind],
      dim: String(output.dims[0]),
      postOps: output.kind === 'sentenceEmbedding' ? output.ops.map((op) => postOpEnumerator[op.op]) : [],
    })),
  };
}

export function renderPipelineSpec(ir: PipelineIr): string {
  return renderTemplate('pipeline_spec.cc', pipelineSpecView(ir));
}
