// all-MiniLM-L6-v2 embeddings with TensorRT on the instance's GPU: the plan is
// built from the example's ONNX by docker/build-trt-plan.sh (FP16, LayerNorm
// kept in FP32), which also writes its signature file model.plan.json.
// Build where TensorRT is installed (docker/Dockerfile.tensorrt):
//   TENSORRT_ROOT=/usr npx codegen build examples/embeddings-tensorrt/pipeline.ts
import { pipeline, textInput, tokenize, engine, meanPool, normalize, output } from 'faster-bert';

export default pipeline({
  name: 'minilm_embeddings_trt',
  maxBatchSize: 32,
  dynamicBatching: { maxQueueDelayMicroseconds: 2000 },
  instances: { count: 2, kind: 'gpu' },
  graph: () => {
    const text = textInput('text');
    const tokens = tokenize(text, { tokenizerJson: '../../models/all-MiniLM-L6-v2/tokenizer.json', maxLength: 256 });
    const hidden = engine(tokens, { tensorrt: '../../models/all-MiniLM-L6-v2/model.plan' });
    return [output('embedding', normalize(meanPool(hidden.tokenEmbeddings, tokens.attentionMask)))];
  },
});
