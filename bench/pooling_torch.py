"""PyTorch side of `npm run bench` (bench/pooling.js starts it and keeps it running).

    PYTHON bench/pooling_torch.py THREADS

Prints one JSON line {"version", "threads"}, then answers each JSON line on stdin
{"workload": {...}, "runs": R, "warmup": W, "layout": "nchw" | "channels_last"} with one JSON line
{"times": [milliseconds, ...]} (or {"error": "..."}). The bench asks workload by workload, right
after timing ours and TensorFlow.js on it, so all three see the machine in the same minute.
PyTorch from pip (2.13 here, `bench/setup-torch.sh`); the bench skips the column without it.
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


def timed(run, runs, warmup):
    for _ in range(warmup):
        run()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        run()
        times.append((time.perf_counter() - t0) * 1000)
    return times


def main():
    torch.set_num_threads(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
    print(json.dumps({"version": torch.__version__, "threads": torch.get_num_threads()}), flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        try:
            run = job(request["workload"], request["layout"])
            answer = {"times": timed(run, request["runs"], request["warmup"])}
        except Exception as e:  # a workload this PyTorch cannot run: the bench notes it
            answer = {"error": str(e).splitlines()[0]}
        print(json.dumps(answer), flush=True)


main()
