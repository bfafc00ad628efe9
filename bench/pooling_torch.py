"""PyTorch side of `npm run bench` (bench/pooling.js starts it and keeps it running).

    PYTHON bench/pooling_torch.py THREADS

Prints one JSON line {"version", "threads"}, then answers each JSON line on stdin with one line:
  {"prepare": {workload}, "layout": "nchw" | "channels_last"}  -> {"ready": true} (or {"error"})
  {"run": layout}                                              -> {"ms": one timed call}
The bench times one PyTorch call at a time, in turn with ours and TensorFlow.js's calls, so all
of them see the same machine (other processes on 2 cores move single numbers by 2× and more).
PyTorch from pip (2.13, the venv `npm run fixtures` makes); the bench skips the column without it.
"""
import json
import sys
import time

import torch
import torch.nn.functional as F


def job(w, layout):
    """A function that runs one workload once (forward, or forward + backward) in `layout`."""
    torch.manual_seed(0)
    x = torch.randn(*w["shape"]).relu()
    if layout == "channels_last":
        x = x.contiguous(memory_format=torch.channels_last)
    op, k, s, p = w["op"], w.get("k"), w.get("s"), w.get("p", 0)
    if op == "max":
        return lambda: F.max_pool2d(x, k, s, p)
    if op == "max-indices":
        return lambda: F.max_pool2d(x, k, s, p, return_indices=True)
    if op == "avg":
        return lambda: F.avg_pool2d(x, k, s, p)
    if op == "global-avg":
        return lambda: F.adaptive_avg_pool2d(x, 1)
    xg = x.detach().clone(memory_format=torch.preserve_format).requires_grad_(True)
    pool = (lambda t: F.max_pool2d(t, k, s, p)) if op == "max-backward" else (lambda t: F.avg_pool2d(t, k, s, p))
    g = torch.ones_like(pool(x))
    return lambda: torch.autograd.grad(pool(xg), xg, g)


def main():
    torch.set_num_threads(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
    print(json.dumps({"version": torch.__version__, "threads": torch.get_num_threads()}), flush=True)
    runs = {}  # layout -> the prepared workload
    for line in sys.stdin:
        request = json.loads(line)
        if "prepare" in request:
            try:
                runs[request["layout"]] = job(request["prepare"], request["layout"])
                answer = {"ready": True}
            except Exception as e:  # a workload this PyTorch cannot run: the bench notes it
                answer = {"error": str(e).splitlines()[0]}
        else:
            run = runs[request["run"]]
            t0 = time.perf_counter()
            run()
            answer = {"ms": (time.perf_counter() - t0) * 1000}
        print(json.dumps(answer), flush=True)


main()
