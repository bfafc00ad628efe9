"""PyTorch side of `npm run bench` (bench/pooling.js starts it): times the same workloads on the
CPU with one thread and prints one JSON object {name: [milliseconds, ...]} on stdout.

    /usr/bin/python3 bench/pooling_torch.py '<workloads as JSON>' RUNS WARMUP

Needs Debian's python3-torch (1.13); bench/pooling.js skips this column when it is missing.
"""
import json
import sys
import time

import torch
import torch.nn.functional as F

torch.set_num_threads(1)


def job(w):
    """A function that runs one workload once (forward, or forward + backward)."""
    torch.manual_seed(0)
    x = torch.randn(*w["shape"]).relu()
    op, k, s, p = w["op"], w.get("k"), w.get("s"), w.get("p", 0)
    if op == "max":
        return lambda: F.max_pool2d(x, k, s, p)
    if op == "max-indices":
        return lambda: F.max_pool2d(x, k, s, p, return_indices=True)
    if op == "avg":
        return lambda: F.avg_pool2d(x, k, s, p)
    if op == "global-avg":
        return lambda: F.adaptive_avg_pool2d(x, 1)
    xg = x.clone().requires_grad_(True)
    pool = (lambda t: F.max_pool2d(t, k, s, p)) if op == "max-backward" else (lambda t: F.avg_pool2d(t, k, s, p))
    g = torch.ones_like(pool(x))
    return lambda: torch.autograd.grad(pool(xg), xg, g)


def main():
    workloads = json.loads(sys.argv[1])
    runs, warmup = int(sys.argv[2]), int(sys.argv[3])
    result = {}
    for w in workloads:
        run = job(w)
        for _ in range(warmup):
            run()
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            run()
            times.append((time.perf_counter() - t0) * 1000)
        result[w["name"]] = times
    print(json.dumps({"version": torch.__version__, "threads": torch.get_num_threads(), "times": result}))


main()
