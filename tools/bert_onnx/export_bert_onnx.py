#!/usr/bin/env python3
"""Build an ONNX graph of a BERT encoder (HF ``BertModel`` layout) from
safetensors weights, using only ``onnx.helper``.

Usage:
  python tools/bert_onnx/export_bert_onnx.py --model-dir DIR --out model.onnx [--opset 17]
  python tools/bert_onnx/export_bert_onnx.py --random-weights --config CONFIG.json \
      --seed N --out model.onnx [--save-weights DIR]
      [--head sequence-classification --num-labels N | --head question-answering
       | --head token-classification --num-labels N]

Graph:
  inputs   input_ids, attention_mask, token_type_ids : int64 [batch, sequence]
  output   last_hidden_state                          : float32 [batch, sequence, hidden]
  or, with --head sequence-classification (BertForSequenceClassification):
           logits = classifier(tanh(pooler.dense(h[:, 0])))  : float32 [batch, num_labels]
           (XLMRobertaForSequenceClassification: classifier.out_proj(tanh(classifier.dense(h[:, 0]))))
  or, with --head question-answering (BertForQuestionAnswering):
           start_logits, end_logits = split(qa_outputs(h))   : float32 [batch, sequence]
  or, with --head token-classification (BertForTokenClassification):
           logits = classifier(h)                              : float32 [batch, sequence, num_labels]
  Head weights come from the checkpoint when it has them (pooler.dense.*,
  classifier.*, qa_outputs.*; XLM-R: classifier.dense.*, classifier.out_proj.*),
  else are seeded random (--head-seed, --head-std).

XLM-RoBERTa / RoBERTa (config model_type "xlm-roberta", "roberta" or
"camembert"): as HF's create_position_ids_from_input_ids, position ids are
cumsum(input_ids != pad_token_id) * (input_ids != pad_token_id) + pad_token_id,
so real tokens start at pad_token_id + 1 and padding (anywhere) sits on
pad_token_id; one token type (type_vocab_size 1) and, as optimum's export,
no token_type_ids input unless --token-type-ids is given. LayerNorm eps
comes from the config for every architecture.

Beside the model, ``<out>.json`` (e.g. ``model.onnx.json``) records the
input/output names, dtypes, shapes and the hidden size.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import sys
from typing import Dict, List, Optional

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from onnx_signature import value_info_entry as signature_entry  # noqa: E402

# Additive mask value for padded key positions, as HF BERT does:
# (1 - mask) * finfo(float32).min.
MASK_NEG = float(np.finfo(np.float32).min)

MIN_OPSET = 13  # Unsqueeze/Squeeze/ReduceMean forms, Softmax over one axis
DIM_BATCH = "batch"
DIM_SEQ = "sequence"


# --------------------------------------------------------------------------
# Config and weights
# --------------------------------------------------------------------------

CONFIG_DEFAULTS = {
    "hidden_act": "gelu",
    "max_position_embeddings": 512,
    "type_vocab_size": 2,
    "layer_norm_eps": 1e-12,
    "initializer_range": 0.02,
    "position_embedding_type": "absolute",
}
# Architectures whose position ids count real tokens after padding_idx.
ROBERTA_MODEL_TYPES = ("xlm-roberta", "roberta", "camembert")

CONFIG_REQUIRED = (
    "vocab_size",
    "hidden_size",
    "num_hidden_layers",
    "num_attention_heads",
    "intermediate_size",
)


def load_config(path: str) -> dict:
    with open(path, "r", encoding="utf-8") as f:
        raw = json.load(f)
    cfg = dict(CONFIG_DEFAULTS)
    cfg.update(raw)
    missing = [k for k in CONFIG_REQUIRED if k not in cfg]
    if missing:
        raise ValueError(f"{path}: missing config keys {missing}")
    if cfg["hidden_size"] % cfg["num_attention_heads"] != 0:
        raise ValueError("hidden_size must be a multiple of num_attention_heads")
    if cfg["hidden_act"] != "gelu":
        raise ValueError(f"unsupported hidden_act {cfg['hidden_act']!r} (only exact erf 'gelu')")
    if cfg.get("position_embedding_type", "absolute") != "absolute":
        raise ValueError("only position_embedding_type 'absolute' is supported")
    if is_roberta(cfg):
        cfg.setdefault("pad_token_id", 1)
    return cfg


def is_roberta(cfg: dict) -> bool:
    return cfg.get("model_type") in ROBERTA_MODEL_TYPES


def weight_names(cfg: dict) -> Dict[str, tuple]:
    """Canonical (prefix-free) BertModel tensor names -> expected shapes."""
    h, i = cfg["hidden_size"], cfg["intermediate_size"]
    shapes = {
        "embeddings.word_embeddings.weight": (cfg["vocab_size"], h),
        "embeddings.position_embeddings.weight": (cfg["max_position_embeddings"], h),
        "embeddings.token_type_embeddings.weight": (cfg["type_vocab_size"], h),
        "embeddings.LayerNorm.weight": (h,),
        "embeddings.LayerNorm.bias": (h,),
    }
    for n in range(cfg["num_hidden_layers"]):
        p = f"encoder.layer.{n}."
        for sub in ("query", "key", "value"):
            shapes[p + f"attention.self.{sub}.weight"] = (h, h)
            shapes[p + f"attention.self.{sub}.bias"] = (h,)
        shapes[p + "attention.output.dense.weight"] = (h, h)
        shapes[p + "attention.output.dense.bias"] = (h,)
        shapes[p + "attention.output.LayerNorm.weight"] = (h,)
        shapes[p + "attention.output.LayerNorm.bias"] = (h,)
        shapes[p + "intermediate.dense.weight"] = (i, h)
        shapes[p + "intermediate.dense.bias"] = (i,)
        shapes[p + "output.dense.weight"] = (h, i)
        shapes[p + "output.dense.bias"] = (h,)
        shapes[p + "output.LayerNorm.weight"] = (h,)
        shapes[p + "output.LayerNorm.bias"] = (h,)
    return shapes


def _canonical_name(name: str, prefix: str) -> Optional[str]:
    if not name.startswith(prefix):
        return None
    name = name[len(prefix):]
    # Old TF-converted checkpoints name LayerNorm params gamma/beta.
    if name.endswith("LayerNorm.gamma"):
        name = name[: -len("gamma")] + "weight"
    elif name.endswith("LayerNorm.beta"):
        name = name[: -len("beta")] + "bias"
    return name


def load_weights(path: str, cfg: dict) -> Dict[str, np.ndarray]:
    """Read a safetensors file; strip any prefix before ``embeddings.`` /
    ``encoder.`` (e.g. ``bert.``) and check names/shapes."""
    from safetensors.numpy import load_file

    raw = load_file(path)
    anchor = "embeddings.word_embeddings.weight"
    hits = [k for k in raw if k.endswith(anchor)]
    if not hits:
        raise ValueError(f"{path}: no tensor named '*{anchor}'")
    prefix = min(hits, key=len)[: -len(anchor)]
    out: Dict[str, np.ndarray] = {}
    for k, v in raw.items():
        c = _canonical_name(k, prefix)
        if c is not None:
            out[c] = v
    want = weight_names(cfg)
    for name, shape in want.items():
        if name not in out:
            raise ValueError(f"{path}: missing tensor {prefix}{name}")
        if tuple(out[name].shape) != tuple(shape):
            raise ValueError(f"{path}: tensor {prefix}{name} has shape {out[name].shape}, expected {shape}")
    return {k: np.ascontiguousarray(out[k], dtype=np.float32) for k in want}


HEADS = ("none", "sequence-classification", "question-answering", "token-classification")


def classification_weight_prefixes(cfg: dict) -> tuple:
    """HF names of the sequence classifier's two layers: the dense + tanh one, then the one giving the logits."""
    if is_roberta(cfg):
        return "classifier.dense", "classifier.out_proj"
    return "pooler.dense", "classifier"


def head_weight_names(cfg: dict, head: str, num_labels: int) -> Dict[str, tuple]:
    """HF names (without the model prefix) and shapes of a head's weights."""
    h = cfg["hidden_size"]
    if head == "sequence-classification":
        # The same computation under two layouts: XLMRobertaForSequenceClassification has no
        # pooler; its classifier head holds the dense + tanh step (RobertaClassificationHead).
        dense, out = classification_weight_prefixes(cfg)
        return {f"{dense}.weight": (h, h), f"{dense}.bias": (h,),
                f"{out}.weight": (num_labels, h), f"{out}.bias": (num_labels,)}
    if head == "question-answering":
        return {"qa_outputs.weight": (2, h), "qa_outputs.bias": (2,)}
    if head == "token-classification":
        return {"classifier.weight": (num_labels, h), "classifier.bias": (num_labels,)}
    return {}


def head_weights(cfg: dict, head: str, num_labels: int, checkpoint: Optional[str], seed: int,
                 std: float) -> Dict[str, np.ndarray]:
    """The head's weights from the checkpoint when it has all of them, else
    seeded random ones. A large std spreads the logits, so argmax and the
    best answer span are clear-cut rather than decided by rounding."""
    want = head_weight_names(cfg, head, num_labels)
    if not want:
        return {}
    if checkpoint:
        from safetensors.numpy import load_file

        raw = load_file(checkpoint)
        found = {}
        for name, shape in want.items():
            hits = [k for k in raw if k == name or k.endswith("." + name)]
            if hits and tuple(raw[hits[0]].shape) == tuple(shape):
                found[name] = np.ascontiguousarray(raw[hits[0]], dtype=np.float32)
        if len(found) == len(want):
            return found
    rng = np.random.default_rng(seed)
    return {name: (std * rng.standard_normal(shape)).astype(np.float32) for name, shape in want.items()}


def random_weights(cfg: dict, seed: int, std: Optional[float] = None) -> Dict[str, np.ndarray]:
    """Deterministic random weights with BertModel's names and shapes."""
    rng = np.random.default_rng(seed)
    std = float(cfg.get("initializer_range", 0.02) if std is None else std)
    out: Dict[str, np.ndarray] = {}
    for name, shape in weight_names(cfg).items():
        if name.endswith("LayerNorm.weight"):
            a = 1.0 + 0.1 * rng.standard_normal(shape)
        elif name.endswith("LayerNorm.bias"):
            a = 0.1 * rng.standard_normal(shape)
        else:
            a = std * rng.standard_normal(shape)
        out[name] = a.astype(np.float32)
    return out


# --------------------------------------------------------------------------
# Graph building
# --------------------------------------------------------------------------


class GraphBuilder:
    def __init__(self, opset: int):
        self.opset = opset
        self.nodes: List[onnx.NodeProto] = []
        self.inits: List[onnx.TensorProto] = []
        self._names: Dict[str, int] = {}
        self._consts: Dict[tuple, str] = {}

    def fresh(self, base: str) -> str:
        n = self._names.get(base, 0)
        self._names[base] = n + 1
        return base if n == 0 else f"{base}_{n}"

    def op(self, op_type: str, inputs: List[str], name: str, **attrs) -> str:
        out = self.fresh(name)
        self.nodes.append(helper.make_node(op_type, inputs, [out], name=out + "/" + op_type, **attrs))
        return out

    def init(self, name: str, array: np.ndarray) -> str:
        name = self.fresh(name)
        self.inits.append(numpy_helper.from_array(np.ascontiguousarray(array), name))
        return name

    def const(self, value, dtype) -> str:
        arr = np.array(value, dtype=dtype)
        key = (arr.dtype.str, arr.shape, arr.tobytes())
        if key not in self._consts:
            self._consts[key] = self.init("const", arr)
        return self._consts[key]

    # -- composite ops --------------------------------------------------

    def linear(self, x: str, w: np.ndarray, b: np.ndarray, name: str) -> str:
        """x @ w.T + b for HF's [out, in] weight layout."""
        wt = self.init(name + ".weight_t", np.ascontiguousarray(w.T))
        bb = self.init(name + ".bias", b)
        y = self.op("MatMul", [x, wt], name + "/matmul")
        return self.op("Add", [y, bb], name + "/out")

    def layer_norm(self, x: str, w: np.ndarray, b: np.ndarray, eps: float, name: str) -> str:
        g = self.init(name + ".weight", w)
        bb = self.init(name + ".bias", b)
        if self.opset >= 17:
            return self.op("LayerNormalization", [x, g, bb], name + "/out", axis=-1, epsilon=float(eps))
        # Decomposed: (x - mean) / sqrt(var + eps) * g + b over the last axis.
        mean = self.reduce_mean_last(x, name + "/mean")
        d = self.op("Sub", [x, mean], name + "/centered")
        sq = self.op("Mul", [d, d], name + "/sq")
        var = self.reduce_mean_last(sq, name + "/var")
        ve = self.op("Add", [var, self.const(eps, np.float32)], name + "/var_eps")
        sd = self.op("Sqrt", [ve], name + "/std")
        n = self.op("Div", [d, sd], name + "/normed")
        y = self.op("Mul", [n, g], name + "/scaled")
        return self.op("Add", [y, bb], name + "/out")

    def reduce_mean_last(self, x: str, name: str) -> str:
        # Only used below opset 17, where ReduceMean takes axes as an attribute.
        return self.op("ReduceMean", [x], name, axes=[-1], keepdims=1)

    def gelu(self, x: str, name: str) -> str:
        """Exact GELU: 0.5 * x * (1 + erf(x / sqrt(2)))."""
        s = self.op("Div", [x, self.const(math.sqrt(2.0), np.float32)], name + "/div")
        e = self.op("Erf", [s], name + "/erf")
        p = self.op("Add", [e, self.const(1.0, np.float32)], name + "/add1")
        m = self.op("Mul", [x, p], name + "/mul")
        return self.op("Mul", [m, self.const(0.5, np.float32)], name + "/out")


def build_model(cfg: dict, w: Dict[str, np.ndarray], opset: int = 17,
                with_token_type_ids: bool = True, head: str = "none",
                hw: Optional[Dict[str, np.ndarray]] = None) -> onnx.ModelProto:
    if opset < MIN_OPSET:
        raise ValueError(f"opset must be >= {MIN_OPSET}")
    h = int(cfg["hidden_size"])
    nh = int(cfg["num_attention_heads"])
    dh = h // nh
    eps = float(cfg["layer_norm_eps"])
    g = GraphBuilder(opset)
    i64 = np.int64

    # ---- embeddings --------------------------------------------------
    word = g.init("embeddings.word_embeddings.weight", w["embeddings.word_embeddings.weight"])
    pos = g.init("embeddings.position_embeddings.weight", w["embeddings.position_embeddings.weight"])
    tte = w["embeddings.token_type_embeddings.weight"]

    x_word = g.op("Gather", [word, "input_ids"], "embeddings/word", axis=0)  # [B,S,H]
    if is_roberta(cfg):
        # RoBERTa positions: pad + running count of non-pad tokens; pad on padding.
        pad = g.const(int(cfg["pad_token_id"]), i64)
        is_pad = g.op("Equal", ["input_ids", pad], "embeddings/is_pad")
        real = g.op("Cast", [g.op("Not", [is_pad], "embeddings/not_pad")], "embeddings/real", to=TensorProto.INT64)
        count = g.op("CumSum", [real, g.const(1, i64)], "embeddings/real_count")  # along the sequence
        position_ids = g.op("Add", [g.op("Mul", [count, real], "embeddings/real_positions"), pad],
                            "embeddings/position_ids")                                # [B,S]
        x_pos = g.op("Gather", [pos, position_ids], "embeddings/position", axis=0)   # [B,S,H]
    else:
        # Positions 0..S-1: the first S rows of the position table, [S,H].
        shape = g.op("Shape", ["input_ids"], "embeddings/ids_shape")             # [2]
        seq_len = g.op("Slice", [shape, g.const([1], i64), g.const([2], i64)], "embeddings/seq_len")  # [1]
        x_pos = g.op("Slice", [pos, g.const([0], i64), seq_len, g.const([0], i64)], "embeddings/position")
    x = g.op("Add", [x_word, x_pos], "embeddings/word_pos")
    if with_token_type_ids:
        tt = g.init("embeddings.token_type_embeddings.weight", tte)
        x_tt = g.op("Gather", [tt, "token_type_ids"], "embeddings/token_type", axis=0)
    else:
        # Model without a token_type_ids input: every token has type 0.
        x_tt = g.init("embeddings.token_type_embeddings.row0", tte[0])
    x = g.op("Add", [x, x_tt], "embeddings/sum")
    x = g.layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], eps,
                     "embeddings.LayerNorm")

    # ---- extended attention mask [B,1,1,S]: (1 - mask) * MASK_NEG ----------
    m = g.op("Cast", ["attention_mask"], "mask/float", to=TensorProto.FLOAT)
    inv = g.op("Sub", [g.const(1.0, np.float32), m], "mask/inverted")
    neg = g.op("Mul", [inv, g.const(MASK_NEG, np.float32)], "mask/additive")
    ext = g.op("Unsqueeze", [neg, g.const([1, 2], i64)], "mask/extended")

    heads_shape = g.const([0, 0, nh, dh], i64)   # [B,S,H] -> [B,S,nh,dh]
    merged_shape = g.const([0, 0, h], i64)       # [B,S,nh,dh] -> [B,S,H]
    scale = g.const(math.sqrt(dh), np.float32)

    # ---- encoder layers ----------------------------------------------
    for n in range(int(cfg["num_hidden_layers"])):
        p = f"encoder.layer.{n}."
        q = g.linear(x, w[p + "attention.self.query.weight"], w[p + "attention.self.query.bias"],
                     p + "attention.self.query")
        k = g.linear(x, w[p + "attention.self.key.weight"], w[p + "attention.self.key.bias"],
                     p + "attention.self.key")
        v = g.linear(x, w[p + "attention.self.value.weight"], w[p + "attention.self.value.bias"],
                     p + "attention.self.value")
        q = g.op("Reshape", [q, heads_shape], p + "attention.self/q_heads")
        q = g.op("Transpose", [q], p + "attention.self/q_t", perm=[0, 2, 1, 3])    # [B,nh,S,dh]
        k = g.op("Reshape", [k, heads_shape], p + "attention.self/k_heads")
        k = g.op("Transpose", [k], p + "attention.self/k_t", perm=[0, 2, 3, 1])    # [B,nh,dh,S]
        v = g.op("Reshape", [v, heads_shape], p + "attention.self/v_heads")
        v = g.op("Transpose", [v], p + "attention.self/v_t", perm=[0, 2, 1, 3])    # [B,nh,S,dh]
        s = g.op("MatMul", [q, k], p + "attention.self/scores")                     # [B,nh,S,S]
        s = g.op("Div", [s, scale], p + "attention.self/scaled")
        s = g.op("Add", [s, ext], p + "attention.self/masked")
        a = g.op("Softmax", [s], p + "attention.self/probs", axis=-1)
        c = g.op("MatMul", [a, v], p + "attention.self/context")                    # [B,nh,S,dh]
        c = g.op("Transpose", [c], p + "attention.self/context_t", perm=[0, 2, 1, 3])
        c = g.op("Reshape", [c, merged_shape], p + "attention.self/context_merged")  # [B,S,H]
        o = g.linear(c, w[p + "attention.output.dense.weight"], w[p + "attention.output.dense.bias"],
                     p + "attention.output.dense")
        o = g.op("Add", [o, x], p + "attention.output/residual")
        x = g.layer_norm(o, w[p + "attention.output.LayerNorm.weight"],
                         w[p + "attention.output.LayerNorm.bias"], eps, p + "attention.output.LayerNorm")
        f = g.linear(x, w[p + "intermediate.dense.weight"], w[p + "intermediate.dense.bias"],
                     p + "intermediate.dense")
        f = g.gelu(f, p + "intermediate/gelu")
        f = g.linear(f, w[p + "output.dense.weight"], w[p + "output.dense.bias"], p + "output.dense")
        f = g.op("Add", [f, x], p + "output/residual")
        x = g.layer_norm(f, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"], eps,
                         p + "output.LayerNorm")

    hw = hw or {}
    if head == "sequence-classification":
        dense, out = classification_weight_prefixes(cfg)
        num_labels = int(hw[f"{out}.weight"].shape[0])
        # A 1-d index and a Squeeze: initializers here are never 0-d.
        cls = g.op("Gather", [x, g.const([0], i64)], "pooler/first_token", axis=1)        # [B,1,H]
        cls = g.op("Squeeze", [cls, g.const([1], i64)], "pooler/first_token_squeezed")     # [B,H]
        pooled = g.op("Tanh", [g.linear(cls, hw[f"{dense}.weight"], hw[f"{dense}.bias"], dense)], "pooler/tanh")
        logits = g.linear(pooled, hw[f"{out}.weight"], hw[f"{out}.bias"], out)
        g.nodes.append(helper.make_node("Identity", [logits], ["logits"], name="logits/Identity"))
        out_infos = [helper.make_tensor_value_info("logits", TensorProto.FLOAT, [DIM_BATCH, num_labels])]
    elif head == "question-answering":
        qa = g.linear(x, hw["qa_outputs.weight"], hw["qa_outputs.bias"], "qa_outputs")     # [B,S,2]
        start = g.op("Squeeze", [g.op("Gather", [qa, g.const([0], i64)], "qa/start", axis=2),
                                 g.const([2], i64)], "qa/start_squeezed")                     # [B,S]
        end = g.op("Squeeze", [g.op("Gather", [qa, g.const([1], i64)], "qa/end", axis=2),
                               g.const([2], i64)], "qa/end_squeezed")
        g.nodes.append(helper.make_node("Identity", [start], ["start_logits"], name="start_logits/Identity"))
        g.nodes.append(helper.make_node("Identity", [end], ["end_logits"], name="end_logits/Identity"))
        out_infos = [helper.make_tensor_value_info(n, TensorProto.FLOAT, [DIM_BATCH, DIM_SEQ])
                     for n in ("start_logits", "end_logits")]
    elif head == "token-classification":
        # BertForTokenClassification: the classifier on every token's hidden state (no pooler).
        num_labels = int(hw["classifier.weight"].shape[0])
        logits = g.linear(x, hw["classifier.weight"], hw["classifier.bias"], "classifier")  # [B,S,L]
        g.nodes.append(helper.make_node("Identity", [logits], ["logits"], name="logits/Identity"))
        out_infos = [helper.make_tensor_value_info("logits", TensorProto.FLOAT, [DIM_BATCH, DIM_SEQ, num_labels])]
    else:
        g.nodes.append(helper.make_node("Identity", [x], ["last_hidden_state"], name="last_hidden_state/Identity"))
        out_infos = [helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT, [DIM_BATCH, DIM_SEQ, h])]

    ids_dims = [DIM_BATCH, DIM_SEQ]
    inputs = [
        helper.make_tensor_value_info("input_ids", TensorProto.INT64, ids_dims),
        helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ids_dims),
    ]
    if with_token_type_ids:
        inputs.append(helper.make_tensor_value_info("token_type_ids", TensorProto.INT64, ids_dims))
    graph = helper.make_graph(g.nodes, "bert_encoder", inputs, out_infos, initializer=g.inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)],
                              producer_name="faster-bert export_bert_onnx")
    # Use the lowest IR version the opset needs, so runtimes that lag behind
    # the onnx package can still load the file.
    model.ir_version = helper.find_min_ir_version_for(list(model.opset_import))
    return model


def signature(model: onnx.ModelProto) -> dict:
    """{"inputs": [...], "outputs": [...]} as onnx_signature.py prints it."""
    inits = {i.name for i in model.graph.initializer}
    return {
        "inputs": [signature_entry(v) for v in model.graph.input if v.name not in inits],
        "outputs": [signature_entry(v) for v in model.graph.output],
    }


def export(cfg: dict, weights: Dict[str, np.ndarray], out: str, opset: int = 17,
           with_token_type_ids: bool = True, source: str = "", head: str = "none",
           hw: Optional[Dict[str, np.ndarray]] = None) -> dict:
    model = build_model(cfg, weights, opset, with_token_type_ids, head, hw)
    onnx.checker.check_model(model, full_check=True)
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    onnx.save_model(model, out)
    sig = signature(model)
    meta = {
        "format": "onnx",
        "opset": opset,
        "inputs": sig["inputs"],
        "outputs": sig["outputs"],
        "input_ids": "input_ids",
        "attention_mask": "attention_mask",
        "token_type_ids": "token_type_ids" if with_token_type_ids else "",
        "token_embeddings": "last_hidden_state" if head == "none" else "",
        "head": head,
        "hidden_size": int(cfg["hidden_size"]),
        "num_hidden_layers": int(cfg["num_hidden_layers"]),
        "num_attention_heads": int(cfg["num_attention_heads"]),
        "vocab_size": int(cfg["vocab_size"]),
        "type_vocab_size": int(cfg["type_vocab_size"]),
        "max_position_embeddings": int(cfg["max_position_embeddings"]),
        "architecture": "xlm-roberta" if is_roberta(cfg) else "bert",
        "pad_token_id": int(cfg["pad_token_id"]) if is_roberta(cfg) else None,
        "source": source,
    }
    with open(out + ".json", "w", encoding="utf-8") as f:
        json.dump(meta, f, indent=2)
        f.write("\n")
    return meta


def main(argv: Optional[List[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model-dir", help="folder with config.json and model.safetensors")
    ap.add_argument("--config", help="config.json (default: MODEL_DIR/config.json)")
    ap.add_argument("--weights", help="safetensors file (default: MODEL_DIR/model.safetensors)")
    ap.add_argument("--out", required=True, help="output .onnx path; metadata goes to OUT.json")
    ap.add_argument("--opset", type=int, default=17,
                    help="ONNX opset (>= 13; below 17 LayerNormalization is decomposed)")
    ap.add_argument("--random-weights", action="store_true",
                    help="ignore any checkpoint; use seeded random weights with the config's shapes")
    ap.add_argument("--seed", type=int, default=0, help="seed for --random-weights")
    ap.add_argument("--init-std", type=float, default=None,
                    help="std of random dense/embedding weights (default: config initializer_range)")
    ap.add_argument("--save-weights", metavar="DIR",
                    help="with --random-weights: also write DIR/model.safetensors and DIR/config.json")
    tt = ap.add_mutually_exclusive_group()
    tt.add_argument("--no-token-type-ids", action="store_true",
                    help="build a model without the token_type_ids input (all tokens type 0); "
                         "the default for (XLM-)RoBERTa configs")
    tt.add_argument("--token-type-ids", action="store_true",
                    help="keep the token_type_ids input for an (XLM-)RoBERTa config")
    ap.add_argument("--head", choices=HEADS, default="none", help="task head on top of the encoder")
    ap.add_argument("--num-labels", type=int, default=2, help="classes of --head sequence-classification / token-classification")
    ap.add_argument("--head-seed", type=int, default=1, help="seed of random head weights")
    ap.add_argument("--head-std", type=float, default=1.0, help="std of random head weights")
    args = ap.parse_args(argv)

    config_path = args.config or (os.path.join(args.model_dir, "config.json") if args.model_dir else None)
    if not config_path:
        ap.error("need --model-dir or --config")
    cfg = load_config(config_path)

    if args.random_weights:
        weights = random_weights(cfg, args.seed, args.init_std)
        source = f"random-weights seed={args.seed}"
        if args.save_weights:
            from safetensors.numpy import save_file

            os.makedirs(args.save_weights, exist_ok=True)
            save_file(weights, os.path.join(args.save_weights, "model.safetensors"))
            with open(os.path.join(args.save_weights, "config.json"), "w", encoding="utf-8") as f:
                json.dump(cfg, f, indent=2)
                f.write("\n")
    else:
        weights_path = args.weights or (os.path.join(args.model_dir, "model.safetensors") if args.model_dir else None)
        if not weights_path:
            ap.error("need --model-dir or --weights (or --random-weights)")
        weights = load_weights(weights_path, cfg)
        source = weights_path

    checkpoint = None if args.random_weights else weights_path
    hw = head_weights(cfg, args.head, args.num_labels, checkpoint, args.head_seed, args.head_std)
    if args.random_weights and args.save_weights and hw:
        from safetensors.numpy import save_file

        save_file({**weights, **hw}, os.path.join(args.save_weights, "model.safetensors"))
    with_tt = args.token_type_ids or not (args.no_token_type_ids or is_roberta(cfg))
    meta = export(cfg, weights, args.out, args.opset, with_tt, source, args.head, hw)
    print(f"wrote {args.out} (opset {args.opset}, {cfg['num_hidden_layers']} layers, hidden {meta['hidden_size']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
