/** Instructor-only (hidden) part of 练习 4 / Exercise 5. Not run by a student's `npm run grade`. */
import * as ref from "../../../solutions/max-vs-avg";
import { torch, checkCall, gradeExercise, pool, student } from "../../../src/grader/spec/harness";

const ex = student("max-vs-avg");

gradeExercise(ex, (part) => {
  part("hidden-more-pools", async () => {
    torch.manualSeed(105);
    const X = torch.rand(3, 2, 6, 9);
    const n = torch.randn(3, 2, 6, 9).mul(0.05);
    const tol = { rtol: 1e-5, atol: 1e-6 };
    for (const spec of [
      { op: "avg", kernelSize: 3, stride: 2, padding: 1, countIncludePad: false } as const,
      { op: "lp", normType: 2, kernelSize: 2 } as const,
      { op: "max", kernelSize: [3, 2], stride: [2, 1], padding: [1, 1] } as const,
    ]) {
      for (const d of [1, 3, 5]) {
        await checkCall(ex, { fn: "shiftChange", args: [pool(spec), X, d], names: [, "X", "d"], expected: ref.shiftChange, tol });
      }
      await checkCall(ex, { fn: "noiseChange", args: [pool(spec), X, n], names: [, "X", "noise"], expected: ref.noiseChange, tol });
    }
  });
});
