/**
 * 练习 2 (d2l-zh) — max pooling over a convolution's sliding window.
 * Expected values: the seed's printed outputs, F.maxPool2d (PyTorch-exact, checked against PyTorch
 * fixtures in test/unit), and the reference solution.
 */
import * as ref from "../../solutions/max-pool-as-conv";
import { EXACT } from "../../src/grader/spec/feedback";
import { F, torch, checkCall, gradeExercise, property, student } from "../../src/grader/spec/harness";
import { poolCase } from "./support/arbitraries";
import { poolingHint, zeroStartOrPadding } from "./support/hints";

const ex = student("max-pool-as-conv");

const seedX = () => torch.tensor([[0, 1, 2], [3, 4, 5], [6, 7, 8]]).reshape(1, 1, 3, 3);
const arange16 = () => torch.arange(16, { dtype: "float32" }).reshape(1, 1, 4, 4);
const fn = "maxPoolAsConv";

gradeExercise(ex, (part) => {
  part("seed", async () => {
    await checkCall(ex, {
      fn,
      args: [seedX(), [2, 2], { stride: 1 }],
      expected: torch.tensor([[[[4, 5], [7, 8]]]]), // the seed's printed output
      tol: EXACT,
      hint: poolingHint(zeroStartOrPadding("max", "each output is the largest value of the 2×2 window under it; with stride 1 the windows overlap.")),
    });
  });

  part("default-stride", async () => {
    await checkCall(ex, {
      fn,
      args: [arange16(), 3],
      expected: torch.tensor([[[[10]]]]), // the seed: nn.MaxPool2d(3)(X)
      tol: EXACT,
      hint: poolingHint("with the stride left out, the windows move by the window size (3 here), as in F.maxPool2d — not by 1 as in conv2d."),
    });
  });

  part("padding-stride", async () => {
    const hint = poolingHint(zeroStartOrPadding("max", "the window of output (i, j) starts at row i·s_h − p_h and column j·s_w − p_w (padding is per side)."));
    // The seed: nn.MaxPool2d(3, padding=1, stride=2) and nn.MaxPool2d((2, 3), stride=(2, 3), padding=(0, 1)).
    await checkCall(ex, { fn, args: [arange16(), 3, { padding: 1, stride: 2 }], expected: torch.tensor([[[[5, 7], [13, 15]]]]), tol: EXACT, hint });
    await checkCall(ex, { fn, args: [arange16(), [2, 3], { stride: [2, 3], padding: [0, 1] }], expected: torch.tensor([[[[5, 7], [13, 15]]]]), tol: EXACT, hint });
    const X = torch.arange(30, { dtype: "float32" }).reshape(1, 1, 5, 6);
    await checkCall(ex, { fn, args: [X, [3, 2], { stride: [1, 2], padding: [1, 1] }], expected: F.maxPool2d(X, [3, 2], { stride: [1, 2], padding: [1, 1] }), tol: EXACT, hint });
  });

  part("negative-padding", async () => {
    const X = arange16().sub(20); // all negative
    await checkCall(ex, {
      fn,
      args: [X, 3, { padding: 1, stride: 2 }],
      expected: F.maxPool2d(X, 3, { padding: 1, stride: 2 }),
      tol: EXACT,
      hint: poolingHint(zeroStartOrPadding("max", "padding cells are never candidates for the maximum (they act as −∞): every window's maximum is one of its real cells.")),
    });
  });

  part("channels-batch", async () => {
    const X = torch.cat([arange16(), arange16().add(1)], 1); // the seed's two-channel input
    await checkCall(ex, {
      fn,
      args: [X, 3, { padding: 1, stride: 2 }],
      expected: torch.tensor([[[[5, 7], [13, 15]], [[6, 8], [14, 16]]]]), // the seed's printed output
      tol: EXACT,
      hint: poolingHint(zeroStartOrPadding("max", "pool each channel on its own: the output keeps the input's channels (2 here), unlike a convolution that sums over them.")),
    });
    torch.manualSeed(2);
    const B = torch.randn(2, 3, 5, 4);
    await checkCall(ex, { fn, args: [B, [2, 3], { stride: [2, 1], padding: [1, 1] }], expected: F.maxPool2d(B, [2, 3], { stride: [2, 1], padding: [1, 1] }), tol: EXACT, hint: poolingHint(zeroStartOrPadding("max", "batch (N) and channels (C) are kept: the output is (N, C, H_out, W_out).")) });
    await checkCall(ex, { fn, args: [B.index(1), 2], expected: F.maxPool2d(B.index(1), 2), tol: EXACT, hint: poolingHint(zeroStartOrPadding("max", "a 3-D input (C, H, W) gives a 3-D output (C, H_out, W_out).")) });
  });

  part("nan", async () => {
    const X = arange16();
    X.set([0, 0, 1, 1], NaN);
    await checkCall(ex, {
      fn,
      args: [X, 2, { stride: 1 }],
      expected: F.maxPool2d(X, 2, { stride: 1 }),
      tol: EXACT,
      hint: poolingHint("every window containing the NaN must give NaN, as torch.max does: use Tensor.max(), or check Number.isNaN — a plain `v > best` comparison skips NaN."),
    });
  });

  part("random", async () => {
    await property(poolCase({ maxKernel: 3 }, { values: "quarters" }), async ({ g, X }) => {
      await checkCall(ex, {
        fn,
        args: [X, [g.kh, g.kw], { stride: [g.sh, g.sw], padding: [g.ph, g.pw] }],
        expected: ref.maxPoolAsConv,
        tol: EXACT,
        hint: poolingHint(zeroStartOrPadding("max", undefined)),
      });
    });
  });

  part("dtype", async () => {
    const X = torch.arange(32, { dtype: "float64" }).reshape(1, 2, 4, 4).mul(0.25);
    await checkCall(ex, { fn, args: [X, 2, { stride: 2 }], expected: F.maxPool2d(X, 2), tol: EXACT, hint: poolingHint() });
  });
});
