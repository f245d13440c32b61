"""The reference pipeline in the bench process: HF tokenizers, OpenVINO with
the backend's properties and numpy pooling. Served embeddings are checked
against it, and its engine is timed alone (bench/harness/engine_alone.py)."""
import numpy as np

# How close (cosine) a served embedding must be to the reference's.
COSINE_MIN = 0.9999


class Reference:
    """HF fast tokenizer + OpenVINO with the backend's settings + numpy pooling."""

    def __init__(self, model_dir, max_length, model_path=None, inference_precision="f32", streams=1,
                 threads=0, pinning=None):
        """`model_path` (default model_dir/model.onnx), `inference_precision`
        ("f32" or "bf16"), `streams` (the served model's instance count),
        `threads` (of all streams; 0: OpenVINO's default) and `pinning` (None:
        OpenVINO's default) let the same class stand for another engine of
        ours (bench/precision/run.py): the backend's OpenVINO engine compiles
        with exactly these properties (backend-cpp/engines/openvino/openvino_engine.cc),
        bf16 only where the CPU reports BF16, one stream per instance, as the
        engine does; `requests` holds an infer request per stream."""
        import openvino as ov
        from tokenizers import Tokenizer

        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=max_length)
        self.tokenizer.enable_padding(pad_id=self.tokenizer.token_to_id("[PAD]"), pad_token="[PAD]")
        core = ov.Core()
        if inference_precision == "bf16" and "BF16" not in core.get_property("CPU", "OPTIMIZATION_CAPABILITIES"):
            inference_precision = "f32"
        self.inference_precision = inference_precision
        model = core.read_model(str(model_path or model_dir / "model.onnx"))
        self.input_names = {n for port in model.inputs for n in port.get_names()}
        properties = {"PERFORMANCE_HINT": "LATENCY", "INFERENCE_PRECISION_HINT": inference_precision}
        if streams > 1:
            properties.update({"PERFORMANCE_HINT": "THROUGHPUT", "NUM_STREAMS": str(streams)})
        if threads:
            properties["INFERENCE_NUM_THREADS"] = str(threads)
        if pinning is not None:
            properties["ENABLE_CPU_PINNING"] = "YES" if pinning else "NO"
        compiled = core.compile_model(model, "CPU", properties)
        self.streams = int(compiled.get_property("NUM_STREAMS"))
        self.requests = [compiled.create_infer_request() for _ in range(max(1, streams))]
        self.request = self.requests[0]

    def encode(self, batch):
        encodings = self.tokenizer.encode_batch(batch)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        inputs = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self.input_names:
            inputs["token_type_ids"] = np.zeros_like(ids)
        return inputs

    def run(self, inputs):
        self.request.infer(inputs)
        return self.request.get_output_tensor(0).data

    def embed(self, batch):
        inputs = self.encode(batch)
        hidden = self.run(inputs)
        mask = inputs["attention_mask"].astype(np.float32)
        pooled = np.einsum("bs,bsh->bh", mask, hidden) / np.maximum(mask.sum(1, keepdims=True), 1e-9)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
