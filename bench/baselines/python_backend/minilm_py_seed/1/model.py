"""Baseline 2: the seed model.py's own choices (issue 11, seed 001).

The seed tokenizes with transformers' pure-Python `BertTokenizer` loaded from
vocab.txt and calls `batch_encode_plus(batch, max_length=..., truncation=True,
padding=True)`. Since transformers 5 that pure-Python class is named
`BertTokenizerLegacy` (the name `BertTokenizer` now means the Rust-backed
one) and `batch_encode_plus` is the tokenizer's `__call__` on a list; this
model uses exactly that, so the tokenizer is the seed's.

Everything else is baseline 1's, so the two baselines differ only in the
tokenizer: OpenVINO Python API on the same model.onnx with the native
backend's settings (CPU, LATENCY, f32), numpy masked mean-pool + L2
normalize, one response per request, per-request errors. (The seed's torch
pooling and its logging of every batch's texts are left out: they would
only add cost that is not the tokenizer's.)

Parameters (config.pbtxt, filled in by bench/run.py):
  model_dir   folder with model.onnx and vocab.txt
  max_length  truncation length in tokens, [CLS] and [SEP] included
"""
import json
import os

import numpy as np
import openvino as ov
import triton_python_backend_utils as pb_utils
from transformers import BertTokenizerLegacy as BertTokenizer

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
        self.max_length = int(_parameter(config, "max_length", "256"))

        # The seed: BertTokenizer.from_pretrained(<dir>/vocab.txt); lowercasing
        # as all-MiniLM-L6-v2's tokenizer_config.json says.
        self.tokenizer = BertTokenizer(
            vocab_file=os.path.join(model_dir, "vocab.txt"), do_lower_case=True)

        core = ov.Core()
        model = core.read_model(os.path.join(model_dir, "model.onnx"))
        self.input_names = {name for port in model.inputs for name in port.get_names()}
        compiled = core.compile_model(model, "CPU", {
            "PERFORMANCE_HINT": "LATENCY",
            "INFERENCE_PRECISION_HINT": "f32",
        })
        self.infer_request = compiled.create_infer_request()
        self.output_index = 0  # last_hidden_state [batch, seq, hidden]

    def _embed(self, texts):
        encoded = self.tokenizer(texts, max_length=self.max_length, truncation=True, padding=True)
        input_ids = np.array(encoded["input_ids"], dtype=np.int64)
        attention_mask = np.array(encoded["attention_mask"], dtype=np.int64)
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
