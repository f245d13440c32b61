// The pipeline IR: plain JSON, versioned, the contract between the TypeScript
// half and the C++ half (emit turns it into MakePipelineSpec()). Everything is
// resolved here: no defaults are left to fill, asset paths are absolute.
import { z } from 'zod';
import { outputDim, outputKinds, type OutputKind } from './output-kinds.js';

export const irVersion = 7;

/** Triton model and backend name; it also names `libtriton_<name>.so`. */
export const pipelineNamePattern = /^[a-z][a-z0-9_]*$/;
/** Input/output tensor names: safe in config.pbtxt, C++ and HTTP/gRPC clients alike. */
export const tensorNamePattern = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Longest textInput() prompt in UTF-8 bytes: an instruction, not a document. */
export const maxPromptBytes = 1024;

/** What keeps the runtime from putting `prompt` in front of a text as it is; undefined when nothing does. */
export function promptProblem(prompt: string): string | undefined {
  const utf8 = new TextEncoder().encode(prompt);
  // The encoder writes a lone UTF-16 surrogate as U+FFFD, so it does not read back.
  if (new TextDecoder().decode(utf8) !== prompt) return 'is not valid UTF-8 (it holds a lone UTF-16 surrogate)';
  // The generated C++ holds it in a string literal, which a NUL would end.
  if (prompt.includes('\0')) return 'holds a NUL character';
  if (utf8.length > maxPromptBytes) return `is ${utf8.length} bytes of UTF-8, over the limit of ${maxPromptBytes}`;
  return undefined;
}

// The runtime keeps these numbers in C++ `int`.
const int32 = () => z.int().max(2 ** 31 - 1);

const sourceLocation = z
  .strictObject({
    file: z.string(),
    line: z.int().positive(),
    column: z.int().positive(),
  })
  .describe('Where the DSL call that made this part is written (for error messages; not used by the runtime)');

const pipelineName = z
  .string()
  .max(64, { error: 'must be at most 64 characters long' })
  .regex(pipelineNamePattern, {
    error: 'must match ^[a-z][a-z0-9_]*$ (lower case letters, digits and _, starting with a letter): it names the Triton model and libtriton_<name>.so',
  });

const tensorName = z.string().regex(tensorNamePattern, {
  error: 'is not a valid tensor name: use letters, digits and _, not starting with a digit',
});

/** Names of the engine's own tensors: anything the model file uses. */
const modelTensorName = z.string().min(1);

const asset = z
  .strictObject({
    path: z.string().describe('Absolute path of the source file'),
    file: z.string().describe('File name inside the model version directory'),
  })
  .describe('A file copied into the model version directory');

const textInput = z.strictObject({
  name: tensorName,
  dataType: z.literal('BYTES'),
  dims: z.tuple([z.literal(1)]),
  allowEmpty: z.boolean(),
  maxBytes: z.int().min(1).max(64 * 1024 * 1024),
  prompt: z
    .string()
    .refine((prompt) => promptProblem(prompt) === undefined, {
      error: `must be valid UTF-8 of at most ${maxPromptBytes} bytes without NUL`,
    })
    .describe('Put in front of every text of this input before tokenizing; "" for none. The limits above apply to the text without it'),
  source: sourceLocation.optional(),
});

// A BERT vocab.txt with every setting resolved here.
const wordPieceTokenizer = z.strictObject({
  kind: z.literal('wordpiece'),
  vocab: asset.extend({ size: int32().positive() }),
  cleanText: z.boolean(),
  handleChineseChars: z.boolean(),
  lowercase: z.boolean(),
  stripAccents: z.boolean().describe('Resolved: follows lowercase unless set'),
  unkToken: z.string().min(1),
  clsToken: z.string().min(1),
  sepToken: z.string().min(1),
  padToken: z.string().min(1),
  continuingSubwordPrefix: z.string().min(1),
  maxInputCharsPerWord: int32().positive(),
  maxLength: z.int().min(3, { error: 'must be at least 3 ([CLS], one token, [SEP])' }).max(8192),
  truncation: z.boolean(),
  source: sourceLocation.optional(),
});

// tokenize()'s BERT options given beside a BERT tokenizer.json: the runtime
// reads the file's settings and these replace them (unset: the file's).
const bertOverrides = z.strictObject({
  cleanText: z.boolean().optional(),
  handleChineseChars: z.boolean().optional(),
  lowercase: z.boolean().optional(),
  stripAccents: z.boolean().optional(),
  unkToken: z.string().min(1).optional(),
  clsToken: z.string().min(1).optional(),
  sepToken: z.string().min(1).optional(),
  padToken: z.string().min(1).optional(),
  continuingSubwordPrefix: z.string().min(1).optional(),
  maxInputCharsPerWord: int32().positive().optional(),
});
export type BertOverridesIr = z.infer<typeof bertOverrides>;

// A HF tokenizer.json (BERT WordPiece, BPE or Unigram): the file itself goes
// into the model version directory and the runtime's tokenizer reads it
// (backend-cpp/text/tokenizer.h).
const tokenizerJsonTokenizer = z
  .strictObject({
    kind: z.literal('tokenizerJson'),
    file: asset.extend({ model: z.enum(['WordPiece', 'BPE', 'Unigram']).describe("The file's model.type") }),
    bertOverrides: bertOverrides.describe('WordPiece only: the BERT settings that replace the file\'s; {} for none'),
    maxLength: z.int().min(3).max(8192),
    truncation: z.boolean(),
    source: sourceLocation.optional(),
  })
  .refine((tokenizer) => tokenizer.file.model === 'WordPiece' || Object.keys(tokenizer.bertOverrides).length === 0, {
    error: 'bertOverrides apply to WordPiece files only',
    path: ['bertOverrides'],
  });

const tokenizer = z.discriminatedUnion('kind', [wordPieceTokenizer, tokenizerJsonTokenizer]);

// What every engine kind shares: the model file and the tensors we wire.
const engineWiring = {
  model: asset,
  inputs: z.strictObject({
    inputIds: modelTensorName,
    attentionMask: modelTensorName,
    tokenTypeIds: modelTensorName.nullable().describe('null: the model takes no token type ids'),
  }),
  outputs: z
    .strictObject({
      tokenEmbeddings: modelTensorName.nullable().describe('FP32 [batch, sequence, hiddenSize]'),
      logits: modelTensorName.nullable().describe('FP32 [batch, numLabels]'),
      startLogits: modelTensorName.nullable().describe('FP32 [batch, sequence]'),
      endLogits: modelTensorName.nullable().describe('FP32 [batch, sequence]'),
      tokenLogits: modelTensorName.nullable().describe('FP32 [batch, sequence, numTokenLabels]'),
    })
    .describe('The model outputs the pipeline reads; null: not read'),
  hiddenSize: int32().positive().nullable().describe('Set with tokenEmbeddings'),
  numLabels: int32().positive().nullable().describe('Set with logits'),
  numTokenLabels: int32().positive().nullable().describe('Set with tokenLogits'),
  source: sourceLocation.optional(),
};

// OpenVINO's IR keeps its original field order (model, device, numThreads, ...).
const { model: _model, ...wiringAfterModel } = engineWiring;

const openVinoEngine = z
  .strictObject({
    kind: z.literal('openvino'),
    model: engineWiring.model,
    device: z.literal('CPU'),
    numThreads: z.int().min(0).max(1024),
    precision: z
      .enum(['f32', 'bf16', 'int8'])
      .describe("f32; bf16: OpenVINO's inference precision where the CPU has BF16, else f32; int8: the model quantized at build (model.file is its OpenVINO IR, model.path the ONNX it came from), its float parts in bf16 where the CPU has BF16"),
    accuracyGate: z
      .strictObject({
        calibrationTexts: z.string().nullable().describe('int8: absolute path of the calibration texts, one per line; null for bf16'),
        samples: int32().positive().describe('int8: calibration texts used, at most'),
        heldOutTexts: z.string().describe('Absolute path of the texts the gate compares on, one per line'),
        minCosine: z.number().gt(0).lte(1).describe('Least cosine of a mean-pooled token-embedding output to FP32'),
        minAgreement: z.number().gt(0).lte(1).describe('Least argmax agreement of a logits output with FP32'),
      })
      .nullable()
      .describe('bf16, int8: `codegen build` compares the engine with FP32 and fails below these; null for f32'),
    ...wiringAfterModel,
  })
  .describe('An ONNX model on the CPU through OpenVINO');

// What one call of a compiled engine accepts (a plan's optimisation
// profiles, an export's dynamic-dim bounds), from its signature file.
const shapeLimits = {
  maxBatch: int32().positive().nullable().describe('Most rows one engine call takes; a larger dynamic batch is split. null: not stated'),
  maxSequence: int32().positive().nullable().describe("Most tokens per row; the tokenizer's maxLength may not exceed it. null: not stated"),
};

const tensorRtEngine = z
  .strictObject({
    kind: z.literal('tensorrt'),
    ...engineWiring,
    format: z.enum(['plan', 'onnx']).describe("plan: a serialized engine; onnx: built by TensorRT when the model loads, with one profile up to maxBatchSize x the tokenizer's maxLength"),
    ...shapeLimits,
  })
  .describe('A TensorRT engine on the instance GPU');

const aotInductorEngine = z
  .strictObject({
    kind: z.literal('aotInductor'),
    ...engineWiring,
    inputOrder: z.array(modelTensorName).min(1).describe("The package's inputs by position"),
    outputOrder: z.array(modelTensorName).min(1).describe("The package's outputs by position"),
    cudaGraphs: z.boolean().describe('Replay each call as a CUDA graph captured per shape bucket'),
    cudaGraphMaxTokens: z
      .int()
      .min(0)
      .max(1 << 24)
      .describe('Graphs only for calls of at most this many tokens of work (0: every call)'),
    ...shapeLimits,
  })
  .describe('A LibTorch AOTInductor package (.pt2) on the instance GPU');

const engine = z.discriminatedUnion('kind', [openVinoEngine, tensorRtEngine, aotInductorEngine]);

/** Engines that run on a GPU, and so on KIND_GPU instances. */
export const gpuEngineKinds: ReadonlySet<string> = new Set(['tensorrt', 'aotInductor']);

const encoding = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('singleText') }),
    z.strictObject({
      kind: z.literal('questionContext'),
      context: textInput.describe('The second text input; `input` is the question'),
      docStride: int32().min(0).describe('Tokens shared by consecutive context windows'),
      maxWindows: int32().positive().describe('Most context windows per question; a longer context fails its request'),
      source: sourceLocation.optional(),
    }),
    z.strictObject({
      kind: z.literal('queryPassages'),
      passages: textInput
        .extend({ dims: z.tuple([z.literal(-1)]) })
        .describe('The passages, a list in the request\'s one batch row (shape [1, n]); `input` is the query'),
      maxPassages: int32().positive().describe('Most passages per request'),
      source: sourceLocation.optional(),
    }),
    z.strictObject({
      kind: z.literal('queryPassagePerRow'),
      passage: textInput.describe('One passage per batch row; `input` is the query'),
      source: sourceLocation.optional(),
    }),
  ])
  .describe(
    'singleText: [CLS] text [SEP] per row; questionContext: [CLS] question [SEP] window [SEP] per context window; queryPassages: [CLS] query [SEP] passage [SEP] per passage, only the passage truncated; queryPassagePerRow: the same, one pair per row',
  );

const classifier = z
  .strictObject({
    activation: z.enum(['softmax', 'sigmoid']),
    labels: z.array(z.string()).min(1).describe('Label names by class id'),
    topK: int32().positive(),
    threshold: z.number().nullable().describe('null: no threshold'),
    source: sourceLocation.optional(),
  })
  .describe('Class scores and top-k labels from the engine logits');

const answerDecoder = z
  .strictObject({
    nBest: int32().positive(),
    maxAnswerLength: int32().positive(),
    nullAnswer: z.boolean(),
    alignToWords: z
      .boolean()
      .describe("Answers widened to the whole words of their start and end tokens (HF's align_to_words); false: the tokens' offsets"),
    source: sourceLocation.optional(),
  })
  .describe('Extractive QA span decoding over the context windows');

const reranker = z
  .strictObject({
    activation: z.enum(['sigmoid', 'softmax', 'none']),
    topK: int32().positive().nullable().describe('null: one pair per row, nothing to rank'),
    source: sourceLocation.optional(),
  })
  .describe("Cross-encoder reranking: each pair's logits become a score (one logit, or class 1 of two)");

const tokenClassifier = z
  .strictObject({
    labels: z.array(z.string().min(1)).min(1).describe('Label names (B-/I- tags) by class id'),
    aggregation: z.enum(['none', 'simple', 'first', 'average', 'max']),
    ignoreLabels: z.array(z.string()),
    maxEntities: int32().positive(),
    source: sourceLocation.optional(),
  })
  .describe("Token classification (NER): per-token softmax, HF TokenClassificationPipeline's aggregation");

/** Triton's ModelQueuePolicy, resolved. */
const queuePolicy = z.strictObject({
  timeoutAction: z.enum(['reject', 'delay']),
  defaultTimeoutMicroseconds: z.int().min(0).max(Number.MAX_SAFE_INTEGER).describe('0: no timeout'),
  allowTimeoutOverride: z.boolean(),
  maxQueueSize: int32().min(0).describe('0: no limit'),
});

const postOp = z.strictObject({
  op: z.enum(['meanPool', 'clsPool', 'maxPool', 'l2Normalize']),
  source: sourceLocation.optional(),
});

const poolingOps: ReadonlySet<string> = new Set(['meanPool', 'clsPool', 'maxPool']);

const sentenceEmbeddingOutput = z.strictObject({
  kind: z.literal('sentenceEmbedding'),
  name: tensorName,
  dataType: z.literal(outputKinds.sentenceEmbedding.dataType),
  dims: z.tuple([int32().positive()]),
  from: z.literal('tokenEmbeddings').describe('The engine result the ops start from'),
  ops: z
    .array(postOp)
    .min(1)
    .describe('Applied in order: one pooling op first, then l2Normalize any number of times')
    .superRefine((ops, ctx) => {
      ops.forEach((op, index) => {
        if (poolingOps.has(op.op) !== (index === 0)) {
          ctx.addIssue({
            code: 'custom',
            path: [index, 'op'],
            message: index === 0 ? 'the first op must pool the token embeddings' : 'only the first op may pool',
          });
        }
      });
    }),
  source: sourceLocation.optional(),
});

/** An output whose values come from one stage as they are; its data type and description from the table. */
function plainOutput<K extends Exclude<OutputKind, 'sentenceEmbedding' | 'rerankScores'>>(kind: K) {
  const { dataType, description } = outputKinds[kind];
  return z
    .strictObject({
      kind: z.literal(kind),
      name: tensorName,
      dataType: z.literal(dataType),
      dims: z.tuple([int32().positive()]),
      source: sourceLocation.optional(),
    })
    .describe(description);
}

const output = z.discriminatedUnion('kind', [
  sentenceEmbeddingOutput,
  plainOutput('tokenCount'),
  plainOutput('logits'),
  plainOutput('classScores'),
  plainOutput('topLabels'),
  plainOutput('topLabelScores'),
  plainOutput('answerText'),
  plainOutput('answerScore'),
  plainOutput('answerStart'),
  plainOutput('answerEnd'),
  z
    .strictObject({
      kind: z.literal('rerankScores'),
      name: tensorName,
      dataType: z.literal(outputKinds.rerankScores.dataType),
      dims: z.tuple([z.literal(-1)]),
      source: sourceLocation.optional(),
    })
    .describe(outputKinds.rerankScores.description),
  plainOutput('rerankTopIndices'),
  plainOutput('pairScore'),
  plainOutput('entities'),
  plainOutput('entityLabelIds'),
  plainOutput('entityStarts'),
  plainOutput('entityEnds'),
  plainOutput('entityScores'),
]);

// The union above has one member per kind of the table, and no other.
type SameKinds<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const everyOutputKindHasASchema: SameKinds<z.infer<typeof output>['kind'], OutputKind> = true;
void everyOutputKindHasASchema;

interface PriorityIssueContext {
  addIssue(issue: { code: 'custom'; path: (string | number)[]; message: string }): void;
}

/** Priority levels as Triton checks them: the default level and every policy's level in 1..priorityLevels. */
function checkPriorities(
  batching: {
    preserveOrdering: boolean;
    priorityLevels: number;
    defaultPriorityLevel: number;
    priorityQueuePolicies: readonly { level: number }[];
  } | null,
  ctx: PriorityIssueContext,
): void {
  if (batching === null) return;
  const levels = batching.priorityLevels;
  const path = (...rest: (string | number)[]): (string | number)[] => ['dynamicBatching', ...rest];
  if (batching.preserveOrdering && levels > 1) {
    // Triton refuses to load such a model.
    ctx.addIssue({ code: 'custom', path: path('preserveOrdering'), message: `Triton allows one priority level with preserveOrdering, not ${levels}` });
  }
  if (levels === 0 && batching.defaultPriorityLevel !== 0) {
    ctx.addIssue({ code: 'custom', path: path('defaultPriorityLevel'), message: 'is set but priorityLevels is 0; set priorityLevels too' });
  }
  if (levels > 0 && (batching.defaultPriorityLevel < 1 || batching.defaultPriorityLevel > levels)) {
    ctx.addIssue({
      code: 'custom',
      path: path('defaultPriorityLevel'),
      message: `${batching.defaultPriorityLevel} is not a priority level: use 1 (highest) to ${levels}`,
    });
  }
  const seen = new Set<number>();
  batching.priorityQueuePolicies.forEach(({ level }, index) => {
    if (level > levels) {
      ctx.addIssue({
        code: 'custom',
        path: path('priorityQueuePolicies', index, 'level'),
        message: levels === 0 ? `level ${level} has a queue policy but priorityLevels is 0` : `level ${level} is not a priority level: use 1 (highest) to ${levels}`,
      });
    }
    if (seen.has(level)) {
      ctx.addIssue({ code: 'custom', path: path('priorityQueuePolicies', index, 'level'), message: `level ${level} has two queue policies` });
    }
    seen.add(level);
  });
}

export const pipelineIrSchema = z
  .strictObject({
    irVersion: z.literal(irVersion),
    name: pipelineName,
    maxBatchSize: z.int().min(1).max(1 << 16),
    maxBatchTokens: int32()
      .positive()
      .nullable()
      .describe('Token budget of one engine call (rows x longest row); a batch over it is split. null: no budget'),
    engineCallCostTokens: int32()
      .positive()
      .nullable()
      .describe('Fixed cost of one engine call in padded tokens: a batch is cut into the calls that minimise calls x this + padded tokens. null: no such split'),
    dynamicBatching: z
      .strictObject({
        maxQueueDelayMicroseconds: int32().min(0),
        preferredBatchSizes: z.array(int32().positive()),
        preserveOrdering: z.boolean(),
        priorityLevels: int32().min(0).describe('0: no priorities'),
        defaultPriorityLevel: int32().min(0).describe('1..priorityLevels; 0 when priorityLevels is 0'),
        defaultQueuePolicy: queuePolicy,
        priorityQueuePolicies: z
          .array(z.strictObject({ level: int32().positive(), policy: queuePolicy }))
          .describe('Policies of single priority levels, by increasing level'),
      })
      .nullable(),
    instances: z.strictObject({
      count: z.int().min(1).max(256),
      kind: z.enum(['cpu', 'gpu']),
      tokenizeThreads: z.int().min(1).max(64).describe("Threads per instance that tokenize a batch's rows, the instance's own included"),
    }),
    input: textInput,
    tokenizer,
    encoding,
    engine,
    classifier: classifier.nullable(),
    answerDecoder: answerDecoder.nullable(),
    reranker: reranker.nullable().describe('null: no reranking'),
    tokenClassifier: tokenClassifier.nullable().describe('null: no token classification'),
    outputs: z.array(output).min(1),
    source: sourceLocation.optional(),
  })
  .superRefine((ir, ctx) => {
    ir.dynamicBatching?.preferredBatchSizes.forEach((size, index) => {
      if (size > ir.maxBatchSize) {
        ctx.addIssue({
          code: 'custom',
          path: ['dynamicBatching', 'preferredBatchSizes', index],
          message: `preferred batch size ${size} is larger than maxBatchSize ${ir.maxBatchSize}`,
        });
      }
    });
    checkPriorities(ir.dynamicBatching, ctx);
    if (ir.maxBatchTokens !== null && ir.maxBatchTokens < ir.tokenizer.maxLength) {
      ctx.addIssue({
        code: 'custom',
        path: ['maxBatchTokens'],
        message: `${ir.maxBatchTokens} is less than the tokenizer's maxLength ${ir.tokenizer.maxLength}: a full-length text would not fit one engine call`,
      });
    }
    // Every input and output tensor name once.
    const seen = new Set<string>([ir.input.name]);
    const claimName = (name: string, path: (string | number)[], holder: string): void => {
      if (seen.has(name)) ctx.addIssue({ code: 'custom', path, message: `tensor name '${name}' is already ${holder}` });
      seen.add(name);
    };
    if (ir.encoding.kind === 'questionContext') {
      claimName(ir.encoding.context.name, ['encoding', 'context', 'name'], "the question's input");
    }
    if (ir.encoding.kind === 'queryPassages') {
      claimName(ir.encoding.passages.name, ['encoding', 'passages', 'name'], "the query's input");
      if (ir.reranker !== null && ir.reranker.topK !== null && ir.reranker.topK > ir.encoding.maxPassages) {
        ctx.addIssue({ code: 'custom', path: ['reranker', 'topK'], message: `topK ${ir.reranker.topK} is more than maxPassages ${ir.encoding.maxPassages}` });
      }
    }
    if (ir.encoding.kind === 'queryPassagePerRow') {
      claimName(ir.encoding.passage.name, ['encoding', 'passage', 'name'], "the query's input");
    }
    if ((ir.reranker !== null) !== (ir.encoding.kind === 'queryPassages' || ir.encoding.kind === 'queryPassagePerRow')) {
      ctx.addIssue({ code: 'custom', path: ['reranker'], message: 'a reranker and query-passages encoding go together' });
    }
    const gpuEngine = gpuEngineKinds.has(ir.engine.kind);
    if (gpuEngine !== (ir.instances.kind === 'gpu')) {
      ctx.addIssue({
        code: 'custom',
        path: ['instances', 'kind'],
        message: `the ${ir.engine.kind} engine runs on ${gpuEngine ? 'a GPU' : 'the CPU'}: instances.kind must be '${gpuEngine ? 'gpu' : 'cpu'}'`,
      });
    }
    if ((ir.tokenClassifier === null) !== (ir.engine.outputs.tokenLogits === null)) {
      ctx.addIssue({ code: 'custom', path: ['tokenClassifier'], message: 'a token classifier and the engine token logits go together' });
    }
    if ((ir.classifier === null && ir.reranker === null) !== (ir.engine.outputs.logits === null)) {
      ctx.addIssue({ code: 'custom', path: ['classifier'], message: 'a classifier (or a reranker) and the engine logits go together' });
    }
    const answers = ir.answerDecoder !== null;
    const spanLogits = ir.engine.outputs.startLogits !== null && ir.engine.outputs.endLogits !== null;
    if (answers !== spanLogits || answers !== (ir.encoding.kind === 'questionContext')) {
      ctx.addIssue({
        code: 'custom',
        path: ['answerDecoder'],
        message: 'an answer decoder, the engine start/end logits and question-context encoding go together',
      });
    }
    ir.outputs.forEach((out, index) => {
      claimName(out.name, ['outputs', index, 'name'], 'used by another input or output');
      const dims = outputDim(out.kind, ir);
      if (typeof dims === 'string') {
        ctx.addIssue({ code: 'custom', path: ['outputs', index, 'kind'], message: `a ${out.kind} output needs more: ${dims}` });
      } else if (out.dims[0] !== dims) {
        ctx.addIssue({
          code: 'custom',
          path: ['outputs', index, 'dims'],
          message: `dims [${out.dims[0]}] of a ${out.kind} output differ from the expected [${dims}]`,
        });
      }
      if (out.kind === 'tokenCount' && ir.encoding.kind !== 'singleText') {
        ctx.addIssue({ code: 'custom', path: ['outputs', index, 'kind'], message: 'a token count needs single-text encoding' });
      }
    });
  });

export type PipelineIr = z.infer<typeof pipelineIrSchema>;
export type IrSourceLocation = z.infer<typeof sourceLocation>;
export type TextInputIr = PipelineIr['input'];
export type TokenizerIr = PipelineIr['tokenizer'];
export type EngineIr = PipelineIr['engine'];
export type OpenVinoEngineIr = Extract<EngineIr, { kind: 'openvino' }>;
export type OutputIr = PipelineIr['outputs'][number];
export type SentenceEmbeddingOutputIr = Extract<OutputIr, { kind: 'sentenceEmbedding' }>;
export type PostOpIr = SentenceEmbeddingOutputIr['ops'][number];
export type EncodingIr = PipelineIr['encoding'];
export type ClassifierIr = NonNullable<PipelineIr['classifier']>;
export type AnswerDecoderIr = NonNullable<PipelineIr['answerDecoder']>;
export type RerankerIr = NonNullable<PipelineIr['reranker']>;
export type TokenClassifierIr = NonNullable<PipelineIr['tokenClassifier']>;
export type DynamicBatchingIr = NonNullable<PipelineIr['dynamicBatching']>;
export type InstancesIr = PipelineIr['instances'];
export type QueuePolicyIr = DynamicBatchingIr['defaultQueuePolicy'];
