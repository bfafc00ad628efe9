/**
 * 练习 1 / Exercise 1 — average pooling as a special case of convolution.
 * Expected values: the reference solution (solutions/avg-pool-as-conv.ts) on copies of the inputs,
 * and, independently, F.avgPool2d, conv2d of the student's own weight, and the seed's printed outputs.
 */
import * as ref from "../../solutions/avg-pool-as-conv";
import { F, conv2d, torch, checkCall, fail, gradeExercise, property, student, type Tensor } from "../../src/grader/spec/harness";
import { compare, sumTol } from "../../src/grader/spec/feedback";
import { poolCase } from "./support/arbitraries";

const ex = student("avg-pool-as-conv");

const seedX = () => torch.tensor([[0, 1, 2], [3, 4, 5], [6, 7, 8]]).reshape(1, 1, 3, 3);
const arange16 = () => torch.arange(16, { dtype: "float32" }).reshape(1, 1, 4, 4);

const HINT_STRIDE = "pooling's stride defaults to the window size, but conv2d's to 1: pass stride explicitly (options.stride ?? kernelSize).";

gradeExercise(ex, (part) => {
  part("weight-seed", async () => {
    await checkCall(ex, {
      fn: "avgPoolWeight",
      args: [1, 2],
      expected: torch.tensor([[[[0.25, 0.25], [0.25, 0.25]]]]),
      hint: "the seed's kernel is torch.ones(2, 2) divided by the window size 2·2 = 4; shape (C_out, C_in, k_h, k_w) = (1, 1, 2, 2).",
    });
  });

  part("weight-channels", async () => {
    const W = (await checkCall(ex, {
      fn: "avgPoolWeight",
      args: [3, [2, 3]],
      expected: ref.avgPoolWeight,
      hint: "weight[o, i] is 1/(k_h·k_w) only when o = i: pooling works on each channel separately, it does not mix channels the way conv2d would with all-ones weights.",
    })) as Tensor;
    // Independent check: conv2d with the student's weight averages each channel on its own.
    const X = torch.randn(2, 3, 4, 6);
    const m = compare(F.avgPool2d(X, [2, 3]), conv2d(X, W, { stride: [2, 3] }), sumTol(X, 6));
    if (m) fail(`conv2d(X, avgPoolWeight(3, [2, 3]), { stride: [2, 3] }) is not F.avgPool2d(X, [2, 3]): ${m.summary}`);
  });

  part("seed", async () => {
    await checkCall(ex, {
      fn: "avgPoolAsConv",
      args: [seedX(), [2, 2], { stride: 1 }],
      expected: torch.tensor([[[[2, 3], [5, 6]]]]), // the seed's printed output
      hint: "conv2d(X, avgPoolWeight(1, [2, 2]), { stride: 1 }): each output is the window's sum times 1/4.",
    });
  });

  part("default-stride", async () => {
    await checkCall(ex, {
      fn: "avgPoolAsConv",
      args: [arange16(), 2],
      expected: F.avgPool2d(arange16(), 2),
      tol: sumTol(arange16(), 4),
      hint: HINT_STRIDE,
    });
    await checkCall(ex, { fn: "avgPoolAsConv", args: [arange16(), 3], expected: F.avgPool2d(arange16(), 3), tol: sumTol(arange16(), 9), hint: HINT_STRIDE });
  });

  part("padding-stride", async () => {
    // The chapter's settings: nn.MaxPool2d(3, padding=1, stride=2) and ((2, 3), stride=(2, 3), padding=(0, 1)).
    const hint =
      "padding is PER SIDE and padded zeros count in the mean (countIncludePad): conv2d(X, weight, { stride, padding }) does exactly that.";
    await checkCall(ex, { fn: "avgPoolAsConv", args: [arange16(), 3, { padding: 1, stride: 2 }], expected: ref.avgPoolAsConv, tol: sumTol(arange16(), 9), hint });
    await checkCall(ex, { fn: "avgPoolAsConv", args: [arange16(), [2, 3], { stride: [2, 3], padding: [0, 1] }], expected: ref.avgPoolAsConv, tol: sumTol(arange16(), 6), hint });
    await checkCall(ex, { fn: "avgPoolAsConv", args: [arange16(), [3, 2], { stride: [1, 2], padding: [1, 1] }], expected: F.avgPool2d(arange16(), [3, 2], { stride: [1, 2], padding: [1, 1] }), tol: sumTol(arange16(), 6), hint });
  });

  part("channels-batch", async () => {
    const X = torch.cat([arange16(), arange16().add(1)], 1); // the chapter's two-channel input
    const hint = "the weight must be (C, C, k_h, k_w) with C = X.shape[X.dim() - 3], and only its diagonal blocks non-zero.";
    await checkCall(ex, { fn: "avgPoolAsConv", args: [X, 3, { padding: 1, stride: 2 }], expected: ref.avgPoolAsConv, tol: sumTol(X, 9), hint });
    torch.manualSeed(1);
    const B = torch.randn(3, 4, 5, 6);
    await checkCall(ex, { fn: "avgPoolAsConv", args: [B, [2, 3], { stride: [1, 2], padding: [1, 0] }], expected: F.avgPool2d(B, [2, 3], { stride: [1, 2], padding: [1, 0] }), tol: sumTol(B, 6), hint });
    await checkCall(ex, { fn: "avgPoolAsConv", args: [B.index(0), 2], expected: F.avgPool2d(B.index(0), 2), tol: sumTol(B, 4), hint: "a 3-D input (C, H, W) has no batch dimension: C is X.shape[0]." });
  });

  part("random", async () => {
    await property(poolCase({}, { values: "floats" }), async ({ g, X }) => {
      await checkCall(ex, {
        fn: "avgPoolAsConv",
        args: [X, [g.kh, g.kw], { stride: [g.sh, g.sw], padding: [g.ph, g.pw] }],
        expected: ref.avgPoolAsConv,
        tol: sumTol(X, g.kh * g.kw),
      });
    });
  });
});
