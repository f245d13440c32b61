// Sentence embeddings on a GPU: a BERT-base-sized encoder as a LibTorch
// AOTInductor package (.pt2, FP16) on the instance's GPU; mean pooling and L2
// normalize run on the device and only [rows, 768] comes back to the host.
// The model has FIXED RANDOM WEIGHTS (BERT-base shape, BERT's uncased vocab
// from all-MiniLM-L6-v2): it is the H100 benchmark's model, made on the GPU
// machine by tools/torch_export/export_bert_pt2.py (tools/device/gpu_e2e/).
// Build on a machine with PyTorch + CUDA: npx codegen build examples/embeddings-gpu/pipeline.ts
// Elsewhere: npx codegen build ... --sources-only, then CMake on the GPU machine.
import { pipeline, textInput, tokenize, engine, meanPool, normalize, output } from 'faster-bert';

export default pipeline({
  name: 'bert_base_gpu_embeddings',
  maxBatchSize: 64,
  // Cut a dynamic batch of mixed lengths into length-sorted engine calls where
  // the padding saved outweighs a call: 512 did best on the H200 with CUDA graphs (bench/reports/2026-12-04-h200.md).
  engineCallCostTokens: 512,
  // No queue delay: an instance that is free takes what waits. On the H200 this
  // served 1.5-2.3x more texts/s at 16 clients and 17-18% more short and mixed
  // ones at 64, but 17% fewer long ones at 64 (smaller batches of a padded
  // package); for saturating long-text traffic 2000 µs does better
  // (bench/reports/2026-12-05-response-thread-queue-delay.md).
  dynamicBatching: { maxQueueDelayMicroseconds: 0 },
  // Two instances: one tokenizes and pools while the other's batch is on the GPU.
  instances: { count: 2, kind: 'gpu' },
  graph: () => {
    const text = textInput('text');
    const tokens = tokenize(text, { vocab: '../../models/bert-base-random-pt2/vocab.txt', maxLength: 256 });
    const hidden = engine(tokens, { aotInductor: '../../models/bert-base-random-pt2/model.pt2' });
    const embedding = normalize(meanPool(hidden.tokenEmbeddings, tokens.attentionMask));
    return [output('embedding', embedding)];
  },
});
