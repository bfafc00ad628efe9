/**
 * 练习 4 / Exercise 5 — why max and average pooling behave differently, measured.
 * Expected values: hand-worked numbers, statements computed here independently (identity pool,
 * constant images, scaling laws), and the reference solution on random cases.
 */
import * as ref from "../../solutions/max-vs-avg";
import { torch, checkCall, fc, gradeExercise, pool, property, recordAnswer, student, type Tensor } from "../../src/grader/spec/harness";
import { tensorOf } from "./support/arbitraries";
import type { Tolerance } from "../../src/grader/spec/feedback";

const ex = student("max-vs-avg");

/** Means of float32 differences (inputs up to 10 in magnitude), computed in any order. */
const TOL: Tolerance = { rtol: 1e-5, atol: 1e-5 };
const max2s1 = pool({ op: "max", kernelSize: 2, stride: 1 });
const avg2s1 = pool({ op: "avg", kernelSize: 2, stride: 1 });
const max3s1 = pool({ op: "max", kernelSize: 3, stride: 1 });
const avg3s1 = pool({ op: "avg", kernelSize: 3, stride: 1 });
const identity = pool({ op: "identity" });

const shiftHint =
  "compare pool(X[…, :, 1:W]) with pool(X[…, :, 0:W−1]) — X.index(null, null, null, [1, W]) and [0, W − 1] — then take .sub(...).abs().mean().item().";
const noiseHint = "pool(X.add(noise)).sub(pool(X)).abs().mean().item(): the mean over ALL output elements.";

/** The edge image of 6.2: ones, with columns 2..5 black. */
function edgeImage(): Tensor {
  const X = torch.ones(1, 1, 6, 8);
  X.set([0, 0, null, [2, 6]], 0);
  return X;
}

function checkerboard(h: number, w: number): Tensor {
  return torch.tensor(Array.from({ length: h }, (_, i) => Array.from({ length: w }, (_, j) => (i + j) % 2))).reshape(1, 1, h, w);
}

/** mean |X[…, 1:] − X[…, :−1]|, written out with plain loops (the identity pool's shift sensitivity). */
function meanAbsNeighbourDiff(X: Tensor): number {
  const W = X.shape[X.dim() - 1];
  const rows = X.numel() / W;
  let s = 0;
  for (let r = 0; r < rows; r++) for (let j = 0; j + 1 < W; j++) s += Math.abs(X.data[r * W + j + 1] - X.data[r * W + j]);
  return s / (rows * (W - 1));
}

const images = fc
  .record({ rank: fc.constantFrom(3, 4), c: fc.integer({ min: 1, max: 2 }), h: fc.integer({ min: 3, max: 7 }), w: fc.integer({ min: 4, max: 8 }) })
  .chain(({ rank, c, h, w }) => tensorOf(rank === 4 ? [1, c, h, w] : [c, h, w], { values: "floats" }));

const pools = fc.constantFrom(
  { op: "max", kernelSize: 2, stride: 1 } as const,
  { op: "avg", kernelSize: 2, stride: 1 } as const,
  { op: "max", kernelSize: 2 } as const,
  { op: "avg", kernelSize: 2 } as const,
  { op: "max", kernelSize: [2, 3], stride: [1, 2] } as const,
  { op: "avg", kernelSize: 3, stride: 1, padding: 1 } as const,
);

gradeExercise(ex, (part) => {
  part("shift-known", async () => {
    const X = edgeImage();
    // Worked by hand: the cropped images differ in columns 1 and 5 (of 7); 2×2 windows with stride 1
    // give 5×6 = 30 outputs. Max: 10 change by 1. Average: 20 change by 1/2. Both 1/3.
    await checkCall(ex, { fn: "shiftSensitivity", args: [max2s1, X], expected: 1 / 3, tol: TOL, hint: shiftHint });
    await checkCall(ex, { fn: "shiftSensitivity", args: [avg2s1, X], expected: 1 / 3, tol: TOL, hint: shiftHint });
    // A checkerboard: every 3×3 window contains a 1, so max pooling does not see the shift at all,
    // while the window means alternate between 4/9 and 5/9 (change 1/9 everywhere).
    const C = checkerboard(8, 9);
    await checkCall(ex, { fn: "shiftSensitivity", args: [max3s1, C], expected: 0, tol: TOL, hint: shiftHint });
    await checkCall(ex, { fn: "shiftSensitivity", args: [avg3s1, C], expected: 1 / 9, tol: TOL, hint: shiftHint });
  });

  part("shift-identity", async () => {
    await property(images, async (X) => {
      await checkCall(ex, {
        fn: "shiftSensitivity",
        args: [identity, X],
        expected: meanAbsNeighbourDiff(X),
        tol: TOL,
        hint: `with pool = identity, the answer is the mean |X[…, i, j+1] − X[…, i, j]| over all neighbouring pairs. ${shiftHint}`,
      });
    }, { numRuns: 15 });
    await checkCall(ex, { fn: "shiftSensitivity", args: [max2s1, torch.full([2, 4, 5], 3, { dtype: "float32" })], expected: 0, tol: TOL, hint: "a constant image does not change when shifted." });
  });

  part("shift-random", async () => {
    await property(fc.tuple(pools, images), async ([spec, X]) => {
      await checkCall(ex, { fn: "shiftSensitivity", args: [pool(spec), X], expected: ref.shiftSensitivity, tol: TOL, hint: shiftHint });
    });
  });

  part("noise-known", async () => {
    const X = torch.zeros(1, 1, 4, 4);
    const noise = torch.tensor([[[[1, 0, 0, 0], [0, 0, 0, 0], [0, 0, -1, 0], [0, 0, 0, 0]]]]);
    const mx = pool({ op: "max", kernelSize: 2 });
    const av = pool({ op: "avg", kernelSize: 2 });
    // Worked by hand: max — one window of four changes by 1 (the −1 loses to the 0s): 1/4;
    // average — two windows change by 1/4 each: 2·(1/4)/4 = 1/8.
    await checkCall(ex, { fn: "noiseSensitivity", args: [mx, X, noise], names: [, "X", "noise"], expected: 0.25, tol: TOL, hint: noiseHint });
    await checkCall(ex, { fn: "noiseSensitivity", args: [av, X, noise], names: [, "X", "noise"], expected: 0.125, tol: TOL, hint: noiseHint });
    torch.manualSeed(6);
    const Y = torch.randn(2, 5, 6);
    await checkCall(ex, { fn: "noiseSensitivity", args: [mx, Y, torch.zeros(2, 5, 6)], names: [, "X", "noise"], expected: 0, tol: TOL, hint: "no noise, no change." });
    const n = torch.randn(2, 5, 6);
    await checkCall(ex, { fn: "noiseSensitivity", args: [identity, Y, n], names: [, "X", "noise"], expected: n.abs().mean().item(), tol: TOL, hint: `with pool = identity the answer is mean |noise|. ${noiseHint}` });
    await checkCall(ex, { fn: "noiseSensitivity", args: [mx, Y, torch.full([2, 5, 6], -0.5)], names: [, "X", "noise"], expected: 0.5, tol: TOL, hint: `a constant noise c moves every max by exactly c. ${noiseHint}` });
  });

  part("noise-random", async () => {
    await property(fc.tuple(pools, images).chain(([spec, X]) => tensorOf([...X.shape], { values: "floats" }).map((n) => [spec, X, n.mul(0.1)] as const)), async ([spec, X, n]) => {
      await checkCall(ex, { fn: "noiseSensitivity", args: [pool(spec), X, n], names: [, "X", "noise"], expected: ref.noiseSensitivity, tol: TOL, hint: noiseHint });
    });
  });

  part("properties", async () => {
    // Positive scaling: max(a·x) = a·max(x) for a > 0, so both measures scale by a; the average pool
    // is linear, so for it any a scales them by |a|.
    torch.manualSeed(7);
    const X = torch.randn(1, 2, 5, 6);
    const n = torch.randn(1, 2, 5, 6).mul(0.3);
    for (const [p, a] of [[max2s1, 2.5], [avg2s1, -3]] as const) {
      const base = ref.shiftSensitivity(p, X);
      await checkCall(ex, { fn: "shiftSensitivity", args: [p, X.mul(a)], expected: Math.abs(a) * base, tol: TOL, hint: `scaling the image by ${a} scales this pool's output by |${a}|, so the measure scales too. ${shiftHint}` });
      const nb = ref.noiseSensitivity(p, X, n);
      await checkCall(ex, { fn: "noiseSensitivity", args: [p, X.mul(a), n.mul(a)], names: [, "X", "noise"], expected: Math.abs(a) * nb, tol: TOL, hint: noiseHint });
    }
  });

  part("answer", async (context) => {
    await recordAnswer(ex, "WHY_DIFFERENT", context);
  });
});
