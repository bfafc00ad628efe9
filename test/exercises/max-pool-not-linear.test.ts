/**
 * d2l-en Exercise 2 — max pooling is not a convolution: counterexamples to linearity.
 * No reference values here: the spec checks the student's counterexample itself, on the trusted side,
 * with the module's F.maxPool2d.
 */
import { F, callStudent, fail, gradeExercise, recordAnswer, student, type Tensor } from "../../src/grader/spec/harness";
import { block, isTensor, showValue } from "../../src/grader/spec/feedback";

const ex = student("max-pool-not-linear");

const pool = (t: Tensor) => F.maxPool2d(t, 2);

/** A usable input of F.maxPool2d(·, 2): a float tensor of rank 3 or 4, H, W ≥ 2, finite values. */
function checkInput(fn: string, name: string, t: unknown): Tensor {
  if (!isTensor(t)) fail(`${fn}: '${name}' should be a Tensor, got ${t === undefined ? "undefined" : typeof t}`);
  const tensor = t;
  if (tensor.dtype !== "float32" && tensor.dtype !== "float64") fail(`${fn}: '${name}' should be float32 or float64, got ${tensor.dtype} (use torch.tensor([[...]]) with numbers)`);
  if (tensor.dim() !== 3 && tensor.dim() !== 4) fail(`${fn}: '${name}' should have shape (N, C, H, W) or (C, H, W), got [${tensor.shape.join(", ")}]`);
  const [H, W] = tensor.shape.slice(-2);
  if (H < 2 || W < 2) fail(`${fn}: '${name}' needs H, W ≥ 2 for a 2×2 window, got [${tensor.shape.join(", ")}]`);
  if (!Array.from(tensor.data).every(Number.isFinite)) {
    fail(`${fn}: '${name}' holds NaN or ±inf; use finite numbers (NaN ≠ NaN would "break" any identity — that proves nothing)`);
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
    if (r === null || typeof r !== "object" || isTensor(r)) fail(`${fn}() should return an object { x, y }, got ${showValue(r)}`);
    const x = checkInput(fn, "x", r.x);
    const y = checkInput(fn, "y", r.y);
    if (x.shape.join() !== y.shape.join()) fail(`${fn}: x and y should have the same shape, got [${x.shape.join(", ")}] and [${y.shape.join(", ")}]`);
    const lhs = pool(x.add(y));
    const rhs = pool(x).add(pool(y));
    const gap = maxAbsDiff(lhs, rhs);
    if (!(gap > 1e-3)) {
      fail({
        headline: `${fn}: not a counterexample — maxPool(x + y) equals maxPool(x) + maxPool(y) (largest difference ${gap})`,
        notes: [
          block("x", x),
          block("y", y),
          block("F.maxPool2d(x.add(y), 2)", lhs),
          block("F.maxPool2d(x, 2).add(F.maxPool2d(y, 2))", rhs),
        ],
        hint: "in every window of your x and y, one cell holds the largest value of both — and then max(x + y) = max(x) + max(y) in that window. When can that fail?",
      });
    }
  });

  part("scaling", async () => {
    const fn = "scalingCounterexample";
    const r = (await callStudent(ex, { fn, args: [] })) as { x?: unknown; a?: unknown } | null;
    if (r === null || typeof r !== "object" || isTensor(r)) fail(`${fn}() should return an object { x, a }, got ${showValue(r)}`);
    const x = checkInput(fn, "x", r.x);
    const a = r.a;
    if (typeof a !== "number" || !Number.isFinite(a)) fail(`${fn}: 'a' should be a finite number, got ${showValue(a)}`);
    const lhs = pool(x.mul(a));
    const rhs = pool(x).mul(a);
    const gap = maxAbsDiff(lhs, rhs);
    if (!(gap > 1e-3)) {
      fail({
        headline: `${fn}: not a counterexample — maxPool(a·x) equals a·maxPool(x) for a = ${a} (largest difference ${gap})`,
        notes: [block("x", x), block("F.maxPool2d(x.mul(a), 2)", lhs), block("F.maxPool2d(x, 2).mul(a)", rhs)],
        hint: a >= 0 ? "for a ≥ 0, max(a·x) = a·max(x) always holds. What does multiplying by a negative number do to the largest entry?" : "the window's values must not all be equal: try a window with different values.",
      });
    }
  });

  part("answer", async () => {
    await recordAnswer(ex, "WHY_NOT_CONV");
  });
});
