/** Instructor-only (hidden) part of 练习 2. Not run by a student's `npm run grade`. */
import { EXACT } from "../../../src/grader/spec/feedback";
import { text } from "../../../src/grader/i18n";
import { F, torch, checkCall, gradeExercise, student } from "../../../src/grader/spec/harness";

const ex = student("max-pool-as-conv");

gradeExercise(ex, (part) => {
  part("hidden-inf-float64", async () => {
    const X = torch.tensor(
      [
        [[-Infinity, -Infinity, 1], [-Infinity, -Infinity, 2], [3, 4, Infinity]],
        [[-5, -5, -5], [-5, -5, -5], [-5, -5, -5]],
      ],
      { dtype: "float64" },
    );
    const hint = text(
      "±inf 对求最大值来说是普通的值（全是 −inf 的窗口得到 −inf）；输出保持 X 的 dtype；三维输入得到三维输出。",
      "±inf are ordinary values for max (a window of −inf gives −inf); the output keeps X's dtype; a 3-D input gives a 3-D output.",
    );
    await checkCall(ex, { fn: "maxPoolAsConv", args: [X, 2, { stride: 1 }], expected: F.maxPool2d(X, 2, { stride: 1 }), tol: EXACT, hint });
    await checkCall(ex, { fn: "maxPoolAsConv", args: [X, 3, { stride: 2, padding: 1 }], expected: F.maxPool2d(X, 3, { stride: 2, padding: 1 }), tol: EXACT, hint });
  });
});
