/** Instructor-only (hidden) part of 练习 6 / Exercise 7. Not run by a student's `npm run grade`. */
import * as ref from "../../../solutions/softmax-pool";
import { EXACT } from "../../../src/grader/spec/feedback";
import { text } from "../../../src/grader/i18n";
import { F, torch, checkCall, gradeExercise, student } from "../../../src/grader/spec/harness";

const ex = student("softmax-pool");

gradeExercise(ex, (part) => {
  part("hidden-negative-beta", async () => {
    const X = torch.arange(20, { dtype: "float64" }).reshape(1, 4, 5).mul(0.5);
    await checkCall(ex, { fn: "softmaxPool2d", args: [X, 2, { stride: 1, beta: -1e4 }], expected: F.maxPool2d(X.neg(), 2, { stride: 1 }).neg(), tol: EXACT, hint: text("β → −∞ 得到最小汇聚；保持 float64。", "β → −∞ gives min pooling; keep float64.") });
    await checkCall(ex, { fn: "softmaxPool2d", args: [X, [2, 3], { padding: [1, 1], beta: -0.7 }], expected: ref.softmaxPool2d, tol: { rtol: 1e-12, atol: 1e-12 } });
  });
});
