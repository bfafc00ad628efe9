/** Instructor-only (hidden) part of 练习 3 / Exercise 4. Not run by a student's `npm run grade`. */
import { EXACT } from "../../../src/grader/spec/feedback";
import { checkCall, gradeExercise, student } from "../../../src/grader/spec/harness";
import { geometryOf } from "../support/instrument";

const ex = student("pooling-cost");

/** Rows (or columns) inside each window, summed — by enumerating the windows. */
function inside(n: number, k: number, p: number, s: number, out: number): number {
  let t = 0;
  for (let i = 0; i < out; i++) for (let r = i * s - p; r < i * s - p + k; r++) if (r >= 0 && r < n) t++;
  return t;
}

gradeExercise(ex, (part) => {
  part("hidden-large", async () => {
    // A VGG-sized layer: 512 channels of 224×224, 3×3 windows, padding 1, stride 2.
    const l = { c: 512, h: 224, w: 224, kernel: [3, 3] as const, padding: [1, 1] as const, stride: [2, 2] as const };
    const g = geometryOf(l);
    await checkCall(ex, { fn: "d2lPoolingCost", args: [512, 224, 224, [3, 3], [2, 2], [2, 2]], expected: 512 * 9 * g.outH * g.outW, tol: EXACT });
    const reads = 512 * inside(224, 3, 1, 2, g.outH) * inside(224, 3, 1, 2, g.outW);
    await checkCall(ex, { fn: "poolingReads", args: [512, 224, 224, [3, 3], [1, 1], [2, 2]], expected: reads, tol: EXACT });
    await checkCall(ex, { fn: "poolingReads", args: [3, 1000, 7, [7, 2], [3, 1], [5, 1]], expected: 3 * inside(1000, 7, 3, 5, Math.floor((1000 + 6 - 7) / 5) + 1) * inside(7, 2, 1, 1, 8), tol: EXACT });
  });
});
