/**
 * d2l-en Exercise 3 — max via ReLU; 2×2 max pooling from convolutions and ReLU; layers and channels.
 * Expected values: torch.maximum and F.maxPool2d (independent of the reference); reluTournament from
 * the reference, and for 2×2 / 3×3 from the counts worked out by hand in the stub's construction.
 */
import * as ref from "../../solutions/max-via-relu";
import { F, torch, Tensor, checkCall, checkSourceAvoids, fc, gradeExercise, property, student } from "../../src/grader/spec/harness";
import { EXACT, type Tolerance } from "../../src/grader/spec/feedback";
import { tensorOf } from "./support/arbitraries";

const ex = student("max-via-relu");

/** b + ReLU(a − b) rounds twice: allow a few ulps of the larger magnitude. */
function roundingTol(...ts: Tensor[]): Tolerance {
  const big = Math.max(1, ...ts.map((t) => t.abs().max().item() as number));
  const eps = ts[0].dtype === "float64" ? 2 ** -52 : 2 ** -23;
  return { rtol: 4 * eps, atol: 4 * eps * big };
}

const FORBIDDEN_MAX: Record<string, RegExp> = {
  "maximum/minimum": /\b(maximum|minimum)\b/,
  ".max()/.min()": /\.\s*(max|min|amax|amin|argmax|argmin)\s*\(/,
  "clamp/where": /\b(clamp|clip|where)\b/,
  "comparisons (gt/ge/lt/le/eq)": /\.\s*(gt|ge|lt|le|eq|ne)\s*\(/,
  "abs/sign": /\.\s*(abs|sign)\s*\(|torch\.abs/,
  "raw values (.data/.get/.item/.tolist)": /\.\s*(data\b|get\s*\(|item\s*\(|tolist\s*\()/,
  "Math.max/Math.min": /Math\s*\.\s*(max|min)\b/,
  "a pooling function": /\b(maxPool2d|avgPool2d|lpPool2d|pool2d|adaptiveMaxPool2d|MaxPool2d)\b/,
  sort: /\.\s*sort\s*\(/,
};

const FORBIDDEN_POOL: Record<string, RegExp> = { ...FORBIDDEN_MAX, ".index() slicing": /\.\s*index\s*\(/ };

const maxHint = "max(a, b) = b + ReLU(a − b): if a > b the ReLU adds the difference, otherwise it adds 0.";

gradeExercise(ex, (part) => {
  part("max-values", async () => {
    await checkCall(ex, { fn: "maxViaRelu", args: [torch.tensor([1, -2, 3]), torch.tensor([0, -1, 5])], expected: torch.tensor([1, -1, 5]), tol: EXACT, hint: maxHint });
    const pairs = fc
      .record({ rows: fc.integer({ min: 1, max: 4 }), cols: fc.integer({ min: 1, max: 5 }) })
      .chain(({ rows, cols }) => fc.tuple(tensorOf([rows, cols], { values: "floats", dtype: "float64" }), tensorOf([rows, cols], { values: "floats", dtype: "float64" })));
    await property(pairs, async ([a, b]) => {
      await checkCall(ex, { fn: "maxViaRelu", args: [a, b], names: ["a", "b"], expected: torch.maximum(a, b), tol: roundingTol(a, b), hint: maxHint });
    });
  });

  part("max-edge", async () => {
    const a = torch.tensor([2, 0, -0.5, -3, 1e4, -1e4, 7, 1.5]);
    const b = torch.tensor([2, 0, -0.5, -4, -1e4, 1e4, -7, 1.25]);
    await checkCall(ex, { fn: "maxViaRelu", args: [a, b], names: ["a", "b"], expected: torch.maximum(a, b), tol: roundingTol(a, b), hint: `${maxHint} Check ties (a = b), negatives and both orders.` });
    const n = torch.tensor([NaN, 1, NaN]);
    const m = torch.tensor([1, NaN, NaN]);
    await checkCall(ex, { fn: "maxViaRelu", args: [n, m], names: ["a", "b"], expected: torch.maximum(n, m), tol: EXACT, hint: "NaN propagates, as torch.maximum: relu(NaN) is NaN, and NaN + anything is NaN." });
  });

  part("max-only-relu", async () => {
    await checkCall(ex, { fn: "maxViaRelu", args: [torch.tensor([[1, -2], [3, 0]]), torch.tensor([[0, -1], [5, 0]])], names: ["a", "b"], expected: torch.tensor([[1, -1], [5, 0]]), tol: EXACT, hint: maxHint });
    await checkSourceAvoids(ex, "maxViaRelu", FORBIDDEN_MAX, "use only .relu(), .add(), .sub(), .neg() and .mul(constant) on tensors: " + maxHint);
  });

  const poolHint =
    "conv2d with a 2×2 stride-2 kernel can pick any combination of the window's four cells, e.g. 6 channels a−b, b, −b, c−d, d, −d; " +
    "after a ReLU, 1×1 convolutions combine channels (b = ReLU(b) − ReLU(−b)). Reshape (N, C, H, W) to (N·C, 1, H, W) to pool every plane alike.";

  part("pool-seed", async () => {
    const X = torch.arange(16, { dtype: "float32" }).reshape(1, 1, 4, 4);
    await checkCall(ex, { fn: "maxPool2x2ViaRelu", args: [X], expected: F.maxPool2d(X, 2), tol: roundingTol(X), hint: poolHint });
    const S = torch.tensor([[0, 1, 2], [3, 4, 5], [6, 7, 8]]).reshape(1, 1, 3, 3);
    await checkCall(ex, { fn: "maxPool2x2ViaRelu", args: [S], expected: torch.tensor([[[[4]]]]), tol: roundingTol(S), hint: "an odd last row/column is dropped, as F.maxPool2d(X, 2) does: a stride-2 conv2d does the same." });
    const N = X.neg();
    await checkCall(ex, { fn: "maxPool2x2ViaRelu", args: [N], expected: F.maxPool2d(N, 2), tol: roundingTol(N), hint: "negative inputs: carrying a value v through a ReLU layer needs two channels, ReLU(v) and ReLU(−v)." });
  });

  part("pool-channels-batch", async () => {
    torch.manualSeed(4);
    const X = torch.randn(2, 3, 4, 6);
    await checkCall(ex, { fn: "maxPool2x2ViaRelu", args: [X], expected: F.maxPool2d(X, 2), tol: roundingTol(X), hint: `each channel is pooled on its own. ${poolHint}` });
    const Y = torch.randn(3, 6, 4);
    await checkCall(ex, { fn: "maxPool2x2ViaRelu", args: [Y], expected: F.maxPool2d(Y, 2), tol: roundingTol(Y), hint: "a 3-D input (C, H, W) gives (C, H/2, W/2)." });
  });

  part("pool-random", async () => {
    const inputs = fc
      .record({ n: fc.integer({ min: 1, max: 2 }), c: fc.integer({ min: 1, max: 3 }), h: fc.integer({ min: 2, max: 7 }), w: fc.integer({ min: 2, max: 7 }) })
      .chain(({ n, c, h, w }) => tensorOf([n, c, h, w], { values: "floats" }));
    await property(inputs, async (X) => {
      await checkCall(ex, { fn: "maxPool2x2ViaRelu", args: [X], expected: F.maxPool2d(X, 2), tol: roundingTol(X), hint: poolHint });
    });
  });

  part("pool-only-conv-relu", async () => {
    const X = torch.tensor([[[[1, -3], [2, 0]]]]);
    await checkCall(ex, { fn: "maxPool2x2ViaRelu", args: [X], expected: torch.tensor([[[[2]]]]), tol: roundingTol(X), hint: poolHint });
    await checkSourceAvoids(ex, "maxPool2x2ViaRelu", FORBIDDEN_POOL, "use conv2d with kernels you build, .relu(), reshape, and + / − only. " + poolHint);
  });

  const tournamentHint =
    "per ReLU layer: pair neighbours (3 channels each: a − b, b, −b), carry an odd one out in 2 channels (v, −v); the next layer has ⌈n/2⌉ values; stop at one value.";

  part("sizes-2x2", async () => {
    await checkCall(ex, { fn: "reluTournament", args: [4], expected: { layers: 2, channels: [6, 3] }, tol: EXACT, hint: tournamentHint });
  });

  part("sizes-3x3", async () => {
    await checkCall(ex, { fn: "reluTournament", args: [9], expected: { layers: 4, channels: [14, 8, 5, 3] }, tol: EXACT, hint: tournamentHint });
    for (const n of [1, 2, 3]) await checkCall(ex, { fn: "reluTournament", args: [n], expected: ref.reluTournament, tol: EXACT, hint: tournamentHint });
  });
});
