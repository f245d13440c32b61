// The GPU example on a token-packed package (export_bert_pt2.py --pack-tokens
// --gelu tanh-epilogue): the encoder's per-token work (embeddings, matmuls,
// LayerNorms, GELU) runs on the batch's real tokens only, and attention is our
// variable-length Triton kernel over each row's real tokens, so a batch of
// mixed lengths no longer pays for its padding; GELU runs in the GEMM's
// epilogue. Calls of more than 2048 real tokens run without a CUDA graph
// (cudaGraphMaxTokens' default for a token-packed package: there a graph's
// token bucket costs more than it saves). Built beside pipeline.ts by
// tools/device/gpu_e2e/ (same weights, same server, same run;
// bench/reports/2026-12-06-h100-packed-triton.md, 2026-12-06-h100-graph-limit.md).
import { pipeline, textInput, tokenize, engine, meanPool, normalize, output } from 'faster-bert';

export default pipeline({
  name: 'bert_gpu_packed',
  maxBatchSize: 64,
  // Batches of 32 as soon as 32 wait: at 64 concurrent clients two batches are
  // then in flight, one staged while the other runs (16% more long texts/s).
  // No queue delay: an instance that is free takes what waits. With 2000 µs,
  // 16 clients' batches waited the whole delay for rows that never came: at
  // c16 on the H200, 2.8x / 1.7x / 2.1x more short / long / mixed texts/s
  // without it, and c64 within -2%..+7% (bench/reports/2026-12-05-response-thread-queue-delay.md).
  dynamicBatching: { maxQueueDelayMicroseconds: 0, preferredBatchSizes: [32] },
  instances: { count: 2, kind: 'gpu' },
  graph: () => {
    const text = textInput('text');
    const tokens = tokenize(text, { vocab: '../../models/bert-base-random-pt2-packed/vocab.txt', maxLength: 256 });
    const hidden = engine(tokens, { aotInductor: '../../models/bert-base-random-pt2-packed/model.pt2' });
    const embedding = normalize(meanPool(hidden.tokenEmbeddings, tokens.attentionMask));
    return [output('embedding', embedding)];
  },
});
