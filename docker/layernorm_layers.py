#!/usr/bin/env python3
"""Names the LayerNorm computations of an ONNX BERT for trtexec, so
docker/build-trt-plan.sh can keep them in FP32 in an FP16 engine (seed 003:
FP16 LayerNorm loses the embeddings' precision).

  layernorm_layers.py MODEL.onnx   ->  "name1:fp32,name2:fp32,..."

TensorRT names the layers it parses after the ONNX nodes. A
LayerNormalization node (opset 17, what tools/bert_onnx exports) is one
layer; an older graph spells LayerNorm out (ReduceMean, Sub, Pow, ReduceMean,
Add, Sqrt, Div, Mul, Add): every node between the first ReduceMean and the
final Add of such a chain is named. Exit status 1 when none is found.
"""
import sys

import onnx

# The nodes of a decomposed LayerNorm after its first ReduceMean.
DECOMPOSED = {"Sub", "Pow", "ReduceMean", "Add", "Sqrt", "Div", "Mul"}


def layernorm_nodes(model):
    nodes = list(model.graph.node)
    names = [n.name for n in nodes if n.op_type == "LayerNormalization"]
    if names:
        return names
    consumers = {}
    for node in nodes:
        for name in node.input:
            consumers.setdefault(name, []).append(node)
    found = []
    for node in nodes:
        if node.op_type != "ReduceMean":
            continue
        # Follow the chain the mean starts while it stays inside LayerNorm's ops.
        chain, frontier = [node], [node]
        while frontier:
            current = frontier.pop()
            for out in current.output:
                for nxt in consumers.get(out, []):
                    if nxt.op_type in DECOMPOSED and nxt not in chain and len(chain) < 12:
                        chain.append(nxt)
                        frontier.append(nxt)
        if any(n.op_type == "Sqrt" for n in chain):
            found.extend(n.name for n in chain if n.name not in found)
    return found


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    names = layernorm_nodes(onnx.load(sys.argv[1], load_external_data=False))
    if not names:
        print(f"no LayerNorm found in {sys.argv[1]}", file=sys.stderr)
        return 1
    print(",".join(f"{name}:fp32" for name in names))
    return 0


if __name__ == "__main__":
    sys.exit(main())
