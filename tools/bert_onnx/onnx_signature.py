#!/usr/bin/env python3
"""Print the input/output signature of an ONNX model as JSON.

  python tools/bert_onnx/onnx_signature.py FILE.onnx

Output (one JSON object on stdout):
  {"inputs": [{"name": "input_ids", "dtype": "INT64", "shape": ["batch", "sequence"]}, ...],
   "outputs": [{"name": "last_hidden_state", "dtype": "FP32", "shape": ["batch", "sequence", 384]}]}

dtype names follow Triton's (FP32, FP16, BF16, FP64, INT64, INT32, INT8,
UINT8, BOOL, BYTES, ...). A dim is an int when fixed, its name when
symbolic, and "?" when unnamed and unknown; "shape" is null when the model
gives no shape at all. Graph inputs that are initializers are left out.
Exit status 2 (message on stderr) when the file cannot be read.
"""
from __future__ import annotations

import json
import sys

import onnx
from onnx import TensorProto

DTYPES = {
    TensorProto.FLOAT: "FP32",
    TensorProto.FLOAT16: "FP16",
    TensorProto.BFLOAT16: "BF16",
    TensorProto.DOUBLE: "FP64",
    TensorProto.INT8: "INT8",
    TensorProto.INT16: "INT16",
    TensorProto.INT32: "INT32",
    TensorProto.INT64: "INT64",
    TensorProto.UINT8: "UINT8",
    TensorProto.UINT16: "UINT16",
    TensorProto.UINT32: "UINT32",
    TensorProto.UINT64: "UINT64",
    TensorProto.BOOL: "BOOL",
    TensorProto.STRING: "BYTES",
}


def value_info_entry(vi: onnx.ValueInfoProto) -> dict:
    tt = vi.type.tensor_type
    if not vi.type.HasField("tensor_type"):
        return {"name": vi.name, "dtype": "UNKNOWN", "shape": None}
    dtype = DTYPES.get(tt.elem_type, TensorProto.DataType.Name(tt.elem_type) if tt.elem_type else "UNKNOWN")
    shape = None
    if tt.HasField("shape"):
        shape = []
        for d in tt.shape.dim:
            if d.HasField("dim_value"):
                shape.append(int(d.dim_value))
            elif d.HasField("dim_param") and d.dim_param:
                shape.append(d.dim_param)
            else:
                shape.append("?")
    return {"name": vi.name, "dtype": dtype, "shape": shape}


def signature(path: str) -> dict:
    model = onnx.load(path, load_external_data=False)
    inits = {t.name for t in model.graph.initializer}
    return {
        "inputs": [value_info_entry(v) for v in model.graph.input if v.name not in inits],
        "outputs": [value_info_entry(v) for v in model.graph.output],
    }


def main(argv: list) -> int:
    if len(argv) != 1 or argv[0] in ("-h", "--help"):
        print("usage: onnx_signature.py FILE.onnx", file=sys.stderr)
        return 2
    try:
        sig = signature(argv[0])
    except Exception as e:  # noqa: BLE001 - report any read/parse failure
        print(f"onnx_signature: cannot read {argv[0]}: {e}", file=sys.stderr)
        return 2
    print(json.dumps(sig))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
