// Sentence embeddings (pooling, sentence-transformers folders, L2 normalize)
// and the token count: outputs computed per row from the token embeddings or
// the tokens, with no IR section of their own.
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { SourceLocation } from '../../dsl/source-location.js';
import type { OutputNode, PoolNode, SentenceTransformerPoolNode, StageNode } from '../../dsl/graph.js';
import type { PostOpIr } from '../../ir/schema.js';
import { readSentenceTransformerFolder } from '../../model-files/sentence-transformer-folder.js';
import type { LoweringContext } from '../context.js';
import type { LoweringTask, OutputPlan } from '../task.js';

type PoolingNode = PoolNode | SentenceTransformerPoolNode;

function isPooling(node: StageNode): node is PoolingNode {
  return node.stage === 'meanPool' || node.stage === 'maxPool' || node.stage === 'clsPool' || node.stage === 'sentenceTransformerPool';
}

export class EmbeddingTask implements LoweringTask {
  private readonly context: LoweringContext;

  constructor(context: LoweringContext) {
    this.context = context;
  }

  planOutput(out: OutputNode): OutputPlan | undefined {
    const producer = out.value.producer;
    if (producer.stage === 'tokenize' && out.value.port === 'tokenCount') {
      this.context.useTokenizer(out, out.value, 'the token count');
      return { kind: 'tokenCount', node: out };
    }
    if (!isPooling(producer) && producer.stage !== 'l2Normalize') return undefined;
    const normalizeAt: (SourceLocation | undefined)[] = [];
    let current: StageNode = producer;
    while (current.stage === 'l2Normalize') {
      normalizeAt.unshift(this.context.at(current));
      current = current.embedding.producer;
    }
    if (!isPooling(current)) throw new Error(`internal: a sentence embedding produced by ${current.stage}`);
    const pool = current;
    this.context.useEngine(pool.tokenEmbeddings.producer, 'tokenEmbeddings');
    if (pool.attentionMask !== undefined) this.context.useTokenizer(pool, pool.attentionMask, 'the attention mask');
    return {
      kind: 'sentenceEmbedding',
      node: out,
      fields: (engine) => {
        const ops = this.poolingOps(pool, normalizeAt, engine.hiddenSize ?? 0);
        return ops === undefined ? undefined : { from: 'tokenEmbeddings', ops };
      },
    };
  }

  settle(): void {}

  checkTokenizer(): void {}

  lowerSection(): object {
    return {};
  }

  /** Pooling ops of a sentence embedding; a sentence-transformers folder is read here. */
  private poolingOps(pool: PoolingNode, normalizeAt: readonly (SourceLocation | undefined)[], hiddenSize: number): PostOpIr[] | undefined {
    const normalizeOps: PostOpIr[] = normalizeAt.map((source) => ({ op: 'l2Normalize', source }));
    if (pool.stage !== 'sentenceTransformerPool') return [{ op: pool.stage, source: this.context.at(pool) }, ...normalizeOps];
    const dir = resolve(dirname(this.context.pipelineFile), pool.options.modelDir);
    let isDir = false;
    try {
      isDir = statSync(dir).isDirectory();
    } catch {
      isDir = false;
    }
    if (!isDir) {
      this.context.report(pool, `sentenceTransformerPooling: model folder '${pool.options.modelDir}' not found (resolved to ${dir}); paths are relative to the pipeline file`);
      return undefined;
    }
    const read = readSentenceTransformerFolder(dir);
    if ('problems' in read) {
      for (const problem of read.problems) this.context.report(pool, `sentenceTransformerPooling: ${problem}`);
      return undefined;
    }
    const { pooling } = read;
    if (pooling.dimension !== undefined && pooling.dimension !== hiddenSize) {
      this.context.report(
        pool,
        `sentenceTransformerPooling: the folder's word_embedding_dimension is ${pooling.dimension} but the engine's token embeddings have ${hiddenSize}; is it the same model?`,
      );
      return undefined;
    }
    const at = this.context.at(pool);
    const ops: PostOpIr[] = [{ op: pooling.pool, source: at }];
    if (pooling.normalize) ops.push({ op: 'l2Normalize', source: at });
    return [...ops, ...normalizeOps];
  }
}
