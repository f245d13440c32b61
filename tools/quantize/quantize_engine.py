"""One engine precision for `codegen build` (codegen/compile/precision-step.ts).

int8: NNCF post-training quantization of the ONNX model, calibrated on the
request's texts in padded batches, with NNCF's transformer scheme (LayerNorm,
softmax and the embedding lookup stay in floating point, as optimum-intel
does for BERT) and the output projections kept in floating point too;
writes model.int8.xml/.bin, whose float parts run in bf16 where the CPU has
BF16 (else f32). bf16: no new model, OpenVINO runs the FP32 one
with its inference precision set to bf16 where the CPU supports it.

Then the accuracy gate: the FP32 model runs the held-out texts one at a
time, the new engine alone and in padded batches (as served), and the worse
is compared on what the pipeline reads: token embeddings as
mean-pooled sentence embeddings (cosine), logits by argmax agreement (per
text, or per real token for token logits and QA start/end logits).

Reads one JSON request (argv[1]); writes one JSON report to the request's
reportFile (stdout carries NNCF's progress); exit 0 when the gate passes, 3
when it fails, 1 on any other error.
"""
import json
import os
import re
import sys
import time

import numpy as np
import openvino as ov
from tokenizers import BertWordPieceTokenizer, Tokenizer, processors


def read_texts(path):
    with open(path, encoding="utf-8") as f:
        return [line.rstrip("\n") for line in f if line.strip()]


# tokenize()'s BERT options given beside a BERT tokenizer.json replace the
# file's settings, as the runtime does (backend-cpp/text/tokenizer_json.cc);
# a special token set there is matched in the text too.
NORMALIZER_OVERRIDES = {"cleanText": "clean_text", "handleChineseChars": "handle_chinese_chars",
                        "lowercase": "lowercase", "stripAccents": "strip_accents"}
MODEL_OVERRIDES = {"unkToken": "unk_token", "continuingSubwordPrefix": "continuing_subword_prefix",
                   "maxInputCharsPerWord": "max_input_chars_per_word"}


def file_with_bert_overrides(path, overrides):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    # No normalizer reads as a BertNormalizer that changes nothing.
    normalizer = doc.get("normalizer") or {"type": "BertNormalizer", "clean_text": False,
                                           "handle_chinese_chars": False, "strip_accents": False,
                                           "lowercase": False}
    normalizer.update({field: overrides[key] for key, field in NORMALIZER_OVERRIDES.items() if key in overrides})
    doc["normalizer"] = normalizer
    doc["model"].update({field: overrides[key] for key, field in MODEL_OVERRIDES.items() if key in overrides})
    tok = Tokenizer.from_str(json.dumps(doc))
    post = doc["post_processor"]
    cls, sep = (post["cls"][0], post["sep"][0]) if post["type"] == "BertProcessing" else (
        post["single"][0]["SpecialToken"]["id"], post["single"][2]["SpecialToken"]["id"])
    cls, sep = overrides.get("clsToken", cls), overrides.get("sepToken", sep)
    if "clsToken" in overrides or "sepToken" in overrides:
        tok.post_processor = processors.BertProcessing((sep, tok.token_to_id(sep)), (cls, tok.token_to_id(cls)))
    tok.add_special_tokens([overrides[key] for key in ("unkToken", "clsToken", "sepToken", "padToken") if key in overrides])
    return tok


def make_tokenizer(spec):
    if spec.get("kind") == "tokenizerJson":
        # HF tokenizers runs the file as the runtime does.
        overrides = spec.get("bertOverrides", {})
        inner = (file_with_bert_overrides(spec["tokenizerJson"], overrides) if overrides
                 else Tokenizer.from_file(spec["tokenizerJson"]))
        inner.enable_truncation(max_length=spec["maxLength"])
        inner.no_padding()
        pad = overrides.get("padToken") or next(
            (t for t in ("<pad>", "[PAD]") if inner.token_to_id(t) is not None), None)

        class FileTokenizer:  # what feeds() uses: encode() and the id padded rows get
            pad_id = inner.token_to_id(pad) if pad is not None else 0
            encode = staticmethod(inner.encode)

        return FileTokenizer()
    tok = BertWordPieceTokenizer(
        spec["vocab"],
        clean_text=spec["cleanText"],
        handle_chinese_chars=spec["handleChineseChars"],
        strip_accents=spec["stripAccents"],
        lowercase=spec["lowercase"],
        unk_token=spec["unkToken"],
        sep_token=spec["sepToken"],
        cls_token=spec["clsToken"],
        pad_token=spec["padToken"],
        wordpieces_prefix=spec["continuingSubwordPrefix"],
    )
    tok.enable_truncation(max_length=spec["maxLength"])
    tok.no_padding()
    tok.pad_id = tok.token_to_id(spec["padToken"])  # the id padded rows get, as the runtime pads
    return tok


# Served batches are padded to their longest row; calibration and the gate
# use such batches too (a model calibrated only on unpadded rows quantizes the
# attention mask's range without its masked values and serves garbage).
BATCH = 8
# Names of the attention-output and FFN-output projections in our exporter's
# graphs (encoder.layer.0.output.dense/matmul/MatMul) and optimum's
# (/encoder/layer.0/output/dense/MatMul).
KEEP_FLOAT = re.compile(r".*output[./]dense.*MatMul$")
# Nodes a weight passes through between its Constant and a MatMul.
WEIGHT_PATH = {"Convert", "Transpose"}
PER_TOKEN = {"tokenEmbeddings", "tokenLogits", "startLogits", "endLogits"}


def feeds(tok, texts, inputs):
    """One padded batch of `texts`: the engine's inputs, and each row's length."""
    encodings = [tok.encode(text) for text in texts]
    longest = max(len(e.ids) for e in encodings)
    ids = np.full((len(texts), longest), tok.pad_id, dtype=np.int64)
    mask = np.zeros_like(ids)
    types = np.zeros_like(ids)
    for row, e in enumerate(encodings):
        ids[row, : len(e.ids)] = e.ids
        mask[row, : len(e.ids)] = 1
        types[row, : len(e.ids)] = e.type_ids
    out = {inputs["inputIds"]: ids, inputs["attentionMask"]: mask}
    if inputs.get("tokenTypeIds"):
        out[inputs["tokenTypeIds"]] = types
    return out, [len(e.ids) for e in encodings]


def batches(texts, size):
    return [texts[i : i + size] for i in range(0, len(texts), size)]


def corrupt_scales(model):
    """Test only (FASTERBERT_TEST_CORRUPT_INT8_SCALES=1): shrinks every
    FakeQuantize range a hundredfold, a broken quantization the gate must
    catch."""
    from openvino import opset13 as ops

    changed = 0
    for node in model.get_ops():
        if node.get_type_name() != "FakeQuantize":
            continue
        for port in (1, 2):  # input_low, input_high
            source = node.input(port).get_source_output().get_node()
            if source.get_type_name() != "Constant":
                continue
            values = source.get_data().astype(np.float32) * 0.01
            node.input(port).replace_source_output(ops.constant(values).output(0))
            changed += 1
    return changed


def is_weight(output) -> bool:
    """Whether a MatMul input is a weight (a Constant, perhaps converted or transposed)."""
    node = output.get_node()
    if node.get_type_name() == "Constant":
        return True
    return node.get_type_name() in WEIGHT_PATH and is_weight(node.input_value(0))


def kept_float(model) -> list[str]:
    """The MatMuls that stay in floating point: the attention-output and
    FFN-output projections (KEEP_FLOAT), and the attention's two products of
    activations (scores = Q.K^T, context = softmax.V), which have no weight.
    Quantized, those two ran in OpenVINO's fused int8 attention on AMX CPUs
    and served an ordinary sentence at cosine 0.81 to FP32 (0.995 kept in
    bf16, as fast: bench/reports/2026-12-05-cpu-int8-amx-attention.md)."""
    return [op.get_friendly_name() for op in model.get_ops()
            if op.get_type_name() == "MatMul"
            and (KEEP_FLOAT.match(op.get_friendly_name()) or not is_weight(op.input_value(1)))]


def quantize_int8(core, request, tok):
    import nncf

    model = core.read_model(request["onnx"])
    texts = read_texts(request["calibrationTexts"])[: request["samples"]]
    if not texts:
        raise ValueError(f"no calibration texts in {request['calibrationTexts']}")
    # Shuffled (fixed seed) so each padded batch mixes lengths as served ones do.
    order = np.random.default_rng(0).permutation(len(texts))
    groups = batches([texts[i] for i in order], BATCH)
    dataset = nncf.Dataset(groups, lambda group: feeds(tok, group, request["inputs"])[0])
    # The attention-output and FFN-output projections stay in floating point:
    # their inputs carry BERT's activation outliers, and quantizing them cost
    # all-MiniLM-L6-v2 up to 0.18 of cosine on repetitive texts (measured:
    # bench/reports/2026-12-04-cpu-precision.md). So do the attention's
    # products of activations (kept_float); Q, K, V and the FFN input are int8.
    kept = kept_float(model)
    quantized = nncf.quantize(model, dataset, model_type=nncf.ModelType.TRANSFORMER,
                              subset_size=len(groups), ignored_scope=nncf.IgnoredScope(names=kept))
    corrupted = corrupt_scales(quantized) if os.environ.get("FASTERBERT_TEST_CORRUPT_INT8_SCALES") == "1" else 0
    out = os.path.join(request["outDir"], "model.int8.xml")
    ov.save_model(quantized, out)
    return out, len(texts), corrupted, len(kept)


def run_all(compiled, tok, texts, inputs, outputs, batch_size):
    """Each text's outputs from padded batches of `batch_size`, per-token ones
    cut to the text's own tokens: {output name: array without the batch dim}."""
    request = compiled.create_infer_request()
    results = []
    for group in batches(texts, batch_size):
        f, lengths = feeds(tok, group, inputs)
        by_name = {}
        for port, value in request.infer(f).items():
            for name in port.get_names():
                by_name[name] = np.array(value, dtype=np.float64)
        for row, length in enumerate(lengths):
            results.append({o["name"]: by_name[o["name"]][row, :length] if o["kind"] in PER_TOKEN
                            else by_name[o["name"]][row] for o in outputs})
    return results


def compare(reference, candidate, outputs):
    """{output name: figures} for the pipeline's outputs. run_all already cut
    per-token outputs to the real tokens, so every position counts."""
    figures = {}
    for out in outputs:
        name, kind = out["name"], out["kind"]
        if kind == "tokenEmbeddings":  # [seq, hidden]: the mean-pooled sentence embedding
            cos = []
            for ref, got in zip(reference, candidate):
                a, b = ref[name].mean(0), got[name].mean(0)
                cos.append(float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b))))
            figures[name] = {"kind": kind, "measure": "cosine", "min": min(cos), "mean": float(np.mean(cos))}
        else:
            agree, total = 0, 0
            for ref, got in zip(reference, candidate):
                a, b = ref[name], got[name]
                if a.ndim == 1:  # logits [labels], QA start/end logits [seq]: one argmax per text
                    agree += int(np.argmax(a) == np.argmax(b))
                    total += 1
                else:  # token logits [seq, labels]: one argmax per token
                    agree += int((np.argmax(a, -1) == np.argmax(b, -1)).sum())
                    total += a.shape[0]
            figures[name] = {"kind": kind, "measure": "argmax agreement", "value": agree / max(total, 1),
                             "count": total}
    return figures


def worst(a, b):
    """The lower of two figures of one output (alone and batched)."""
    if a["measure"] == "cosine":
        return {**a, "min": min(a["min"], b["min"]), "mean": min(a["mean"], b["mean"])}
    return a if a["value"] <= b["value"] else b


def cpu_flags() -> list[str] | None:
    """The CPU's flags in /proc/cpuinfo; None where there is none (not Linux)."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            return next((line.split(":", 1)[1].split() for line in f if line.startswith("flags")), [])
    except OSError:
        return None


def cpu_has_int8_dot_product() -> bool:
    """What the backend checks before it loads an int8 model
    (backend-cpp/engines/openvino/int8_fallback.h): AVX-512 VNNI or AVX-VNNI
    in /proc/cpuinfo; elsewhere the backend serves the FP32 original."""
    flags = cpu_flags()
    return flags is None or "avx512_vnni" in flags or "avx_vnni" in flags


def main():
    request = json.load(open(sys.argv[1], encoding="utf-8"))
    started = time.time()
    core = ov.Core()
    capabilities = core.get_property("CPU", "OPTIMIZATION_CAPABILITIES")
    tok = make_tokenizer(request["tokenizer"])
    report = {"precision": request["precision"], "cpu_capabilities": list(capabilities)}

    fp32 = core.compile_model(core.read_model(request["onnx"]), "CPU", {"INFERENCE_PRECISION_HINT": "f32"})
    if request["precision"] == "int8":
        path, samples, corrupted, kept = quantize_int8(core, request, tok)
        report.update(model=os.path.basename(path), calibration_samples=samples, matmuls_kept_float=kept,
                      cpu_int8_dot_product=cpu_has_int8_dot_product())
        if corrupted:
            report["corrupted_ranges_for_test"] = corrupted
        # The float parts (LayerNorm, softmax, the kept projections) in bf16
        # where the CPU has it, as the served engine runs them.
        supported = "BF16" in capabilities
        report["ran_as"] = "int8, float parts in bf16" if supported else "int8, float parts in f32 as this CPU has no BF16"
        candidate = core.compile_model(core.read_model(path), "CPU",
                                       {"INFERENCE_PRECISION_HINT": "bf16" if supported else "f32"})
    else:
        # Where the CPU lacks BF16, OpenVINO would quietly run f32: say so.
        supported = "BF16" in capabilities
        report["ran_as"] = "bf16" if supported else "f32 (this CPU has no BF16)"
        candidate = core.compile_model(core.read_model(request["onnx"]), "CPU",
                                       {"INFERENCE_PRECISION_HINT": "bf16" if supported else "f32"})

    held_out = read_texts(request["heldOutTexts"])
    if not held_out:
        raise ValueError(f"no held-out texts in {request['heldOutTexts']}")
    outputs = request["outputs"]
    # FP32 one text at a time; the candidate alone and in padded batches, as served.
    reference = run_all(fp32, tok, held_out, request["inputs"], outputs, 1)
    alone = compare(reference, run_all(candidate, tok, held_out, request["inputs"], outputs, 1), outputs)
    batched = compare(reference, run_all(candidate, tok, held_out, request["inputs"], outputs, BATCH), outputs)
    figures = {name: worst(alone[name], batched[name]) for name in alone}
    failures = []
    for name, f in figures.items():
        if f["measure"] == "cosine" and f["min"] < request["minCosine"]:
            failures.append(f"output '{name}': sentence-embedding cosine to FP32 is {f['min']:.5f} at worst "
                            f"(mean {f['mean']:.5f}) over {len(held_out)} held-out texts, below minCosine "
                            f"{request['minCosine']}")
        if f["measure"] == "argmax agreement" and f["value"] < request["minAgreement"]:
            failures.append(f"output '{name}': argmax agreement with FP32 is {f['value']:.4f} over {f['count']} "
                            f"predictions, below minAgreement {request['minAgreement']}")
    report.update(held_out_texts=len(held_out), outputs=figures, passed=not failures, failures=failures,
                  seconds=round(time.time() - started, 1))
    write_report(request, report)
    return 0 if not failures else 3


def write_report(request, report):
    with open(request["reportFile"], "w", encoding="utf-8") as f:
        json.dump(report, f, indent=2)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception as e:  # noqa: BLE001 - reported to codegen as the step's error
        write_report(json.load(open(sys.argv[1], encoding="utf-8")), {"error": f"{type(e).__name__}: {e}"})
        sys.exit(1)
