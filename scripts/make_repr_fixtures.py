"""Generate test/fixtures/repr.json: tensors and the exact repr() real PyTorch prints for them.

Run from the repository root on the PyTorch pinned in scripts/requirements-fixtures.txt (2.13, from pip):

    npm run fixtures          # makes that venv once, then runs this and the other generators

Deterministic: every random tensor comes from a seeded torch.Generator, so re-running it on the
same PyTorch version rewrites the same file. Each case is
    {"name", "dtype", "shape", "values", "repr"}
with `values` flattened in row-major order. JSON has no nan/inf, so non-finite floats are written
as the strings "nan", "inf" and "-inf". Finite floats are written with Python's repr(float(v)),
which round-trips exactly (a float32 element is widened to the double holding the same value).
"""
import json
import math
import os

from pinned_torch import require_pinned_torch

torch = require_pinned_torch()

OUT_PATH = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "repr.json")

DTYPE_NAMES = {
    torch.float32: "float32",
    torch.float64: "float64",
    torch.int64: "int64",
    torch.bool: "bool",
}

gen = torch.Generator().manual_seed(20240605)
cases = []


def encode_value(v, dtype):
    if dtype == torch.bool:
        return 1 if v else 0
    if dtype == torch.int64:
        assert abs(v) <= 2**53, "int64 fixture values must be exact JS numbers"
        return int(v)
    v = float(v)
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return v  # json.dumps writes repr(float(v))


def add(name, t):
    assert t.dtype in DTYPE_NAMES, t.dtype
    assert all(c["name"] != name for c in cases), f"duplicate case name {name}"
    values = [encode_value(v, t.dtype) for v in t.reshape(-1).tolist()]
    cases.append(
        {
            "name": name,
            "dtype": DTYPE_NAMES[t.dtype],
            "shape": list(t.shape),
            "values": values,
            "repr": repr(t),
        }
    )


def randn(*shape, dtype=torch.float32):
    return torch.randn(shape, generator=gen, dtype=dtype)


def randint(low, high, *shape):
    return torch.randint(low, high, shape, generator=gen, dtype=torch.int64)


def randbool(*shape):
    return torch.rand(shape, generator=gen) < 0.5


def sprinkle(t, specials):
    """A copy of float tensor t with the special values written at random positions."""
    t = t.clone().reshape(-1)
    positions = torch.randperm(t.numel(), generator=gen)[: len(specials)]
    for position, special in zip(positions.tolist(), specials):
        t[position] = special
    return t


nan, inf = float("nan"), float("inf")

# --- The chapter's tensors (d2l 6.5 Pooling) ---------------------------------------------
X = torch.tensor([[0.0, 1.0, 2.0], [3.0, 4.0, 5.0], [6.0, 7.0, 8.0]])
add("chapter: X", X)
add("chapter: pool2d max", torch.tensor([[4.0, 5.0], [7.0, 8.0]]))
add("chapter: pool2d avg", torch.tensor([[2.0, 3.0], [5.0, 6.0]]))
X4 = torch.arange(16, dtype=torch.float32).reshape((1, 1, 4, 4))
add("chapter: arange(16).reshape(1,1,4,4)", X4)
add("chapter: MaxPool2d(3)", torch.nn.MaxPool2d(3)(X4))
add("chapter: MaxPool2d(3, padding=1, stride=2)", torch.nn.MaxPool2d(3, padding=1, stride=2)(X4))
add(
    "chapter: MaxPool2d((2,3), stride=(2,3), padding=(0,1))",
    torch.nn.MaxPool2d((2, 3), stride=(2, 3), padding=(0, 1))(X4),
)
X2 = torch.cat((X4, X4 + 1), 1)
add("chapter: cat((X, X+1), 1)", X2)
add("chapter: MaxPool2d(3, padding=1, stride=2) on 2 channels", torch.nn.MaxPool2d(3, padding=1, stride=2)(X2))
add("chapter: AvgPool2d(3, padding=1, stride=2)", torch.nn.AvgPool2d(3, padding=1, stride=2)(X4))
add("chapter: AvgPool2d(2) on 2 channels", torch.nn.AvgPool2d(2)(X2))
add("chapter: avg of 3x3 windows", torch.nn.AvgPool2d(2, stride=1)(X.reshape(1, 1, 3, 3)).reshape(2, 2) / 3)
add("chapter: int64 arange(16).reshape(1,1,4,4)", torch.arange(16).reshape(1, 1, 4, 4))

# --- 0-d tensors ---------------------------------------------------------------------------
for i, v in enumerate([3.5, 0.0, -0.0, 1.0, -2.0, 1 / 3, 0.03125, 1e-5, 1e10, 123456789.0, nan, inf, -inf, 2.5e-9]):
    add(f"0-d float32 #{i} ({v!r})", torch.tensor(v))
for i, v in enumerate([3.5, 1 / 3, 1e-300, -7.0, nan]):
    add(f"0-d float64 #{i} ({v!r})", torch.tensor(v, dtype=torch.float64))
for v in [0, 7, -12, 2**40]:
    add(f"0-d int64 {v}", torch.tensor(v))
add("0-d bool True", torch.tensor(True))
add("0-d bool False", torch.tensor(False))

# --- Small random floats, 1-d to 4-d, at many scales (exercises fixed and sci mode) -----------
SHAPES = [(5,), (3, 4), (2, 3, 4), (2, 2, 2, 3)]
SCALES = [1.0, 100.0, 1e-2, 1e-3, 1e-5, 1e4, 1e6, 1e9, 1e-10]
for dtype in (torch.float32, torch.float64):
    for shape in SHAPES:
        for scale in SCALES:
            add(f"randn {DTYPE_NAMES[dtype]} {shape} * {scale}", randn(*shape, dtype=dtype) * scale)
for shape in SHAPES:
    add(f"positive rand {shape}", torch.rand(*shape, generator=gen))
    add(f"negative rand {shape}", -torch.rand(*shape, generator=gen) * 10)
    add(f"mixed magnitudes {shape}", randn(*shape) * torch.pow(10.0, randint(-3, 4, *shape).float()))

# --- Sci-mode triggers, each one alone ---------------------------------------------------
add("ratio just above 1000", torch.tensor([1.0, 1000.5]))
add("ratio exactly 1000", torch.tensor([0.5, 500.0]))
add("ratio just below 1000", torch.tensor([0.5, 499.5]))
add("max above 1e8 (non-integer)", torch.tensor([1.5, 2.0e8]))
add("min below 1e-4", torch.tensor([0.5, 0.00009]))
add("min exactly 1e-4", torch.tensor([0.5, 1e-4], dtype=torch.float64))
add("tiny only", torch.tensor([1e-6, 2e-6, -3e-6]))
add("huge float32", torch.tensor([3.0e38, -1.0e38, 1.5]))
add("float64 extremes", torch.tensor([1e-300, 1e300, -5e-324], dtype=torch.float64))

# --- Integer-valued floats (int mode) ------------------------------------------------------
add("int mode small", torch.tensor([1.0, 2.0, 3.0]))
add("int mode negatives", torch.tensor([-1.0, 20.0, -300.0]))
add("int mode ratio 1000", torch.tensor([1.0, 1000.0]))
add("int mode ratio above 1000 -> sci", torch.tensor([1.0, 1001.0]))
add("int mode 1e8 exactly", torch.tensor([1.0e8, 2.0e5]))
add("int mode above 1e8 -> sci", torch.tensor([2.0e8, 3.0e8]))
add("int mode 123456789", torch.tensor([123456789.0]))
add("int mode big float64", torch.tensor([99999999.0, 100000.0], dtype=torch.float64))
add("int mode randint float32 3-d", randint(-50, 50, 2, 3, 4).float())
add("int mode randint float64 2-d", randint(-999, 999, 4, 5).double())
add("all zeros 1-d", torch.zeros(4))
add("all zeros 2-d float64", torch.zeros(2, 3, dtype=torch.float64))
add("zeros and minus zero", torch.tensor([0.0, -0.0, 0.0]))
add("minus zero with ints", torch.tensor([-0.0, 1.0, 10.0]))
add("minus zero fixed", torch.tensor([-0.0, 0.5]))
add("minus zero sci", torch.tensor([-0.0, 1e-7]))
add("tiny negative rounds to -0.0000", torch.tensor([-0.00004, 1.5, 2e-4]))

# --- Rounding ties (exact binary values halfway between two printed decimals) ----------------
add("ties fixed", torch.tensor([0.03125, 0.15625, 0.28125, 0.84375, 1.40625, 2.5]))
add("ties fixed negative", torch.tensor([-0.03125, -0.09375, -0.21875, -0.96875]))
add("ties fixed float64", torch.tensor([0.03125, 0.65625, 9.99995, 0.00015], dtype=torch.float64))
add("ties sci", torch.tensor([1.03125, 2.40625e-5, 9.99995e3, 1.5]))
add("ties sci float64", torch.tensor([1.03125e10, 1.09375e-8, 5.00005], dtype=torch.float64))
add("round up to 10 in sci", torch.tensor([9.99996, 1e-6]))
add("round up to 10 in fixed", torch.tensor([9.99996, 99.99999]))
add("halves in fixed", torch.tensor([0.5, 1.5, 2.5, 3.5]) / 1024)

# --- Non-finite values mixed in ---------------------------------------------------------------
add("nan inf only", torch.tensor([nan, inf, -inf]))
add("nan inf and zero", torch.tensor([nan, 0.0, -inf]))
add("inf in int mode", torch.tensor([1.0, inf, -2.0, nan]))
add("inf in fixed mode", torch.tensor([1.5, -inf, 2.25, nan]))
add("inf in sci mode", torch.tensor([1.5e-6, inf, nan, -2.0]))
add("inf in sci int mode", torch.tensor([1.0, 1e6, -inf]))
for shape in SHAPES[1:]:
    add(f"randn with nan/inf {shape}", sprinkle(randn(*shape), [nan, inf, -inf]).reshape(shape))
    add(f"randn float64 with nan {shape}", sprinkle(randn(*shape, dtype=torch.float64) * 1e5, [nan]).reshape(shape))

# --- Integers and booleans ---------------------------------------------------------------------
for shape in SHAPES:
    add(f"int64 small {shape}", randint(0, 10, *shape))
    add(f"int64 signed {shape}", randint(-1000, 1000, *shape))
    add(f"bool {shape}", randbool(*shape))
add("int64 large", torch.tensor([2**53, -(2**50), 12345678901234, 0]))
add("int64 all zero", torch.zeros(3, 3, dtype=torch.int64))
add("bool all True", torch.ones(2, 2, dtype=torch.bool))
add("bool all False", torch.zeros(3, dtype=torch.bool))

# --- Empty tensors ---------------------------------------------------------------------------
for dtype in DTYPE_NAMES:
    for shape in [(0,), (0, 3), (2, 0), (2, 0, 3), (0, 0), (1, 0, 2, 2)]:
        add(f"empty {DTYPE_NAMES[dtype]} {shape}", torch.zeros(shape, dtype=dtype))

# --- Long rows that wrap at 80 columns -------------------------------------------------------
add("wrap arange(30) float", torch.arange(30, dtype=torch.float32))
add("wrap arange(100) int64", torch.arange(100))
add("wrap randn(25)", randn(25))
add("wrap randn(40) sci", randn(40) * 1e-6)
add("wrap bool(40)", randbool(40))
add("wrap float64 randn(20)", randn(20, dtype=torch.float64))
add("wrap float64 randn(7): suffix goes to a new line", randn(7, dtype=torch.float64) * 100)
add("wrap float64 randn(6)", randn(6, dtype=torch.float64) * 100)
add("wrap 2-d rows", randn(3, 20))
add("wrap 3-d rows", randint(-10**6, 10**6, 2, 2, 15))
add("wrap 4-d rows float64", randn(2, 1, 2, 12, dtype=torch.float64))
add("wrap wide int64", randint(-(10**15), 10**15, 12))
for n in [9, 10, 11, 12, 13]:
    add(f"float64 row of {n} (suffix placement)", torch.linspace(-1, 1, n, dtype=torch.float64))

# --- Summarized (> 1000 elements) -----------------------------------------------------------
add("summarized 1-d arange(1001)", torch.arange(1001, dtype=torch.float32))
add("summarized 1-d randn(2000)", randn(2000))
add("summarized 1-d int64", torch.arange(5000))
add("summarized 1-d bool", randbool(1500))
add("summarized 2-d 40x40", randn(40, 40))
add("summarized 2-d 3x400", randn(3, 400))
add("summarized 2-d 400x3", randn(400, 3))
add("summarized 2-d 1001x1", randn(1001, 1))
add("summarized 2-d 1x1001", randn(1, 1001))
add("summarized 2-d 6x200 (first dim not cut)", randn(6, 200))
add("summarized 2-d 7x200", randn(7, 200))
add("summarized 2-d float64", randn(50, 50, dtype=torch.float64))
add("summarized 3-d 11x11x11", randn(11, 11, 11))
add("summarized 3-d 2x30x30", randn(2, 30, 30))
add("summarized 3-d int64", randint(-5, 5, 10, 10, 11))
add("summarized 4-d 5x5x5x10", randn(5, 5, 5, 10))
add("summarized 4-d 8x8x8x8", randn(8, 8, 8, 8))
add("summarized 4-d 1x1x40x40", torch.arange(1600, dtype=torch.float32).reshape(1, 1, 40, 40))
add("summarized 4-d bool", randbool(2, 3, 20, 20))
add("summarized 4-d float64 sci", randn(4, 4, 4, 20, dtype=torch.float64) * 1e-7)

hidden = torch.ones(2000)
hidden[1000] = 1e9  # behind "...": must not switch to sci mode or widen the columns
add("summarized: huge value hidden", hidden)
hidden2 = randn(30, 40)
hidden2[15, 20] = 1e-9
hidden2[2, 20] = nan
add("summarized: tiny value hidden in 2-d", hidden2)
shown = torch.ones(2000)
shown[1] = 1e9
add("summarized: huge value shown", shown)
add("summarized: int64 wide value hidden", torch.cat([torch.arange(600), torch.tensor([10**12]), torch.arange(600)]))
add("summarized with inf", sprinkle(randn(1200), [inf, -inf, nan] * 100))

# --- Random sweep: assorted shapes, dtypes and scales ---------------------------------------
for i in range(40):
    ndim = int(torch.randint(0, 5, (1,), generator=gen))
    shape = tuple(int(s) for s in torch.randint(1, 5, (ndim,), generator=gen))
    kind = i % 5
    if kind == 0:
        t = randn(*shape) * 10.0 ** float(torch.randint(-6, 9, (1,), generator=gen))
    elif kind == 1:
        t = randn(*shape, dtype=torch.float64) * 10.0 ** float(torch.randint(-3, 5, (1,), generator=gen))
    elif kind == 2:
        t = torch.round(randn(*shape) * 100) / 8  # many exact eighths and sixteenths
    elif kind == 3:
        t = randint(-(10**6), 10**6, *shape)
    else:
        t = randbool(*shape)
    add(f"sweep #{i} {DTYPE_NAMES[t.dtype]} {shape}", t)

with open(OUT_PATH, "w") as f:
    # One case per line: compact, yet a regenerated file diffs case by case.
    lines = [json.dumps(case, allow_nan=False) for case in cases]
    f.write("[\n" + ",\n".join(lines) + "\n]\n")
print(f"wrote {len(cases)} cases to {os.path.normpath(OUT_PATH)} (torch {torch.__version__})")
