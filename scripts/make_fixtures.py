#!/usr/bin/env python3
"""PyTorch oracle fixtures for the pooling module (d2l 6.5).

Run from the repository root on the PyTorch pinned in scripts/requirements-fixtures.txt (2.13, from pip):

    npm run fixtures          # makes that venv once, then runs this and the other generators

It is deterministic (fixed seeds, one intra-op thread) and rewrites the JSON files
in test/fixtures/: pool-max.json, pool-avg.json, pool-lp.json, pool-adaptive.json,
pool-unpool.json, pool-errors.json, modules.json and random.json.
test/unit/pytorch-fixtures.test.ts and test/unit/random.test.ts read them.

Every case is a direct call of real PyTorch: what it returns, or the error it raises, as it
words it. pool-errors.json also holds PyTorch's TypeError for an unknown keyword argument of
every pooling function and module ("unknownOption").

Encoding
- A tensor is {"shape": [...], "dtype": "float32"|"float64"|"int64"|"bool", "data": [...]}
  with the elements in row-major order. A float is written as repr(float(v)) (the
  float32 value converted exactly to a double, so it round-trips); NaN and the
  infinities are the strings "nan", "inf", "-inf"; -0.0 stays "-0.0".
- "args" use the TypeScript option names ({kernelSize, stride, padding, ...}); a key
  that is absent means "use the default", "stride": null is passed as null.
"""

import json
import math
import os
import random
import sys

from pinned_torch import require_pinned_torch

torch = require_pinned_torch()
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

torch.set_num_threads(1)  # max_unpool2d with duplicate indices is only deterministic serially
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DIR = os.path.join(ROOT, "test", "fixtures")
SEED = 20240605
RNG = random.Random(SEED)  # structure of the cases (shapes, options)
GEN = torch.Generator().manual_seed(SEED)  # tensor values
SOURCE = "torch-" + torch.__version__.split("+")[0]


def _pair_of(v, default):
    if v is None:
        v = default
    return (v[0], v[1]) if isinstance(v, list) else (v, v)


# ---------------------------------------------------------------------------
# encoding
# ---------------------------------------------------------------------------
DTYPES = {torch.float32: "float32", torch.float64: "float64", torch.int64: "int64", torch.bool: "bool"}
TORCH_DTYPE = {v: k for k, v in DTYPES.items()}


def enc_num(v):
    if isinstance(v, bool):
        return v
    if isinstance(v, int):
        return v
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return float(v)


def enc(t):
    t = t.detach().contiguous()
    flat = t.reshape(-1).tolist()
    return {"shape": list(t.shape), "dtype": DTYPES[t.dtype], "data": [enc_num(v) for v in flat]}


def py(v):
    """TS option value -> PyTorch argument (arrays become tuples)."""
    return tuple(v) if isinstance(v, list) else v


# ---------------------------------------------------------------------------
# input values
# ---------------------------------------------------------------------------
def randn(shape, dtype=torch.float32):
    return torch.randn(shape, generator=GEN, dtype=dtype)


def rand(shape, dtype=torch.float32):
    return torch.rand(shape, generator=GEN, dtype=dtype)


def randint(lo, hi, shape):
    return torch.randint(lo, hi, shape, generator=GEN)


def sprinkle(x, p, value):
    mask = rand(x.shape) < p
    x = x.clone()
    x[mask] = value
    return x


def make_input(shape, flavor):
    """Returns (tensor, flavor tag)."""
    if flavor == "randn":
        return randn(shape)
    if flavor == "float64":
        return randn(shape, torch.float64)
    if flavor == "int":  # small integers: many ties
        return randint(-3, 4, shape).float()
    if flavor == "int_small":  # 0..2: ties everywhere, zero windows
        return randint(0, 3, shape).float()
    if flavor == "int64":
        return randint(-9, 10, shape)
    if flavor == "nan":  # several NaN per window
        return sprinkle(randn(shape), 0.3, float("nan"))
    if flavor == "inf":
        return sprinkle(sprinkle(randn(shape), 0.15, float("inf")), 0.15, float("-inf"))
    if flavor == "neginf":  # many windows made only of -inf
        return sprinkle(randint(-2, 3, shape).float(), 0.7, float("-inf"))
    if flavor == "mixed":  # ties + NaN + both infinities
        x = randint(-2, 3, shape).float()
        x = sprinkle(x, 0.12, float("nan"))
        x = sprinkle(x, 0.1, float("inf"))
        return sprinkle(x, 0.1, float("-inf"))
    if flavor == "signed_zero":  # +0 / -0 ties: the first maximum must win
        choices = torch.tensor([0.0, -0.0, -0.0, 0.0, 1.0, -1.0])
        return choices[randint(0, 6, shape)]
    if flavor == "pos":
        return rand(shape) + 0.05
    if flavor == "float64_nan":
        return sprinkle(randn(shape, torch.float64), 0.25, float("nan"))
    if flavor == "large":
        return randn(shape) * 1000.0
    raise ValueError(flavor)


def rand_shape(rng, h, w, allow3=True):
    if allow3 and rng.random() < 0.3:
        return (rng.randint(1, 3), h, w)
    return (rng.randint(1, 3), rng.randint(1, 3), h, w)


def int_or_pair(rng, a, b, p_int=0.6):
    if a == b and rng.random() < p_int:
        return a
    return [a, b]


# ---------------------------------------------------------------------------
# geometry helpers (mirror of Pool.h, used to pick valid shapes)
# ---------------------------------------------------------------------------
def out_size(n, k, p, s, d, ceil):
    eff = (k - 1) * d + 1
    num = n + 2 * p - eff + ((s - 1) if ceil else 0)
    o = num // s + 1  # div_rtn == floor division
    if ceil and (o - 1) * s >= n + p:
        o -= 1
    return o


def out_size_raw(n, k, p, s, d, ceil):
    eff = (k - 1) * d + 1
    return (n + 2 * p - eff + ((s - 1) if ceil else 0)) // s + 1


def has_real_tap(n, k, p, s, d, o):
    """Every window of every output position has at least one tap inside the input."""
    for i in range(o):
        start = i * s - p
        if not any(0 <= start + j * d < n for j in range(k)):
            return False
    return True


def pick_pool_geometry(rng, dilation=True, pad_mode="k2", ceil=None, kmax=4):
    """Random kernel/stride/padding/dilation/ceil and an input size that gives output >= 1.

    pad_mode: "k2" pad <= k//2 (what PyTorch accepts, dilated or not); "zero" no padding.
    Padding past k//2 is swept by pad_dilation_grid()."""
    while True:
        k = [rng.randint(1, kmax), rng.randint(1, kmax)]
        if rng.random() < 0.1:
            k[rng.randint(0, 1)] = 5
        if rng.random() < 0.3:
            k[1] = k[0]
        d = [1, 1]
        if dilation and rng.random() < 0.35:
            d = [rng.randint(1, 3), rng.randint(1, 3)]
        p = [0, 0]
        for i in range(2):
            eff = (k[i] - 1) * d[i] + 1
            if pad_mode == "k2":
                p[i] = rng.randint(0, k[i] // 2)
        r = rng.random()
        if r < 0.3:
            s = None
        else:
            s = [rng.randint(1, 3), rng.randint(1, 3)]
            if rng.random() < 0.4:
                s[1] = s[0]
        sv = s if s is not None else k
        c = rng.random() < 0.5 if ceil is None else ceil
        hw = []
        for i in range(2):
            eff = (k[i] - 1) * d[i] + 1
            lo = max(1, eff - 2 * p[i])
            hw.append(rng.randint(lo, lo + 6))
        outs = [out_size(hw[i], k[i], p[i], sv[i], d[i], c) for i in range(2)]
        if min(outs) < 1:
            continue
        if not all(has_real_tap(hw[i], k[i], p[i], sv[i], d[i], outs[i]) for i in range(2)):
            continue
        return dict(k=k, s=s, p=p, d=d, ceil=c, hw=hw)


def geometry_args(rng, g, with_dilation=True):
    a = {"kernelSize": int_or_pair(rng, *g["k"])}
    if g["s"] is None:
        if rng.random() < 0.3:
            a["stride"] = None
    else:
        a["stride"] = int_or_pair(rng, *g["s"])
    if g["p"] != [0, 0] or rng.random() < 0.3:
        a["padding"] = int_or_pair(rng, *g["p"])
    if with_dilation and (g["d"] != [1, 1] or rng.random() < 0.2):
        a["dilation"] = int_or_pair(rng, *g["d"])
    if g["ceil"] or rng.random() < 0.3:
        a["ceilMode"] = g["ceil"]
    return a


def ceil_tags(g):
    tags = []
    if g["ceil"]:
        sv = g["s"] if g["s"] is not None else g["k"]
        for i in range(2):
            raw = out_size_raw(g["hw"][i], g["k"][i], g["p"][i], sv[i], g["d"][i], True)
            fl = out_size_raw(g["hw"][i], g["k"][i], g["p"][i], sv[i], g["d"][i], False)
            if raw > out_size(g["hw"][i], g["k"][i], g["p"][i], sv[i], g["d"][i], True):
                tags.append("ceil-last-window-dropped")
            elif raw > fl:
                tags.append("ceil-extra-window")
    return sorted(set(tags))


# ---------------------------------------------------------------------------
# calling PyTorch with TS-style arguments
# ---------------------------------------------------------------------------
def call_max(x, a, return_indices=True):
    return F.max_pool2d(x, py(a["kernelSize"]), stride=py(a.get("stride")), padding=py(a.get("padding", 0)),
                        dilation=py(a.get("dilation", 1)), ceil_mode=a.get("ceilMode", False),
                        return_indices=return_indices)


def call_avg(x, a):
    return F.avg_pool2d(x, py(a["kernelSize"]), stride=py(a.get("stride")), padding=py(a.get("padding", 0)),
                        ceil_mode=a.get("ceilMode", False), count_include_pad=a.get("countIncludePad", True),
                        divisor_override=a.get("divisorOverride"))


def call_lp(x, a):
    return F.lp_pool2d(x, a["normType"], py(a["kernelSize"]), stride=py(a.get("stride")),
                       ceil_mode=a.get("ceilMode", False))


def call_aavg(x, a):
    return F.adaptive_avg_pool2d(x, py(a["outputSize"]))


def call_amax(x, a, return_indices=True):
    return F.adaptive_max_pool2d(x, py(a["outputSize"]), return_indices=return_indices)


def call_unpool(x, idx, a):
    os_ = a.get("outputSize")
    return F.max_unpool2d(x, idx, py(a["kernelSize"]), stride=py(a.get("stride")), padding=py(a.get("padding", 0)),
                          output_size=list(os_) if os_ is not None else None)


def same(a, b):
    if a.shape != b.shape or a.dtype != b.dtype:
        return False
    if a.dtype.is_floating_point:
        an, bn = torch.isnan(a), torch.isnan(b)
        if not torch.equal(an, bn):
            return False
        a, b = a[~an], b[~bn]
        return torch.equal(a, b) and torch.equal(torch.signbit(a), torch.signbit(b))
    return torch.equal(a, b)


def grad_of(fn, x, g):
    x = x.detach().clone().requires_grad_(True)
    y = fn(x)
    y.backward(g)
    return x.grad


# ---------------------------------------------------------------------------
# max_pool2d
# ---------------------------------------------------------------------------
MAX_FLAVORS = ["randn", "randn", "int", "int_small", "nan", "inf", "neginf", "mixed", "signed_zero",
               "float64", "float64_nan"]


def max_cases():
    rng = random.Random(SEED + 1)
    fwd, bwd = [], []

    def add(a, x, tags, grad=False):
        y, i = call_max(x, a)
        fwd.append({"name": "max/%03d" % len(fwd), "args": a, "input": enc(x), "output": enc(y), "indices": enc(i),
                    "tags": tags, "source": SOURCE})
        if grad and x.dtype.is_floating_point:
            gy = randn(y.shape, x.dtype)
            gx = grad_of(lambda t: call_max(t, a, return_indices=False), x, gy)
            bwd.append({"name": "max-grad/%03d" % len(bwd), "args": a, "input": enc(x), "gradOutput": enc(gy),
                        "gradInput": enc(gx), "tags": tags, "source": SOURCE})

    # random sweep
    for n in range(380):
        g = pick_pool_geometry(rng)
        a = geometry_args(rng, g)
        if rng.random() < 0.75:
            a["returnIndices"] = True
        flavor = MAX_FLAVORS[n % len(MAX_FLAVORS)]
        x = make_input(rand_shape(rng, *g["hw"]), flavor)
        add(a, x, [flavor] + ceil_tags(g), grad=(n % 4 == 0))
    # ceil mode: the last window would start in the right padding and is dropped
    found = 0
    while found < 30:
        g = pick_pool_geometry(rng, ceil=True)
        if "ceil-last-window-dropped" not in ceil_tags(g):
            continue
        a = geometry_args(rng, g)
        a["ceilMode"] = True
        flavor = rng.choice(["randn", "int", "nan", "neginf"])
        add(a, make_input(rand_shape(rng, *g["hw"]), flavor), [flavor] + ceil_tags(g), grad=(found % 3 == 0))
        found += 1
    # int64 input (pooled since PyTorch 2.1)
    for n in range(25):
        g = pick_pool_geometry(rng)
        a = geometry_args(rng, g)
        a["returnIndices"] = True
        add(a, make_input(rand_shape(rng, *g["hw"]), "int64"), ["int64"] + ceil_tags(g))
    # hand-picked: windows whose dilated taps all miss the input (PyTorch returns -inf and the
    # index of the first tap after skipping the left padding, which lies outside the plane)
    quirk = [({"kernelSize": 2, "stride": 1, "padding": 1, "dilation": 3, "returnIndices": True}, (1, 1, 2, 2)),
             ({"kernelSize": [2, 1], "stride": 1, "padding": [1, 0], "dilation": [3, 1], "returnIndices": True},
              (1, 1, 2, 3)),
             ({"kernelSize": [1, 2], "stride": 1, "padding": [0, 1], "dilation": [1, 3], "returnIndices": True},
              (2, 3, 2))]
    for a, shape in quirk:
        x = torch.arange(math.prod(shape), dtype=torch.float32).reshape(shape)
        add(a, x, ["no-tap-inside-input"])
    # d2l chapter examples and plain defaults
    X = torch.arange(16, dtype=torch.float32).reshape(1, 1, 4, 4)
    for a in [{"kernelSize": 3}, {"kernelSize": 3, "padding": 1, "stride": 2},
              {"kernelSize": [2, 3], "stride": [2, 3], "padding": [0, 1]}, {"kernelSize": 2, "stride": 1}]:
        add(dict(a), X, ["d2l"])
    X2 = torch.cat((X, X + 1), 1)
    add({"kernelSize": 3, "padding": 1, "stride": 2}, X2, ["d2l"])
    # ceil mode lets a window be larger than the input
    for a, shape in [({"kernelSize": 3, "stride": 2, "ceilMode": True, "returnIndices": True}, (1, 2, 2, 2)),
                     ({"kernelSize": [3, 4], "stride": [2, 3], "ceilMode": True, "returnIndices": True}, (2, 2, 3)),
                     ({"kernelSize": 4, "stride": 3, "padding": 1, "ceilMode": True, "returnIndices": True},
                      (1, 1, 2, 3))]:
        add(a, make_input(shape, "randn"), ["window-larger-than-input"])
    # empty batch (N = 0 is allowed)
    for shape in [(0, 2, 5, 5), (0, 1, 3, 4)]:
        add({"kernelSize": 2, "returnIndices": True}, torch.zeros(shape), ["empty-batch"])
    # gradients: ties and NaN (first maximum / last NaN receives the gradient), overlapping windows
    for n in range(40):
        g = pick_pool_geometry(rng)
        if g["s"] is None:
            g["s"] = [1, 1]
        a = geometry_args(rng, g)
        flavor = ["int_small", "int", "nan", "mixed", "signed_zero"][n % 5]
        x = make_input(rand_shape(rng, *g["hw"]), flavor)
        y, _ = call_max(x, a)
        gy = randn(y.shape, x.dtype)
        gx = grad_of(lambda t: call_max(t, a, return_indices=False), x, gy)
        bwd.append({"name": "max-grad/%03d" % len(bwd), "args": a, "input": enc(x), "gradOutput": enc(gy),
                    "gradInput": enc(gx), "tags": [flavor, "grad-ties"], "source": SOURCE})
    return fwd, bwd


# ---------------------------------------------------------------------------
# avg_pool2d
# ---------------------------------------------------------------------------
AVG_FLAVORS = ["randn", "randn", "int", "nan", "inf", "float64", "large", "signed_zero", "pos"]


def avg_args(rng, g):
    a = geometry_args(rng, g, with_dilation=False)
    r = rng.random()
    if r < 0.45:
        a["countIncludePad"] = False
    elif r < 0.6:
        a["countIncludePad"] = True
    if rng.random() < 0.18:
        a["divisorOverride"] = rng.choice([1, 2, 3, 5, 7, 10, -1, -3])
    return a


def avg_cases():
    rng = random.Random(SEED + 2)
    fwd, bwd = [], []

    def add(a, x, tags, grad=False):
        y = call_avg(x, a)
        fwd.append({"name": "avg/%03d" % len(fwd), "args": a, "input": enc(x), "output": enc(y), "tags": tags,
                    "source": SOURCE})
        if grad:
            gy = randn(y.shape, x.dtype)
            gx = grad_of(lambda t: call_avg(t, a), x, gy)
            bwd.append({"name": "avg-grad/%03d" % len(bwd), "args": a, "input": enc(x), "gradOutput": enc(gy),
                        "gradInput": enc(gx), "tags": tags, "source": SOURCE})

    for n in range(300):
        g = pick_pool_geometry(rng, dilation=False, kmax=5)
        a = avg_args(rng, g)
        flavor = AVG_FLAVORS[n % len(AVG_FLAVORS)]
        x = make_input(rand_shape(rng, *g["hw"]), flavor)
        tags = [flavor] + ceil_tags(g) + (["divisorOverride"] if "divisorOverride" in a else [])
        add(a, x, tags, grad=(n % 4 == 0 and flavor in ("randn", "int", "float64", "pos", "large")))
    found = 0
    while found < 25:
        g = pick_pool_geometry(rng, dilation=False, ceil=True, kmax=5)
        if "ceil-last-window-dropped" not in ceil_tags(g) and "ceil-extra-window" not in ceil_tags(g):
            continue
        a = avg_args(rng, g)
        a["ceilMode"] = True
        add(a, make_input(rand_shape(rng, *g["hw"]), "randn"), ["randn"] + ceil_tags(g), grad=(found % 2 == 0))
        found += 1
    # int64 input: integer sum, C++ integer division (truncates toward zero)
    for n in range(30):
        g = pick_pool_geometry(rng, dilation=False)
        a = avg_args(rng, g)
        add(a, make_input(rand_shape(rng, *g["hw"]), "int64"), ["int64"] + ceil_tags(g))
    for a, shape in [({"kernelSize": 3, "stride": 2, "ceilMode": True}, (1, 2, 2, 2)),
                     ({"kernelSize": 3, "stride": 2, "ceilMode": True, "countIncludePad": False}, (2, 2, 2)),
                     ({"kernelSize": [3, 4], "stride": [2, 3], "padding": 1, "ceilMode": True}, (1, 1, 2, 3))]:
        add(a, make_input(shape, "randn"), ["window-larger-than-input"], grad=True)
    X = torch.arange(16, dtype=torch.float32).reshape(1, 1, 4, 4)
    for a in [{"kernelSize": 3}, {"kernelSize": 2, "stride": 1}, {"kernelSize": 3, "padding": 1, "stride": 2},
              {"kernelSize": 3, "padding": 1, "stride": 2, "countIncludePad": False}]:
        add(a, X, ["d2l"], grad=True)
    return fwd, bwd


# ---------------------------------------------------------------------------
# lp_pool2d
# ---------------------------------------------------------------------------
LP_NORMS = [1, 2, 3, 1.5]
LP_FLAVORS = ["pos", "pos", "randn", "int_small", "int", "nan", "inf", "float64"]


def lp_cases():
    rng = random.Random(SEED + 3)
    fwd, bwd = [], []

    def add(a, x, tags, grad=False):
        y = call_lp(x, a)
        fwd.append({"name": "lp/%03d" % len(fwd), "args": a, "input": enc(x), "output": enc(y), "tags": tags,
                    "source": SOURCE})
        if grad:
            gy = randn(y.shape, x.dtype)
            gx = grad_of(lambda t: call_lp(t, a), x, gy)
            bwd.append({"name": "lp-grad/%03d" % len(bwd), "args": a, "input": enc(x), "gradOutput": enc(gy),
                        "gradInput": enc(gx), "tags": tags, "source": SOURCE})

    for n in range(240):
        g = pick_pool_geometry(rng, dilation=False, pad_mode="zero")
        a = {"normType": LP_NORMS[n % 4]}
        a.update(geometry_args(rng, g, with_dilation=False))
        a.pop("padding", None)
        flavor = LP_FLAVORS[(n // 4) % len(LP_FLAVORS)]
        x = make_input(rand_shape(rng, *g["hw"]), flavor)
        tags = [flavor, "p=%s" % a["normType"]] + ceil_tags(g)
        add(a, x, tags, grad=(n % 3 == 0 and flavor != "inf"))
    X = torch.arange(16, dtype=torch.float32).reshape(1, 1, 4, 4)
    for p in LP_NORMS:
        add({"normType": p, "kernelSize": 2}, X, ["d2l", "p=%s" % p], grad=True)
    return fwd, bwd


# ---------------------------------------------------------------------------
# adaptive pools
# ---------------------------------------------------------------------------
def adaptive_output_size(rng, H, W, three_d):
    r = rng.random()
    if r < 0.12:
        return 1 if rng.random() < 0.5 else [1, 1]
    if r < 0.25:
        return rng.randint(1, max(H, W) + 3)
    oh = rng.choice([1, 2, 3, H, max(1, H // 2), H + rng.randint(1, 4), rng.randint(1, 7)])
    ow = rng.choice([1, 2, 3, W, max(1, W // 3), W + rng.randint(1, 4), rng.randint(1, 7)])
    os_ = [oh, ow]
    if rng.random() < 0.15:
        os_[rng.randint(0, 1)] = None
    return os_


def adaptive_tags(H, W, os_):
    oh, ow = (os_, os_) if isinstance(os_, int) else os_
    oh = H if oh is None else oh
    ow = W if ow is None else ow
    tags = []
    if (isinstance(os_, list) and None in os_):
        tags.append("none-entry")
    if oh > H or ow > W:
        tags.append("larger-than-input")
    if H % oh or W % ow:
        tags.append("non-dividing")
    if oh == 1 and ow == 1:
        tags.append("global(1,1)")
    return tags


def adaptive_cases():
    rng = random.Random(SEED + 4)
    fwd, bwd = [], []
    avg_flavors = ["randn", "randn", "int", "nan", "inf", "float64", "large", "pos"]
    max_flavors = ["randn", "int", "int_small", "nan", "neginf", "mixed", "signed_zero", "float64"]
    for op, flavors, count in [("adaptive_avg_pool2d", avg_flavors, 200), ("adaptive_max_pool2d", max_flavors, 200)]:
        for n in range(count):
            H, W = rng.randint(1, 10), rng.randint(1, 10)
            shape = rand_shape(rng, H, W)
            os_ = adaptive_output_size(rng, H, W, len(shape) == 3)
            a = {"outputSize": os_}
            flavor = flavors[n % len(flavors)]
            x = make_input(shape, flavor)
            tags = [flavor] + adaptive_tags(H, W, os_)
            prefix = "aavg" if op == "adaptive_avg_pool2d" else "amax"
            case = {"name": "%s/%03d" % (prefix, n), "op": op, "args": a, "input": enc(x), "tags": tags,
                    "source": SOURCE}
            if op == "adaptive_avg_pool2d":
                y = call_aavg(x, a)
                fn = lambda t: call_aavg(t, a)
            else:
                y, i = call_amax(x, a)
                case["indices"] = enc(i)
                if rng.random() < 0.7:
                    a["returnIndices"] = True
                fn = lambda t: call_amax(t, a, return_indices=False)
            case["output"] = enc(y)
            fwd.append(case)
            if n % 3 == 0 and flavor not in ("inf", "neginf", "mixed"):
                gy = randn(y.shape, x.dtype)
                gx = grad_of(fn, x, gy)
                bwd.append({"name": "%s-grad/%03d" % (prefix, len(bwd)), "op": op, "args": a, "input": enc(x),
                            "gradOutput": enc(gy), "gradInput": enc(gx), "tags": tags, "source": SOURCE})
    # d2l-style and zero-size outputs
    X = torch.arange(16, dtype=torch.float32).reshape(1, 1, 4, 4)
    for op in ["adaptive_avg_pool2d", "adaptive_max_pool2d"]:
        for os_ in [[2, 2], 1, [None, 3], [3, None], [0, 2], 0]:
            a = {"outputSize": os_}
            case = {"name": "%s/fixed-%s" % ("aavg" if "avg" in op else "amax", json.dumps(os_)), "op": op,
                    "args": a, "input": enc(X), "tags": ["fixed"] + (["empty-output"] if 0 in (
                        os_ if isinstance(os_, list) else [os_]) else []), "source": SOURCE}
            if "avg" in op:
                case["output"] = enc(call_aavg(X, a))
            else:
                y, i = call_amax(X, a)
                a["returnIndices"] = True
                case["output"], case["indices"] = enc(y), enc(i)
            fwd.append(case)
    return fwd, bwd


# ---------------------------------------------------------------------------
# max_unpool2d
# ---------------------------------------------------------------------------
def unpool_cases():
    rng = random.Random(SEED + 5)
    fwd, bwd = [], []

    def add(a, x, idx, tags, grad=False):
        y = call_unpool(x, idx, a)
        fwd.append({"name": "unpool/%03d" % len(fwd), "args": a, "input": enc(x), "indices": enc(idx),
                    "output": enc(y), "tags": tags, "source": SOURCE})
        if grad:
            gy = randn(y.shape, x.dtype)
            gx = grad_of(lambda t: call_unpool(t, idx, a), x, gy)
            bwd.append({"name": "unpool-grad/%03d" % len(bwd), "args": a, "input": enc(x), "indices": enc(idx),
                        "gradOutput": enc(gy), "gradInput": enc(gx), "tags": tags, "source": SOURCE})

    # from real max_pool2d indices (same kernel/stride/padding)
    for n in range(100):
        g = pick_pool_geometry(rng, dilation=False, ceil=False)
        pa = geometry_args(rng, g, with_dilation=False)
        flavor = ["randn", "int", "nan", "float64", "signed_zero"][n % 5]
        src = make_input(rand_shape(rng, *g["hw"]), flavor)
        y, idx = call_max(src, pa)
        a = {"kernelSize": pa["kernelSize"]}
        for key in ("stride", "padding"):
            if key in pa:
                a[key] = pa[key]
        tags = [flavor, "from-max-pool"]
        # default size, or the original size (explicit, [H, W] or the full shape)
        k = _pair_of(a["kernelSize"], None)
        s = _pair_of(a.get("stride"), None) if a.get("stride") is not None else k
        p = _pair_of(a.get("padding"), 0)
        default = [(y.shape[-2 + i] - 1) * s[i] + k[i] - 2 * p[i] for i in range(2)]
        H, W = src.shape[-2], src.shape[-1]
        valid_orig = all(default[i] - s[i] < (H, W)[i] < default[i] + s[i] for i in range(2))
        r = rng.random()
        if valid_orig and r < 0.35:
            a["outputSize"] = [H, W]
            tags.append("outputSize")
        elif valid_orig and r < 0.5:
            a["outputSize"] = list(src.shape)[-2:] if src.dim() == 3 else list(src.shape)
            tags.append("outputSize-full" if src.dim() == 4 else "outputSize")
        if min(default) < 1 and "outputSize" not in a:
            continue
        if "outputSize" not in a and not valid_orig and max(idx.reshape(-1).tolist() + [0]) >= default[0] * default[1]:
            continue  # indices of the bigger original plane do not fit the default canvas
        try:
            add(a, y, idx, tags, grad=(n % 3 == 0))
        except RuntimeError:
            continue  # an index beyond the default canvas: covered by the error cases
    # hand-made indices with duplicates: the last write in row-major order wins
    for n in range(40):
        N, C = rng.randint(1, 2), rng.randint(1, 3)
        h, w = rng.randint(1, 4), rng.randint(1, 4)
        k = [rng.randint(1, 3), rng.randint(1, 3)]
        a = {"kernelSize": int_or_pair(rng, *k)}
        OH, OW = (h - 1) * k[0] + k[0], (w - 1) * k[1] + k[1]
        if rng.random() < 0.4:
            OH += rng.randint(0, k[0] - 1)
            OW += rng.randint(0, k[1] - 1)
            a["outputSize"] = [OH, OW]
        shape = (C, h, w) if rng.random() < 0.3 else (N, C, h, w)
        idx = randint(0, max(1, min(OH * OW, 4)) if n % 2 == 0 else OH * OW, shape)  # n even: heavy duplicates
        x = make_input(shape, ["randn", "int", "nan"][n % 3])
        add(a, x, idx, ["hand-made-indices", "duplicates"], grad=(n % 3 == 0))
    return fwd, bwd


# ---------------------------------------------------------------------------
# invalid arguments
# ---------------------------------------------------------------------------
def error_cases():
    cases = []
    z = lambda *shape, dtype=torch.float32: torch.zeros(shape, dtype=dtype) if dtype != torch.bool else torch.ones(
        shape, dtype=dtype)
    r = lambda *shape: randn(shape)

    def add(op, a, x, indices=None, note=None):
        call = {
            "max_pool2d": lambda: call_max(x, a, return_indices=a.get("returnIndices", False)),
            "avg_pool2d": lambda: call_avg(x, a),
            "lp_pool2d": lambda: call_lp(x, a),
            "adaptive_avg_pool2d": lambda: call_aavg(x, a),
            "adaptive_max_pool2d": lambda: call_amax(x, a, return_indices=a.get("returnIndices", False)),
            "max_unpool2d": lambda: call_unpool(x, indices, a),
        }[op]
        try:
            call()
        except (RuntimeError, ValueError, IndexError) as e:
            msg = str(e)
            case = {"name": "%s/%03d" % (op, len(cases)), "op": op, "args": a, "input": enc(x),
                    "errorType": type(e).__name__, "message": msg}
            if indices is not None:
                case["indices"] = enc(indices)
            if note:
                case["note"] = note
            cases.append(case)
            return
        raise AssertionError("PyTorch accepted %s %r" % (op, a))

    X = r(1, 1, 5, 5)
    X3 = r(2, 5, 6)
    for op in ["max_pool2d", "avg_pool2d"]:
        # kernel / stride / padding / dilation values
        add(op, {"kernelSize": 0}, X)  # stride defaults to the kernel: "stride should not be zero" comes first
        add(op, {"kernelSize": [0, 2], "stride": 1}, X)
        add(op, {"kernelSize": [2, 0], "stride": 1}, X3)
        add(op, {"kernelSize": -1, "stride": 1}, X)
        add(op, {"kernelSize": [2, -1], "stride": [1, 1]}, X)
        add(op, {"kernelSize": 2, "stride": 0}, X)
        add(op, {"kernelSize": 2, "stride": [1, 0]}, X3)
        add(op, {"kernelSize": 2, "stride": -1}, X)
        add(op, {"kernelSize": 2, "stride": [2, -2]}, X)
        add(op, {"kernelSize": 3, "padding": 2}, X)
        add(op, {"kernelSize": [3, 5], "stride": 1, "padding": [1, 3]}, X3)
        add(op, {"kernelSize": [5, 3], "stride": 1, "padding": [3, 1]}, r(1, 2, 9, 9))
        add(op, {"kernelSize": 1, "padding": 1}, X)
        add(op, {"kernelSize": 3, "padding": -1}, X)
        add(op, {"kernelSize": 3, "padding": [0, -2]}, X)
        # output too small
        add(op, {"kernelSize": 6}, X)
        add(op, {"kernelSize": [2, 4]}, r(1, 2, 5, 3))
        add(op, {"kernelSize": [6, 2]}, X3)
        add(op, {"kernelSize": 3, "stride": 1, "ceilMode": True}, r(1, 1, 2, 2))
        # rank and empty dimensions
        add(op, {"kernelSize": 2}, r(5, 5))
        add(op, {"kernelSize": 2}, r(1, 1, 1, 5, 5))
        add(op, {"kernelSize": 2}, z(1, 0, 5, 5))
        add(op, {"kernelSize": 2}, z(1, 2, 0, 5))
        add(op, {"kernelSize": 2}, z(0, 5, 5))
        add(op, {"kernelSize": 2}, z(2, 5, 0))
        # dtype
        add(op, {"kernelSize": 2}, z(1, 1, 4, 4, dtype=torch.bool))
        # more than two values
        add(op, {"kernelSize": [2, 2, 2]}, X)
        add(op, {"kernelSize": 2, "stride": [2, 2, 2]}, X)
        add(op, {"kernelSize": 2, "padding": [0, 0, 0]}, X)
    # max only: dilation, padding with dilation (pad_dilation_grid() sweeps more), return_indices path
    add("max_pool2d", {"kernelSize": 2, "dilation": 0}, X)
    add("max_pool2d", {"kernelSize": 2, "dilation": [1, 0]}, X)
    add("max_pool2d", {"kernelSize": 2, "dilation": -1, "returnIndices": True}, X)
    add("max_pool2d", {"kernelSize": 3, "padding": 3, "dilation": 2}, r(1, 1, 9, 9))
    add("max_pool2d", {"kernelSize": [3, 2], "padding": [1, 2], "dilation": [2, 2]}, r(1, 1, 9, 9))
    add("max_pool2d", {"kernelSize": 2, "dilation": 3}, r(1, 1, 3, 3))
    add("max_pool2d", {"kernelSize": 3, "padding": 2, "returnIndices": True}, X)
    add("max_pool2d", {"kernelSize": 2, "returnIndices": True}, r(5, 5))
    add("max_pool2d", {"kernelSize": 2, "returnIndices": True}, z(1, 1, 4, 4, dtype=torch.bool))
    add("max_pool2d", {"kernelSize": 2, "dilation": [1, 1, 1]}, X)
    # avg only
    add("avg_pool2d", {"kernelSize": 2, "divisorOverride": 0}, X)
    add("avg_pool2d", {"kernelSize": 3, "padding": 1, "divisorOverride": 0}, X3)
    # lp_pool2d (goes through avg_pool2d with padding 0)
    add("lp_pool2d", {"normType": 2, "kernelSize": 0}, X)
    add("lp_pool2d", {"normType": 2, "kernelSize": 2, "stride": 0}, X)
    add("lp_pool2d", {"normType": 1.5, "kernelSize": 2, "stride": -1}, X)
    add("lp_pool2d", {"normType": 2, "kernelSize": -2, "stride": 1}, X)
    add("lp_pool2d", {"normType": 3, "kernelSize": 6}, X)
    add("lp_pool2d", {"normType": 2, "kernelSize": [2, 7]}, X3)
    add("lp_pool2d", {"normType": 2, "kernelSize": 2}, r(4, 4))
    add("lp_pool2d", {"normType": 1, "kernelSize": 2}, r(1, 2, 2, 4, 4))
    add("lp_pool2d", {"normType": 2, "kernelSize": 2}, z(1, 0, 4, 4))
    # adaptive
    for op in ["adaptive_avg_pool2d", "adaptive_max_pool2d"]:
        add(op, {"outputSize": 2}, r(5, 5))
        add(op, {"outputSize": 2}, r(1, 1, 1, 5, 5))
        add(op, {"outputSize": [None, 2]}, r(4, 4))
        add(op, {"outputSize": [2, 2, 2]}, X)
        add(op, {"outputSize": [2]}, X)
        add(op, {"outputSize": 2}, z(1, 2, 0, 5))
        add(op, {"outputSize": 2}, z(2, 5, 0))
        add(op, {"outputSize": -1}, X)
        add(op, {"outputSize": [2, -3]}, X)
        add(op, {"outputSize": [-2, -3]}, X3)
        add(op, {"outputSize": 2}, z(1, 1, 4, 4, dtype=torch.bool))
    add("adaptive_max_pool2d", {"outputSize": 2}, z(1, 0, 5, 5))
    add("adaptive_max_pool2d", {"outputSize": 2, "returnIndices": True}, z(1, 1, 4, 4, dtype=torch.int64))
    add("adaptive_avg_pool2d", {"outputSize": 2}, z(1, 1, 4, 4, dtype=torch.int64))
    add("adaptive_avg_pool2d", {"outputSize": 1}, z(1, 1, 4, 4, dtype=torch.int64),
        note="output size (1, 1) takes the mean() path, whose dtype check speaks instead")
    add("adaptive_avg_pool2d", {"outputSize": [1, 1]}, z(1, 1, 4, 4, dtype=torch.bool))
    # max_unpool2d
    src = torch.arange(25, dtype=torch.float32).reshape(1, 1, 5, 5)
    y, i = F.max_pool2d(src, 2, return_indices=True)  # indices into the 5x5 plane
    y2, i2 = F.max_pool2d(r(2, 3, 4, 4), 2, return_indices=True)
    u = dict(kernelSize=2)
    bad = i2.clone()
    bad[1, 2, 1, 1] = 16
    add("max_unpool2d", u, y2, bad)  # one index past the 4x4 canvas
    bad = i2.clone()
    bad[0, 0, 0, 1] = -1
    add("max_unpool2d", u, y2, bad)
    add("max_unpool2d", u, y, i.clone().fill_(17))  # every index into the 5x5 plane is 17; canvas is 4x4
    bad = i2[0].clone()
    bad[2, 1, 0] = 100
    add("max_unpool2d", u, y2[0], bad)  # 3-D input; a single bad value (PyTorch reports one of them)
    add("max_unpool2d", u, y2, i2[:, :, :1])
    add("max_unpool2d", u, y2, i2[0])
    add("max_unpool2d", u, y2, i2.double())
    add("max_unpool2d", u, y2, i2.float())
    add("max_unpool2d", u, y2, i2.bool())
    add("max_unpool2d", u, y2[0, 0], i2[0, 0])
    add("max_unpool2d", u, y2.unsqueeze(0), i2.unsqueeze(0))
    add("max_unpool2d", u, y2.long(), i2)
    add("max_unpool2d", u, y2.bool(), i2)
    add("max_unpool2d", u, z(1, 0, 2, 2), torch.zeros(1, 0, 2, 2, dtype=torch.int64))
    add("max_unpool2d", dict(kernelSize=2, outputSize=[7, 7]), y2, i2)
    add("max_unpool2d", dict(kernelSize=2, outputSize=[2, 4]), y2, i2)
    add("max_unpool2d", dict(kernelSize=2, outputSize=[4, 6]), y2, i2)
    add("max_unpool2d", dict(kernelSize=2, outputSize=[2, 3, 6, 4]), y2, i2)
    add("max_unpool2d", dict(kernelSize=2, outputSize=[4]), y2, i2)
    add("max_unpool2d", dict(kernelSize=2, outputSize=[1, 4, 4]), y2, i2)
    add("max_unpool2d", dict(kernelSize=3, stride=2, padding=1, outputSize=[9, 9]), y2, i2)
    return cases


# ---------------------------------------------------------------------------
# padding x dilation, swept
# ---------------------------------------------------------------------------
PAD_GRID_NOTE = ("pad_dilation_grid(): kernel 1..4 x dilation 1..3 x padding 0..(half the dilated kernel) + 1, "
                 "square and 60 random rectangular ones, stride 1, on one 1x2x7x8 input; max_pool2d with and "
                 "without return_indices, avg_pool2d where dilation is 1. Each case is what PyTorch returned "
                 "(here, tagged pad-dilation-grid) or raised (pool-errors.json).")


def pad_dilation_grid():
    """Padding against kernel and dilation, every combination in a range, as PyTorch answers it.

    PyTorch 2.13 checks pad <= ((k - 1) * d + 1) // 2 per dimension first (half the dilated
    kernel: Pool.h pooling_output_shape, "at most half of effective kernel size"), then
    pad <= k // 2 (half the kernel itself: pool2d_shape_check, "smaller than or equal to half of
    kernel size"), so a padding between the two limits is refused by the second check."""
    rng = random.Random(SEED + 7)
    x = randn((1, 2, 7, 8))
    configs = []
    for k in range(1, 5):
        for d in range(1, 4):
            for p in range(0, ((k - 1) * d + 1) // 2 + 2):
                configs.append(([k, k], [d, d], [p, p]))
    for _ in range(60):
        k = [rng.randint(1, 4), rng.randint(1, 4)]
        d = [rng.randint(1, 3), rng.randint(1, 3)]
        configs.append((k, d, [rng.randint(0, ((k[i] - 1) * d[i] + 1) // 2 + 1) for i in range(2)]))
    forward = {"max_pool2d": [], "avg_pool2d": []}
    errors = []
    for k, d, p in configs:
        for op, return_indices in [("max_pool2d", False), ("max_pool2d", True), ("avg_pool2d", None)]:
            if op == "avg_pool2d" and d != [1, 1]:
                continue
            a = {"kernelSize": int_or_pair(rng, *k), "stride": 1, "padding": int_or_pair(rng, *p)}
            if op == "max_pool2d":
                a["dilation"] = int_or_pair(rng, *d)
                if return_indices:
                    a["returnIndices"] = True
            try:
                if op == "max_pool2d":
                    y = call_max(x, a, return_indices=bool(return_indices))
                    y, i = y if return_indices else (y, call_max(x, a)[1])
                else:
                    y, i = call_avg(x, a), None
            except RuntimeError as e:
                errors.append({"name": "%s/grid-%03d" % (op, len(errors)), "op": op, "args": a, "input": enc(x),
                               "errorType": type(e).__name__, "message": str(e), "tags": ["pad-dilation-grid"]})
                continue
            case = {"name": "%s/grid-%03d" % (op[:3], len(forward[op])), "args": a, "input": enc(x),
                    "output": enc(y), "tags": ["pad-dilation-grid"], "source": SOURCE}
            if i is not None:
                case["indices"] = enc(i)
            forward[op].append(case)
    return forward, errors


# ---------------------------------------------------------------------------
# unknown keyword arguments
# ---------------------------------------------------------------------------
def unknown_option_cases():
    """PyTorch's TypeError for a keyword argument it does not take, for every pooling function and
    module. The TypeScript options objects must refuse an unknown key with the same words: the
    name in the message is the function PyTorch dispatches to (F.max_pool2d is _max_pool2d, or
    max_pool2d_with_indices when return_indices=True; a module names the class whose __init__
    takes the arguments, e.g. _MaxPoolNd)."""
    x = randn((1, 1, 4, 4))
    pooled, idx = F.max_pool2d(x, 2, return_indices=True)
    calls = [
        ("F.max_pool2d", lambda kw: F.max_pool2d(x, 2, **kw)),
        ("F.max_pool2d returnIndices", lambda kw: F.max_pool2d(x, 2, return_indices=True, **kw)),
        ("F.max_pool2d_with_indices", lambda kw: F.max_pool2d_with_indices(x, 2, **kw)),
        ("F.avg_pool2d", lambda kw: F.avg_pool2d(x, 2, **kw)),
        ("F.lp_pool2d", lambda kw: F.lp_pool2d(x, 2, 2, **kw)),
        ("F.adaptive_avg_pool2d", lambda kw: F.adaptive_avg_pool2d(x, 2, **kw)),
        ("F.adaptive_max_pool2d", lambda kw: F.adaptive_max_pool2d(x, 2, **kw)),
        ("F.adaptive_max_pool2d returnIndices", lambda kw: F.adaptive_max_pool2d(x, 2, return_indices=True, **kw)),
        ("F.max_unpool2d", lambda kw: F.max_unpool2d(pooled, idx, 2, **kw)),
        ("nn.MaxPool2d", lambda kw: nn.MaxPool2d(2, **kw)),
        ("nn.AvgPool2d", lambda kw: nn.AvgPool2d(2, **kw)),
        ("nn.LPPool2d", lambda kw: nn.LPPool2d(2, 2, **kw)),
        ("nn.AdaptiveAvgPool2d", lambda kw: nn.AdaptiveAvgPool2d(2, **kw)),
        ("nn.AdaptiveMaxPool2d", lambda kw: nn.AdaptiveMaxPool2d(2, **kw)),
        ("nn.MaxUnpool2d", lambda kw: nn.MaxUnpool2d(2, **kw)),
    ]
    cases = []
    for call, fn in calls:
        for key in ["strid", "kernel"]:
            try:
                fn({key: 1})
            except TypeError as e:
                cases.append({"call": call, "key": key, "errorType": type(e).__name__, "message": str(e)})
                continue
            raise AssertionError("PyTorch accepted %s(%s=1)" % (call, key))
    return cases


# ---------------------------------------------------------------------------
# modules
# ---------------------------------------------------------------------------
def module_cases():
    T = lambda v: tuple(v) if isinstance(v, list) else v
    specs = [
        ("MaxPool2d", [3], {"padding": 1, "stride": 2}),
        ("MaxPool2d", [3], {}),
        ("MaxPool2d", [2], {"stride": 1}),
        ("MaxPool2d", [[2, 3]], {}),
        ("MaxPool2d", [[2, 3]], {"stride": [1, 2], "padding": [1, 0], "dilation": [1, 2], "ceilMode": True}),
        ("MaxPool2d", [2], {"returnIndices": True}),
        ("MaxPool2d", [2], {"stride": None, "dilation": 2}),
        ("AvgPool2d", [3], {}),
        ("AvgPool2d", [3], {"padding": 1, "stride": 2}),
        ("AvgPool2d", [[2, 3]], {}),
        ("AvgPool2d", [2], {"stride": [1, 2], "ceilMode": True, "countIncludePad": False, "divisorOverride": 3}),
        ("AvgPool2d", [[3, 1]], {"padding": [1, 0]}),
        ("LPPool2d", [2, 3], {}),
        ("LPPool2d", [2, 3], {"stride": 2}),
        ("LPPool2d", [1.5, [2, 3]], {"stride": [1, 2], "ceilMode": True}),
        ("LPPool2d", [1, 2], {}),
        ("LPPool2d", [3, [2, 2]], {"stride": None}),
        ("AdaptiveAvgPool2d", [1], {}),
        ("AdaptiveAvgPool2d", [[5, 7]], {}),
        ("AdaptiveAvgPool2d", [[None, 7]], {}),
        ("AdaptiveAvgPool2d", [[3, None]], {}),
        ("AdaptiveMaxPool2d", [5], {}),
        ("AdaptiveMaxPool2d", [[None, 2]], {"returnIndices": True}),
        ("AdaptiveMaxPool2d", [[2, 3]], {}),
        ("AdaptiveMaxPool2d", [1], {}),
        ("MaxPool2d", [[3, 3]], {"padding": [1, 0], "stride": [2, 1]}),
        ("MaxUnpool2d", [2], {}),
        ("MaxUnpool2d", [3], {"stride": 2, "padding": 1}),
        ("MaxUnpool2d", [[2, 3]], {"stride": 1, "padding": [0, 1]}),
        ("MaxUnpool2d", [[2, 2]], {"stride": [2, 1]}),
    ]
    kw_names = {"padding": "padding", "stride": "stride", "dilation": "dilation", "ceilMode": "ceil_mode",
                "returnIndices": "return_indices", "countIncludePad": "count_include_pad",
                "divisorOverride": "divisor_override"}
    out = []
    X = torch.arange(16, dtype=torch.float32).reshape(1, 1, 4, 4)
    Xr = randn((2, 2, 6, 7))
    for n, (ctor, args, opts) in enumerate(specs):
        m = getattr(nn, ctor)(*[T(v) for v in args], **{kw_names[k]: T(v) for k, v in opts.items()})
        case = {"name": "module/%02d %s" % (n, ctor), "ctor": ctor, "args": args, "opts": opts, "repr": repr(m)}
        if n % 3 == 0 or ctor in ("MaxUnpool2d", "AdaptiveMaxPool2d"):
            x = X if n % 2 == 0 else Xr
            if ctor == "MaxUnpool2d":
                k, st, pd = m.kernel_size, m.stride, m.padding
                # an input size the default unpool size reproduces: H = k - 2p + 2s
                x = randn((2, 2) + tuple(k[i] - 2 * pd[i] + 2 * st[i] for i in range(2)))
                pooled, idx = F.max_pool2d(x, k, stride=st, padding=pd, return_indices=True)
                y = m(pooled, idx)
                case["forward"] = {"input": enc(pooled), "indices": enc(idx), "output": enc(y)}
            else:
                y = m(x)
                if isinstance(y, tuple):
                    case["forward"] = {"input": enc(x), "output": enc(y[0]), "indices": enc(y[1])}
                else:
                    case["forward"] = {"input": enc(x), "output": enc(y)}
        out.append(case)
    return out


# ---------------------------------------------------------------------------
# generator stream
# ---------------------------------------------------------------------------
def random_cases():
    out = []
    for seed in [0, 1, 42]:
        for fn in ["rand", "randn"]:
            for shape in [(5,), (2, 3), (4, 5), (17,), (3, 16)]:
                torch.manual_seed(seed)
                t = getattr(torch, fn)(shape)
                out.append({"seed": seed, "fn": fn, "shape": list(shape), "output": enc(t)})
    # float64 draws 53 bits from two 32-bit outputs per number
    for seed in [0, 7]:
        for fn in ["rand", "randn"]:
            for shape in [(5,), (4, 5)]:
                torch.manual_seed(seed)
                t = getattr(torch, fn)(shape, dtype=torch.float64)
                out.append({"seed": seed, "fn": fn, "shape": list(shape), "dtype": "float64", "output": enc(t)})
    return out


def write(name, payload):
    payload = dict({"generator": "scripts/make_fixtures.py (run: npm run fixtures)",
                    "torch": torch.__version__, "seed": SEED}, **payload)
    path = os.path.join(OUT_DIR, name)
    with open(path, "w") as f:
        json.dump(payload, f, separators=(",", ":"), allow_nan=False)
        f.write("\n")
    counts = {k: len(v) for k, v in payload.items() if isinstance(v, list)}
    print("%-20s %8.1f kB  %s" % (name, os.path.getsize(path) / 1024, counts))


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    fwd, bwd = max_cases()
    grid_fwd, grid_errors = pad_dilation_grid()
    write("pool-max.json", {"notes": {"padGrid": PAD_GRID_NOTE}, "forward": fwd + grid_fwd["max_pool2d"],
                            "backward": bwd})
    fwd, bwd = avg_cases()
    write("pool-avg.json", {"notes": {"padGrid": PAD_GRID_NOTE}, "forward": fwd + grid_fwd["avg_pool2d"],
                            "backward": bwd})
    fwd, bwd = lp_cases()
    write("pool-lp.json", {"forward": fwd, "backward": bwd})
    fwd, bwd = adaptive_cases()
    write("pool-adaptive.json", {"forward": fwd, "backward": bwd})
    fwd, bwd = unpool_cases()
    write("pool-unpool.json", {"notes": {"threads": "generated with torch.set_num_threads(1): with duplicate "
                                         "indices the last write in row-major order wins (PyTorch flags this "
                                         "op as nondeterministic when several threads race)."},
                               "forward": fwd, "backward": bwd})
    write("pool-errors.json", {"cases": error_cases() + grid_errors, "unknownOption": unknown_option_cases()})
    write("modules.json", {"cases": module_cases()})
    write("random.json", {"cases": random_cases()})


if __name__ == "__main__":
    sys.exit(main())
