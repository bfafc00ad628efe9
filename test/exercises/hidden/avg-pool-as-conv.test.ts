/** Instructor-only (hidden) part of 练习 1 / Exercise 1. Not run by a student's `npm run grade`. */
import { F, torch, checkCall, gradeExercise, student } from "../../../src/grader/spec/harness";
import { sumTol } from "../../../src/grader/spec/feedback";

const ex = student("avg-pool-as-conv");

gradeExercise(ex, (part) => {
  part("hidden-float64-gaps", async () => {
    torch.manualSeed(101);
    const X = torch.randn(3, 9, 8).double().mul(100);
    const hint = "the output keeps X's dtype (float64 here), and a stride larger than the window skips cells.";
    await checkCall(ex, { fn: "avgPoolAsConv", args: [X, 2, { stride: [3, 4] }], expected: F.avgPool2d(X, 2, { stride: [3, 4] }), tol: sumTol(X, 4), hint });
    // 1/3 is not exact in float32: the stub's float32 weight gives the mean to float32's precision of
    // the weight, a weight in X's dtype gives it exactly. Both are right; the oracle is exact.
    const big = Math.max(...Array.from(X.abs().data));
    const weightTol = { rtol: 2 ** -23, atol: 2 ** -23 * big };
    await checkCall(ex, { fn: "avgPoolAsConv", args: [X, [3, 1], { stride: [4, 2], padding: [1, 0] }], expected: F.avgPool2d(X, [3, 1], { stride: [4, 2], padding: [1, 0] }), tol: weightTol, hint });
  });
});
