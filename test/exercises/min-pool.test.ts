/**
 * 练习 5 / Exercise 6 — min pooling from max pooling.
 * Expected values: the seed's printed output, a brute-force window minimum written out here
 * (independent of max pooling), F.maxPool2d's index conventions, and the reference solution.
 */
import * as ref from "../../solutions/min-pool";
import { EXACT, showValue } from "../../src/grader/spec/feedback";
import { F, torch, Tensor, callStudent, checkCall, checkOps, fail, gradeExercise, property, recordAnswer, student, type Outcome } from "../../src/grader/spec/harness";
import { MAX_POOL_OPS, SHAPE_OPS } from "../../src/grader/trace/rules";
import { poolCase, type Geometry } from "./support/arbitraries";
import { poolCallOf, poolingHint, sameValues, zeroStartOrPadding } from "./support/hints";

const ex = student("min-pool");

const seedX = () => torch.tensor([[0, 1, 2], [3, 4, 5], [6, 7, 8]]).reshape(1, 1, 3, 3);
const idea = "Negating every value turns a window's smallest value into its largest. Which tool finds the largest?";

/** What a wrong minPool2d result is: the maxima, −max, or the right cells with the wrong sign. */
function minValuesHint(o: Outcome): string {
  const c = poolCallOf(o.args);
  if (!c) return idea;
  const opts = { stride: c.s, padding: c.p };
  try {
    const max = F.maxPool2d(c.X, c.k, opts);
    if (sameValues(o.actual, max)) return `these are the windows' largest values: F.maxPool2d on X itself finds the maximum, not the minimum. ${idea}`;
    if (sameValues(o.actual, max.neg())) return "this is −(the largest value) of each window, not the smallest: for the window {1, 2}, −max = −2 but min = 1. What does F.maxPool2d pick from the negated window {−1, −2}?";
    if (sameValues(o.actual, F.maxPool2d(c.X.neg(), c.k, opts))) return "the right cells, with the wrong sign: these are the largest values of −X.";
  } catch {
    // arguments the module refuses: no diagnosis
  }
  return idea;
}

const hint = poolingHint(zeroStartOrPadding("min", minValuesHint));

const indicesIdea = "indices as F.maxPool2d's returnIndices gives them: flat per plane (h·W + w); among equal minima the first (row-major) wins; with NaN, the last NaN's position.";

/** minPool2dWithIndices: negated indices, wrong values, or the index conventions. */
function indicesHint(o: Outcome): string | undefined {
  const [v, i] = Array.isArray(o.actual) ? o.actual : [];
  const [ev, ei] = o.expected as [Tensor, Tensor];
  if (i instanceof Tensor && sameValues(i, ei.neg())) return "indices are positions (h·W + w, from 0), not values: they do not change sign.";
  if (v instanceof Tensor && !sameValues(v, ev)) return (hint as (o: Outcome) => string | undefined)({ ...o, actual: v, expected: ev });
  return indicesIdea;
}

/** The minimum of every window, by brute force over the window clipped to the input (NaN wins). */
function bruteMin(X: Tensor, g: Geometry): Tensor {
  const lead = X.shape.slice(0, -2);
  const [H, W] = X.shape.slice(-2);
  const planes = lead.reduce((p, d) => p * d, 1);
  const outH = Math.floor((H + 2 * g.ph - g.kh) / g.sh) + 1;
  const outW = Math.floor((W + 2 * g.pw - g.kw) / g.sw) + 1;
  const out = X.dtype === "float64" ? new Float64Array(planes * outH * outW) : new Float32Array(planes * outH * outW);
  for (let p = 0; p < planes; p++)
    for (let i = 0; i < outH; i++)
      for (let j = 0; j < outW; j++) {
        let m = Infinity;
        for (let h = Math.max(0, i * g.sh - g.ph); h < Math.min(H, i * g.sh - g.ph + g.kh); h++)
          for (let w = Math.max(0, j * g.sw - g.pw); w < Math.min(W, j * g.sw - g.pw + g.kw); w++) {
            const v = X.data[(p * H + h) * W + w];
            if (Number.isNaN(v) || Number.isNaN(m)) m = NaN;
            else m = Math.min(m, v);
          }
        out[(p * outH + i) * outW + j] = m;
      }
  return new Tensor(out, [...lead, outH, outW], X.dtype);
}

/** What min pooling "from F.maxPool2d and negation" is made of (and reshaping). */
const FROM_MAX_POOL = [...MAX_POOL_OPS, "Tensor#neg", "Tensor#mul", "torch.mul", ...SHAPE_OPS];

gradeExercise(ex, (part) => {
  part("seed", async () => {
    await checkCall(ex, { fn: "minPool2d", args: [seedX(), [2, 2], { stride: 1 }], expected: torch.tensor([[[[0, 1], [3, 4]]]]), tol: EXACT, hint }); // the seed's output
  });

  part("padding-stride-channels", async () => {
    const X = torch.arange(16, { dtype: "float32" }).reshape(1, 1, 4, 4);
    const X2 = torch.cat([X, X.add(1)], 1);
    const g = (kh: number, kw: number, sh: number, sw: number, ph: number, pw: number): Geometry => ({ kh, kw, sh, sw, ph, pw });
    await checkCall(ex, { fn: "minPool2d", args: [X2, 3, { padding: 1, stride: 2 }], expected: bruteMin(X2, g(3, 3, 2, 2, 1, 1)), tol: EXACT, hint });
    await checkCall(ex, { fn: "minPool2d", args: [X, [2, 3], { stride: [2, 3], padding: [0, 1] }], expected: bruteMin(X, g(2, 3, 2, 3, 0, 1)), tol: EXACT, hint });
    await checkCall(ex, { fn: "minPool2d", args: [X, 2], expected: bruteMin(X, g(2, 2, 2, 2, 0, 0)), tol: EXACT, hint });
  });

  part("nan-ties", async () => {
    const X = torch.tensor([[[[1, NaN, 2, 2], [3, 4, 2, 2], [-Infinity, 0, Infinity, 5], [1, 1, 6, 7]]]]);
    await checkCall(ex, { fn: "minPool2d", args: [X, 2], expected: F.maxPool2d(X.neg(), 2).neg(), tol: EXACT, hint: poolingHint(zeroStartOrPadding("min", (o) => (Array.from((o.actual as Tensor | undefined)?.data ?? []).some(Number.isNaN) ? minValuesHint(o) : "a NaN in a window gives NaN (as torch.max does); −inf is a fine minimum."))) });
  });

  part("random", async () => {
    await property(poolCase({}, { values: "quarters" }), async ({ g, X }) => {
      await checkCall(ex, { fn: "minPool2d", args: [X, [g.kh, g.kw], { stride: [g.sh, g.sw], padding: [g.ph, g.pw] }], expected: bruteMin(X, g), tol: EXACT, hint });
    });
  });

  part("indices", async () => {
    const ihint = indicesHint;
    await checkCall(ex, { fn: "minPool2dWithIndices", args: [torch.tensor([[[[3, 1], [1, 2]]]]), 2], expected: [torch.tensor([[[[1]]]]), torch.tensor([[[[1]]]], { dtype: "int64" })], tol: EXACT, hint: ihint });
    // Worked by hand (4×4, 2×2 windows): NaN windows give the LAST NaN's index (4, 7); the tie of 3s the first (8).
    const N = torch.tensor([[[[NaN, 1, 5, 6], [NaN, 2, 7, NaN], [3, 3, 0, 0], [4, 3, 0, -1]]]]);
    const nanExpected = [torch.tensor([[[[NaN, NaN], [3, -1]]]]), torch.tensor([[[[4, 7], [8, 15]]]], { dtype: "int64" })];
    await checkCall(ex, { fn: "minPool2dWithIndices", args: [N, 2], expected: nanExpected, tol: EXACT, hint: ihint });
    await property(poolCase({}, { values: "quarters" }), async ({ g, X }) => {
      await checkCall(ex, { fn: "minPool2dWithIndices", args: [X, [g.kh, g.kw], { stride: [g.sh, g.sw], padding: [g.ph, g.pw] }], expected: ref.minPool2dWithIndices, tol: EXACT, hint: ihint });
    }, { numRuns: 20 });
  });

  part("dtype", async () => {
    // Multiples of 0.25 in float64: only the dtype is graded here.
    const X = torch.arange(32, { dtype: "float64" }).reshape(1, 2, 4, 4).mul(0.25).sub(3);
    const g: Geometry = { kh: 2, kw: 2, sh: 2, sw: 2, ph: 0, pw: 0 };
    await checkCall(ex, { fn: "minPool2d", args: [X, 2, { stride: 2 }], expected: bruteMin(X, g), tol: EXACT, hint });
    // minPool2dWithIndices: the values' dtype only (its indices are graded in "indices").
    const r = await callStudent(ex, { fn: "minPool2dWithIndices", args: [X, 2, { stride: 2 }] });
    const values = Array.isArray(r) ? r[0] : r;
    if (!(values instanceof Tensor)) fail(`minPool2dWithIndices(X, 2, { stride: 2 }) should return [values, indices], got ${showValue(r)}`);
    if (values.dtype !== X.dtype) fail({ headline: `minPool2dWithIndices(X, 2, { stride: 2 }): the values have dtype ${values.dtype}, X has ${X.dtype}`, hint: "the values keep X's dtype (the indices are int64)." });
  });

  part("from-max-pool", async () => {
    // A source check can be fooled, so it is worth one point, and only once the function works.
    await checkCall(ex, { fn: "minPool2d", args: [seedX(), [2, 2], { stride: 1 }], expected: torch.tensor([[[[0, 1], [3, 4]]]]), tol: EXACT, hint });
    const how = "the stub asks for min pooling built from F.maxPool2d and negation: let F.maxPool2d walk the windows, and negate before and after.";
    await checkOps(ex, "minPool2d", [seedX(), [2, 2], { stride: 1 }], FROM_MAX_POOL, { mulByConstantOnly: true }, how);
  });

  part("need", async () => {
    await recordAnswer(ex, "NEED_MIN_POOL");
  });

  part("answer", async () => {
    await recordAnswer(ex, "WHY_MIN_POOL");
  });
});
