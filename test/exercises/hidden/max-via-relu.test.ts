/** Instructor-only (hidden) part of d2l-en Exercise 3. Not run by a student's `npm run grade`. */
import * as ref from "../../../solutions/max-via-relu";
import { EXACT } from "../../../src/grader/spec/feedback";
import { text } from "../../../src/grader/i18n";
import { F, torch, checkCall, gradeExercise, student } from "../../../src/grader/spec/harness";

const ex = student("max-via-relu");

gradeExercise(ex, (part) => {
  part("hidden-pool-float64", async () => {
    torch.manualSeed(103);
    const X = torch.randn(2, 2, 7, 5).double().mul(1000);
    await checkCall(ex, { fn: "maxPool2x2ViaRelu", args: [X], expected: F.maxPool2d(X, 2), tol: { rtol: 1e-12, atol: 1e-9 }, hint: text("float64 输入、奇数尺寸：保持 dtype，舍弃最后一行/列。", "float64 input, odd sizes: keep the dtype, drop the last row/column.") });
    for (const n of [5, 6, 7, 8, 16, 25]) {
      await checkCall(ex, { fn: "reluTournament", args: [n], expected: ref.reluTournament, tol: EXACT });
    }
  });
});
