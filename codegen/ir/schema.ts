// The pipeline IR: plain JSON, versioned, the contract between the TypeScript
// half and the C++ half (emit turns it into MakePipelineSpec()). Everything is
// resolved here: no defaults are left to fill, asset paths are absolute.
import { z } from 'zod';

export const irVersion = 1;

/** Triton model and backend name; it also names `libtriton_<name>.so`. */
export const pipelineNamePattern = /^[a-z][a-z0-9_]*$/;
/** Input/output tensor names: safe in config.pbtxt, C++ and HTTP/gRPC clients alike. */
export const tensorNamePattern = /^[A-Za-z_][A-Za-z0-9_]*$/;

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
  source: sourceLocation.optional(),
});

const wordPieceTokenizer = z.strictObject({
  kind: z.literal('wordpiece'),
  vocab: asset.extend({
    from: z.enum(['vocabTxt', 'tokenizerJson']).describe('vocabTxt: copied; tokenizerJson: its model.vocab written out as vocab.txt'),
    size: int32().positive(),
  }),
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

const openVinoEngine = z.strictObject({
  kind: z.literal('openvino'),
  model: asset,
  device: z.literal('CPU'),
  numThreads: z.int().min(0).max(1024),
  inputs: z.strictObject({
    inputIds: modelTensorName,
    attentionMask: modelTensorName,
    tokenTypeIds: modelTensorName.nullable().describe('null: the model takes no token type ids'),
  }),
  outputs: z.strictObject({
    tokenEmbeddings: modelTensorName.describe('FP32 [batch, sequence, hiddenSize]'),
  }),
  hiddenSize: int32().positive(),
  source: sourceLocation.optional(),
});

const engine = z.discriminatedUnion('kind', [openVinoEngine]);

const postOp = z.strictObject({
  op: z.enum(['meanPool', 'clsPool', 'maxPool', 'l2Normalize']),
  source: sourceLocation.optional(),
});

const poolingOps: ReadonlySet<string> = new Set(['meanPool', 'clsPool', 'maxPool']);

const output = z.strictObject({
  name: tensorName,
  dataType: z.literal('FP32'),
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

export const pipelineIrSchema = z
  .strictObject({
    irVersion: z.literal(irVersion),
    name: pipelineName,
    maxBatchSize: z.int().min(1).max(1 << 16),
    dynamicBatching: z
      .strictObject({
        maxQueueDelayMicroseconds: int32().min(0),
        preferredBatchSizes: z.array(int32().positive()),
      })
      .nullable(),
    instances: z.strictObject({
      count: z.int().min(1).max(256),
      kind: z.literal('cpu'),
    }),
    input: textInput,
    tokenizer: wordPieceTokenizer,
    engine,
    outputs: z.array(output).min(1).max(1, { error: 'the runtime serves one output per pipeline for now' }),
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
    const seen = new Set<string>([ir.input.name]);
    ir.outputs.forEach((out, index) => {
      if (seen.has(out.name)) {
        ctx.addIssue({
          code: 'custom',
          path: ['outputs', index, 'name'],
          message: `tensor name '${out.name}' is already used by another input or output`,
        });
      }
      seen.add(out.name);
      if (out.dims[0] !== ir.engine.hiddenSize) {
        ctx.addIssue({
          code: 'custom',
          path: ['outputs', index, 'dims'],
          message: `dims [${out.dims[0]}] differ from the engine's hidden size ${ir.engine.hiddenSize}`,
        });
      }
    });
  });

export type PipelineIr = z.infer<typeof pipelineIrSchema>;
export type IrSourceLocation = z.infer<typeof sourceLocation>;
export type TextInputIr = PipelineIr['input'];
export type TokenizerIr = PipelineIr['tokenizer'];
export type EngineIr = PipelineIr['engine'];
export type OutputIr = PipelineIr['outputs'][number];
export type PostOpIr = OutputIr['ops'][number];
