/** Instructor-only (hidden) part of 练习 5 / Exercise 6. Not run by a student's `npm run grade`. */
import { EXACT } from "../../../src/grader/spec/feedback";
import { text } from "../../../src/grader/i18n";
import { F, torch, checkCall, gradeExercise, student } from "../../../src/grader/spec/harness";

const ex = student("min-pool");

gradeExercise(ex, (part) => {
  part("hidden-float64-3d", async () => {
    const X = torch.tensor([[[2, -Infinity, 3], [1, 0, -0.5], [4, 4, 4]]], { dtype: "float64" });
    const expected = F.maxPool2d(X.neg(), 2, { stride: 1, padding: 1 }).neg();
    await checkCall(ex, { fn: "minPool2d", args: [X, 2, { stride: 1, padding: 1 }], expected, tol: EXACT, hint: text("保持 dtype（float64）和维数（三维）；−inf 是最小的值。", "keep the dtype (float64) and the rank (3-D); −inf is the smallest value.") });
  });
});
