/**
 * 练习 6 / Exercise 7 — softmax pooling.
 * Expected values: the reference solution; and independently F.maxPool2d (β → ∞), F.avgPool2d with
 * countIncludePad false (β → 0), and closed forms worked out here for |x| = 1e4.
 */
import * as ref from "../../solutions/softmax-pool";
import { EXACT, sumTol, type Tolerance } from "../../src/grader/spec/feedback";
import { F, torch, checkCall, fc, fail, gradeExercise, property, recordAnswer, student, type Tensor } from "../../src/grader/spec/harness";
import { poolCase } from "./support/arbitraries";
import { paddingOnly, poolingHint } from "./support/hints";

const ex = student("softmax-pool");

const TOL: Tolerance = { rtol: 2e-6, atol: 1e-6 };
/** A weighted mean of `cells` values computed another way (float32 exp, another order): as a sum's rounding, plus exp's. */
const soft = (X: Tensor, cells: number): Tolerance => {
  const t = sumTol(X, 2 * cells);
  return { rtol: 1e-5, atol: t.atol };
};
const fn = "softmaxPool2d";
const seedX = () => torch.tensor([[0, 1, 2], [3, 4, 5], [6, 7, 8]]).reshape(1, 1, 3, 3);
const formula = "y = Σ e^{β·x_i}·x_i / Σ e^{β·x_i} over the window's cells (the window clipped to the input).";
const notPadding = "padding cells are not part of the window (weight 0), not cells that hold 0.";
const hint = poolingHint(paddingOnly(notPadding, formula));
/** The same checks with a more specific hint for wrong values. */
const hinted = (text: string) => poolingHint(paddingOnly(notPadding, `${text} ${formula}`));

gradeExercise(ex, (part) => {
  part("seed", async () => {
    await checkCall(ex, { fn, args: [seedX(), 2, { stride: 1 }], expected: ref.softmaxPool2d, tol: TOL, hint });
    // Worked by hand for the first window {0, 1, 3, 4}: (0 + e + 3e³ + 4e⁴)/(1 + e + e³ + e⁴) = 3.5888…
    const e = Math.E;
    const first = (e + 3 * e ** 3 + 4 * e ** 4) / (1 + e + e ** 3 + e ** 4);
    const Y = (await checkCall(ex, { fn, args: [seedX(), 2, { stride: 1, beta: 1 }], expected: ref.softmaxPool2d, tol: TOL, hint })) as Tensor;
    if (Math.abs(Y.data[0] - first) > 1e-5) fail(`${fn}: the first window gives ${Y.data[0]}, expected (e + 3e³ + 4e⁴)/(1 + e + e³ + e⁴) = ${first}`);
  });

  part("beta-large", async () => {
    // Multiples of 0.25 differ by at least 0.25, so with β = 1e4 every weight but the maxima's is exp(−2500) = 0.
    await property(poolCase({}, { values: "quarters" }), async ({ g, X }) => {
      const opts = { stride: [g.sh, g.sw], padding: [g.ph, g.pw] } as const;
      await checkCall(ex, {
        fn,
        args: [X, [g.kh, g.kw], { ...opts, beta: 1e4 }],
        expected: F.maxPool2d(X, [g.kh, g.kw], opts),
        tol: EXACT,
        hint: hinted("as β → ∞ the weights concentrate on the window's maximum (split equally among ties)."),
      });
    }, { numRuns: 20 });
    // And β → −∞: min pooling (the seed's input; the minima worked out by eye).
    await checkCall(ex, { fn, args: [seedX(), 2, { stride: 1, beta: -1e4 }], expected: torch.tensor([[[[0, 1], [3, 4]]]]), tol: EXACT, hint: hinted("as β → −∞ the weights concentrate on the window's minimum.") });
  });

  part("beta-small", async () => {
    await property(poolCase({}, { values: "floats" }), async ({ g, X }) => {
      const opts = { stride: [g.sh, g.sw], padding: [g.ph, g.pw] } as const;
      await checkCall(ex, {
        fn,
        args: [X, [g.kh, g.kw], { ...opts, beta: 1e-9 }],
        expected: F.avgPool2d(X, [g.kh, g.kw], { ...opts, countIncludePad: false }),
        tol: soft(X, g.kh * g.kw),
        hint: hinted("as β → 0 all weights become equal: the mean of the window's real cells."),
      });
    }, { numRuns: 20 });
    await checkCall(ex, { fn, args: [seedX(), 2, { stride: 1, beta: 0 }], expected: torch.tensor([[[[2, 3], [5, 6]]]]), tol: TOL, hint: hinted("β = 0 is exactly the average.") });
  });

  part("stable", async () => {
    const stableHint = poolingHint(`exp(1e4) overflows to Infinity and exp(−1e4) underflows to 0, giving NaN = Infinity/Infinity or 0/0. Subtracting the same number from every β·x_i of a window does not change the weights e^{β·x_i}/Σ e^{β·x_j}: which number keeps every exponent ≤ 0? ${formula}`);
    // Window {1e4, 1e4, −1e4, 9999}: weights 1, 1, 0, e^−1 → (2·1e4 + 9999/e)/(2 + 1/e).
    const X = torch.tensor([[[[1e4, 1e4], [-1e4, 9999]]]]);
    const expected = torch.tensor([[[[(2e4 + 9999 / Math.E) / (2 + 1 / Math.E)]]]]);
    await checkCall(ex, { fn, args: [X, 2], expected, tol: TOL, hint: stableHint });
    // All −1e4: every weight is 1 after the shift; the answer is −1e4, not 0/0.
    const N = torch.full([1, 1, 2, 2], -1e4, { dtype: "float32" });
    await checkCall(ex, { fn, args: [N, 2], expected: torch.full([1, 1, 1, 1], -1e4, { dtype: "float32" }), tol: TOL, hint: stableHint });
    // β < 0 overflows the other way.
    await checkCall(ex, { fn, args: [X, 2, { beta: -1 }], expected: torch.tensor([[[[-1e4]]]]), tol: TOL, hint: stableHint });
  });

  part("padding-stride-channels", async () => {
    const X = torch.arange(16, { dtype: "float32" }).reshape(1, 1, 4, 4).mul(0.25);
    const X2 = torch.cat([X, X.neg()], 1);
    await checkCall(ex, { fn, args: [X2, 3, { padding: 1, stride: 2, beta: 2 }], expected: ref.softmaxPool2d, tol: soft(X2, 9), hint });
    await checkCall(ex, { fn, args: [X2, [2, 3], { stride: [2, 3], padding: [0, 1] }], expected: ref.softmaxPool2d, tol: soft(X2, 6), hint });
    torch.manualSeed(8);
    const B = torch.randn(2, 3, 5, 4);
    await checkCall(ex, { fn, args: [B, 2, { beta: 0.5 }], expected: ref.softmaxPool2d, tol: soft(B, 4), hint: hinted("stride left out means the window size; batch and channels are kept.") });
    await checkCall(ex, { fn, args: [B.index(0), [3, 2], { stride: 1 }], expected: ref.softmaxPool2d, tol: soft(B, 6), hint: hinted("a 3-D input (C, H, W) gives (C, H_out, W_out).") });
  });

  part("nan", async () => {
    const X = torch.tensor([[[[1, 2, 3, 4], [5, NaN, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]]]]);
    await checkCall(ex, { fn, args: [X, 2, { stride: 1 }], expected: ref.softmaxPool2d, tol: TOL, hint: hinted("every window containing the NaN gives NaN; the others are unaffected.") });
  });

  part("random", async () => {
    await property(fc.tuple(poolCase({}, { values: "floats" }), fc.double({ min: -5, max: 5, noNaN: true })), async ([{ g, X }, beta]) => {
      await checkCall(ex, { fn, args: [X, [g.kh, g.kw], { stride: [g.sh, g.sw], padding: [g.ph, g.pw], beta }], expected: ref.softmaxPool2d, tol: soft(X, g.kh * g.kw), hint });
    });
  });

  part("dtype", async () => {
    // Only the dtype is graded here: the float64 result is compared with float32-level tolerance.
    const X = torch.arange(32, { dtype: "float64" }).reshape(1, 2, 4, 4).mul(0.25);
    await checkCall(ex, { fn, args: [X, 2, { stride: 2 }], expected: ref.softmaxPool2d, tol: TOL, hint });
  });

  part("answer", async () => {
    await recordAnswer(ex, "WHY_UNPOPULAR");
  });
});
