"""Baseline 1: the seed model.py (issue 11, seed 001) written well.

What the seed does, with today's best Python parts and our engine:
  tokenize   HF fast tokenizer (`tokenizers`, Rust) from tokenizer.json,
             truncation to max_length tokens, padding to the batch's longest
  engine     OpenVINO Python API on the same model.onnx, compiled with the
             same settings as the native backend (CPU, PERFORMANCE_HINT
             LATENCY, INFERENCE_PRECISION_HINT f32, default thread count),
             one infer request reused for every batch
  pool       numpy masked mean-pool + L2 normalize
  respond    one response per request; a bad request gets its own error and
             the other requests of the same dynamic batch get their results

Parameters (config.pbtxt, filled in by bench/run.py):
  model_dir   folder with model.onnx and tokenizer.json
  model_file  the model in it (default model.onnx; bench/precision passes our int8 IR)
  inference_precision  f32 (default) or bf16, OpenVINO's INFERENCE_PRECISION_HINT;
              bf16 only where the CPU reports BF16, as the native engine does
              (bench/precision passes what our int8 engine runs its float parts in)
  max_length  truncation length in tokens, [CLS] and [SEP] included
"""
import json
import os

import numpy as np
import openvino as ov
import triton_python_backend_utils as pb_utils
from tokenizers import Tokenizer

MAX_TEXT_BYTES = 1 << 20  # same per-text limit as the native backend


def _parameter(config, key, default=None):
    value = config.get("parameters", {}).get(key, {}).get("string_value", default)
    if value is None or value.startswith("@"):
        raise pb_utils.TritonModelException(
            f"config.pbtxt parameter '{key}' is not set (bench/run.py fills it in)")
    return value


def _decode_rows(request):
    """The request's texts as str, or ValueError saying what is wrong."""
    tensor = pb_utils.get_input_tensor_by_name(request, "text")
    if tensor is None:
        raise ValueError("input 'text' is missing")
    array = tensor.as_numpy()
    if array.ndim != 2 or array.shape[1] != 1:
        raise ValueError(f"input 'text' must have shape [batch, 1], got {list(array.shape)}")
    rows = []
    for index, raw in enumerate(array.reshape(-1)):
        if not isinstance(raw, bytes):
            raw = bytes(raw)
        if len(raw) == 0:
            raise ValueError(f"text {index} is empty")
        if len(raw) > MAX_TEXT_BYTES:
            raise ValueError(f"text {index} has {len(raw)} bytes, more than {MAX_TEXT_BYTES}")
        try:
            rows.append(raw.decode("utf-8"))
        except UnicodeDecodeError as error:
            raise ValueError(f"text {index} is not valid UTF-8: {error}") from None
    return rows


class TritonPythonModel:
    def initialize(self, args):
        config = json.loads(args["model_config"])
        model_dir = _parameter(config, "model_dir")
        max_length = int(_parameter(config, "max_length", "256"))

        tokenizer = Tokenizer.from_file(os.path.join(model_dir, "tokenizer.json"))
        # tokenizer.json may carry its own fixed padding/truncation: set ours.
        tokenizer.enable_truncation(max_length=max_length)
        pad_token = "[PAD]"
        tokenizer.enable_padding(pad_id=tokenizer.token_to_id(pad_token), pad_token=pad_token)
        self.tokenizer = tokenizer

        core = ov.Core()
        # model_file: model.onnx, or another model OpenVINO reads (bench/precision: our int8 IR).
        model = core.read_model(os.path.join(model_dir, _parameter(config, "model_file", "model.onnx")))
        self.input_names = {name for port in model.inputs for name in port.get_names()}
        precision = _parameter(config, "inference_precision", "f32")
        if precision == "bf16" and "BF16" not in core.get_property("CPU", "OPTIMIZATION_CAPABILITIES"):
            precision = "f32"
        compiled = core.compile_model(model, "CPU", {
            "PERFORMANCE_HINT": "LATENCY",
            "INFERENCE_PRECISION_HINT": precision,
        })
        self.infer_request = compiled.create_infer_request()
        self.output_index = 0  # last_hidden_state [batch, seq, hidden]

    def _embed(self, texts):
        encodings = self.tokenizer.encode_batch(texts)
        input_ids = np.array([e.ids for e in encodings], dtype=np.int64)
        attention_mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        inputs = {"input_ids": input_ids, "attention_mask": attention_mask}
        if "token_type_ids" in self.input_names:
            inputs["token_type_ids"] = np.zeros_like(input_ids)
        self.infer_request.infer(inputs)
        hidden = self.infer_request.get_output_tensor(self.output_index).data  # [B, S, H]

        mask = attention_mask.astype(np.float32)
        summed = np.einsum("bs,bsh->bh", mask, hidden)
        pooled = summed / np.maximum(mask.sum(axis=1, keepdims=True), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)

    def execute(self, requests):
        responses = [None] * len(requests)
        texts, spans = [], []  # spans: (request index, first row, end row)
        for index, request in enumerate(requests):
            try:
                rows = _decode_rows(request)
            except ValueError as error:
                responses[index] = pb_utils.InferenceResponse(
                    error=pb_utils.TritonError(str(error)))
                continue
            spans.append((index, len(texts), len(texts) + len(rows)))
            texts.extend(rows)

        if texts:
            try:
                embeddings = self._embed(texts)
            except Exception as error:  # engine failure: every request of the batch fails
                for index, _, _ in spans:
                    responses[index] = pb_utils.InferenceResponse(
                        error=pb_utils.TritonError(f"embedding failed: {error}"))
            else:
                for index, start, end in spans:
                    responses[index] = pb_utils.InferenceResponse(
                        output_tensors=[pb_utils.Tensor("embedding", embeddings[start:end])])
        return responses

    def finalize(self):
        self.infer_request = None
