/**
 * d2l-en Exercise 2 — max pooling is not a convolution: counterexamples to linearity.
 * No reference values here: the spec checks the student's counterexample itself, on the trusted side,
 * with the module's F.maxPool2d.
 */
import { F, callStudent, fail, gradeExercise, recordAnswer, student, type Tensor } from "../../src/grader/spec/harness";
import { block, isTensor, showValue, typeName } from "../../src/grader/spec/feedback";
import { join, same, text } from "../../src/grader/i18n";

const ex = student("max-pool-not-linear");

const pool = (t: Tensor) => F.maxPool2d(t, 2);

/** A usable input of F.maxPool2d(·, 2): a float tensor of rank 3 or 4, H, W ≥ 2, finite values. */
function checkInput(fn: string, name: string, t: unknown): Tensor {
  if (!isTensor(t)) fail(join([text(`${fn}：'${name}' 应是张量，实际是 `, `${fn}: '${name}' should be a Tensor, got `), t === undefined ? "undefined" : typeName(t)]));
  const tensor = t;
  const shape = `[${tensor.shape.join(", ")}]`;
  if (tensor.dtype !== "float32" && tensor.dtype !== "float64") {
    fail(
      text(
        `${fn}：'${name}' 应是 float32 或 float64，实际是 ${tensor.dtype}（用 torch.tensor([[...]]) 和数值创建）`,
        `${fn}: '${name}' should be float32 or float64, got ${tensor.dtype} (use torch.tensor([[...]]) with numbers)`,
      ),
    );
  }
  if (tensor.dim() !== 3 && tensor.dim() !== 4) fail(text(`${fn}：'${name}' 的形状应为 (N, C, H, W) 或 (C, H, W)，实际是 ${shape}`, `${fn}: '${name}' should have shape (N, C, H, W) or (C, H, W), got ${shape}`));
  const [H, W] = tensor.shape.slice(-2);
  if (H < 2 || W < 2) fail(text(`${fn}：2×2 窗口需要 H、W ≥ 2，'${name}' 的形状是 ${shape}`, `${fn}: '${name}' needs H, W ≥ 2 for a 2×2 window, got ${shape}`));
  if (!Array.from(tensor.data).every(Number.isFinite)) {
    fail(
      text(
        `${fn}：'${name}' 含有 NaN 或 ±inf；请用有限的数（NaN ≠ NaN 会让任何等式“不成立”——这什么也证明不了）`,
        `${fn}: '${name}' holds NaN or ±inf; use finite numbers (NaN ≠ NaN would "break" any identity — that proves nothing)`,
      ),
    );
  }
  return tensor;
}

function maxAbsDiff(a: Tensor, b: Tensor): number {
  return a.sub(b).abs().max().item() as number;
}

gradeExercise(ex, (part) => {
  part("additivity", async () => {
    const fn = "additivityCounterexample";
    const r = (await callStudent(ex, { fn, args: [] })) as { x?: unknown; y?: unknown } | null;
    if (r === null || typeof r !== "object" || isTensor(r)) fail(text(`${fn}() 应返回对象 { x, y }，实际是 ${showValue(r)}`, `${fn}() should return an object { x, y }, got ${showValue(r)}`));
    const x = checkInput(fn, "x", r.x);
    const y = checkInput(fn, "y", r.y);
    if (x.shape.join() !== y.shape.join()) {
      const [sx, sy] = [`[${x.shape.join(", ")}]`, `[${y.shape.join(", ")}]`];
      fail(text(`${fn}：x 和 y 的形状应相同，实际是 ${sx} 和 ${sy}`, `${fn}: x and y should have the same shape, got ${sx} and ${sy}`));
    }
    const lhs = pool(x.add(y));
    const rhs = pool(x).add(pool(y));
    const gap = maxAbsDiff(lhs, rhs);
    if (!(gap > 1e-3)) {
      fail({
        headline: text(
          `${fn}：不是反例——maxPool(x + y) 等于 maxPool(x) + maxPool(y)（最大差值 ${gap}）`,
          `${fn}: not a counterexample — maxPool(x + y) equals maxPool(x) + maxPool(y) (largest difference ${gap})`,
        ),
        notes: [
          block(same("x"), x),
          block(same("y"), y),
          block(same("F.maxPool2d(x.add(y), 2)"), lhs),
          block(same("F.maxPool2d(x, 2).add(F.maxPool2d(y, 2))"), rhs),
        ],
        hint: text(
          "在你的 x 和 y 的每个窗口里，都是同一个格子同时取到 x 和 y 的最大值——这时该窗口里 max(x + y) = max(x) + max(y)。什么情况下这就不成立了？",
          "in every window of your x and y, one cell holds the largest value of both — and then max(x + y) = max(x) + max(y) in that window. When can that fail?",
        ),
      });
    }
  });

  part("scaling", async () => {
    const fn = "scalingCounterexample";
    const r = (await callStudent(ex, { fn, args: [] })) as { x?: unknown; a?: unknown } | null;
    if (r === null || typeof r !== "object" || isTensor(r)) fail(text(`${fn}() 应返回对象 { x, a }，实际是 ${showValue(r)}`, `${fn}() should return an object { x, a }, got ${showValue(r)}`));
    const x = checkInput(fn, "x", r.x);
    const a = r.a;
    if (typeof a !== "number" || !Number.isFinite(a)) fail(text(`${fn}：'a' 应是一个有限的数，实际是 ${showValue(a)}`, `${fn}: 'a' should be a finite number, got ${showValue(a)}`));
    const lhs = pool(x.mul(a));
    const rhs = pool(x).mul(a);
    const gap = maxAbsDiff(lhs, rhs);
    if (!(gap > 1e-3)) {
      fail({
        headline: text(
          `${fn}：不是反例——a = ${a} 时 maxPool(a·x) 等于 a·maxPool(x)（最大差值 ${gap}）`,
          `${fn}: not a counterexample — maxPool(a·x) equals a·maxPool(x) for a = ${a} (largest difference ${gap})`,
        ),
        notes: [block(same("x"), x), block(same("F.maxPool2d(x.mul(a), 2)"), lhs), block(same("F.maxPool2d(x, 2).mul(a)"), rhs)],
        hint:
          a >= 0
            ? text("a ≥ 0 时，max(a·x) = a·max(x) 总是成立。乘以一个负数会让最大的那个元素变成什么？", "for a ≥ 0, max(a·x) = a·max(x) always holds. What does multiplying by a negative number do to the largest entry?")
            : text("窗口里的值不能全都相等：试一个值各不相同的窗口。", "the window's values must not all be equal: try a window with different values."),
      });
    }
  });

  part("answer", async () => {
    await recordAnswer(ex, "WHY_NOT_CONV");
  });
});
