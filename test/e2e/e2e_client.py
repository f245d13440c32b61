"""Small helpers the end-to-end check scripts share: BYTES rows, HTTP
requests that name their outputs, and concurrent single-row requests that
the dynamic batcher merges. No reference maths here: each check script
computes its own."""
import threading
from functools import partial

import numpy as np
import tritonclient.grpc as grpcclient
import tritonclient.http as httpclient


def bytes_rows(texts):
    return np.array([[t.encode("utf-8") if isinstance(t, str) else t] for t in texts], dtype=np.object_)


def text_inputs(columns):
    """columns: {input name: list of texts}, one row per index."""
    inputs = []
    for name, texts in columns.items():
        rows = bytes_rows(texts)
        inp = httpclient.InferInput(name, list(rows.shape), "BYTES")
        inp.set_data_from_numpy(rows, binary_data=True)
        inputs.append(inp)
    return inputs


def infer(client, model, columns, outputs=None):
    """One request; outputs None: name none (Triton then returns every output).
    Returns {output name: numpy array} of what came back."""
    requested = None if outputs is None else [httpclient.InferRequestedOutput(o, binary_data=True) for o in outputs]
    result = client.infer(model, text_inputs(columns), outputs=requested)
    names = [o["name"] for o in result.get_response()["outputs"]]
    return {name: result.as_numpy(name) for name in names}


def infer_all_at_once(grpc_url, model, requests):
    """requests: list of (columns, outputs). All sent before any answer is
    read, through gRPC's async API (truly concurrent, unlike the gevent HTTP
    client, which sent them one after another here), so the batcher merges
    them. Returns a list of ({name: array}, None) or (None, error message)."""
    client = grpcclient.InferenceServerClient(grpc_url)
    done = threading.Semaphore(0)
    answers = [None] * len(requests)

    def on_answer(index, result, error):
        if error is not None:
            answers[index] = (None, str(error))
        else:
            names = [o.name for o in result.get_response().outputs]
            answers[index] = ({name: result.as_numpy(name) for name in names}, None)
        done.release()

    for index, (columns, outputs) in enumerate(requests):
        inputs = []
        for name, texts in columns.items():
            rows = bytes_rows(texts)
            inp = grpcclient.InferInput(name, list(rows.shape), "BYTES")
            inp.set_data_from_numpy(rows)
            inputs.append(inp)
        requested = None if outputs is None else [grpcclient.InferRequestedOutput(o) for o in outputs]
        client.async_infer(model, inputs, partial(on_answer, index), outputs=requested)
    for _ in requests:
        done.acquire()
    client.close()
    return answers


def error_of(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - any client error is the answer we want
        return str(e) or type(e).__name__
    return None


def executions(client, model):
    return int(client.get_inference_statistics(model)["model_stats"][0]["execution_count"])


def decode(values):
    return [v.decode("utf-8") if isinstance(v, bytes) else str(v) for v in values]
