/**
 * 练习 5 / Exercise 6 — min pooling from max pooling.
 * Expected values: the seed's printed output, a brute-force window minimum written out here
 * (independent of max pooling), F.maxPool2d's index conventions, and the reference solution.
 */
import * as ref from "../../solutions/min-pool";
import { EXACT } from "../../src/grader/spec/feedback";
import { F, torch, Tensor, checkCall, fail, getStudent, gradeExercise, property, recordAnswer, student } from "../../src/grader/spec/harness";
import { poolCase, type Geometry } from "./support/arbitraries";

const ex = student("min-pool");

const seedX = () => torch.tensor([[0, 1, 2], [3, 4, 5], [6, 7, 8]]).reshape(1, 1, 3, 3);
const hint = "min(x) = −max(−x): F.maxPool2d(X.neg(), kernelSize, options).neg(). Padding then still never takes part.";

/** The minimum of every window, by brute force over the window clipped to the input (NaN wins). */
function bruteMin(X: Tensor, g: Geometry): Tensor {
  const lead = X.shape.slice(0, -2);
  const [H, W] = X.shape.slice(-2);
  const planes = lead.reduce((p, d) => p * d, 1);
  const outH = Math.floor((H + 2 * g.ph - g.kh) / g.sh) + 1;
  const outW = Math.floor((W + 2 * g.pw - g.kw) / g.sw) + 1;
  const out = new Float32Array(planes * outH * outW);
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
  return new Tensor(out, [...lead, outH, outW], "float32");
}

gradeExercise(ex, (part) => {
  part("seed", async () => {
    await checkCall(ex, { fn: "minPool2d", args: [seedX(), [2, 2], { stride: 1 }], expected: torch.tensor([[[[0, 1], [3, 4]]]]), tol: EXACT, hint }); // the seed's output
  });

  part("padding-stride-channels", async () => {
    const X = torch.arange(16, { dtype: "float32" }).reshape(1, 1, 4, 4);
    const X2 = torch.cat([X, X.add(1)], 1);
    const g = (kh: number, kw: number, sh: number, sw: number, ph: number, pw: number): Geometry => ({ kh, kw, sh, sw, ph, pw });
    await checkCall(ex, { fn: "minPool2d", args: [X2, 3, { padding: 1, stride: 2 }], expected: bruteMin(X2, g(3, 3, 2, 2, 1, 1)), tol: EXACT, hint: `padding must not give 0 (the border windows' minimum is a real cell). ${hint}` });
    await checkCall(ex, { fn: "minPool2d", args: [X, [2, 3], { stride: [2, 3], padding: [0, 1] }], expected: bruteMin(X, g(2, 3, 2, 3, 0, 1)), tol: EXACT, hint });
    await checkCall(ex, { fn: "minPool2d", args: [X, 2], expected: bruteMin(X, g(2, 2, 2, 2, 0, 0)), tol: EXACT, hint: `stride left out means the window size. ${hint}` });
  });

  part("nan-ties", async () => {
    const X = torch.tensor([[[[1, NaN, 2, 2], [3, 4, 2, 2], [-Infinity, 0, Infinity, 5], [1, 1, 6, 7]]]]);
    await checkCall(ex, { fn: "minPool2d", args: [X, 2], expected: F.maxPool2d(X.neg(), 2).neg(), tol: EXACT, hint: `a NaN in a window gives NaN; −inf is a fine minimum. ${hint}` });
  });

  part("random", async () => {
    await property(poolCase({}, { values: "quarters" }), async ({ g, X }) => {
      await checkCall(ex, { fn: "minPool2d", args: [X, [g.kh, g.kw], { stride: [g.sh, g.sw], padding: [g.ph, g.pw] }], expected: bruteMin(X, g), tol: EXACT, hint });
    });
  });

  part("indices", async () => {
    const ihint = "F.maxPool2d(X.neg(), k, { ...options, returnIndices: true }) gives [values, indices]; negate the values only. Indices are flat per plane (h·W + w); the first minimum wins a tie.";
    await checkCall(ex, { fn: "minPool2dWithIndices", args: [torch.tensor([[[[3, 1], [1, 2]]]]), 2], expected: [torch.tensor([[[[1]]]]), torch.tensor([[[[1]]]], { dtype: "int64" })], tol: EXACT, hint: ihint });
    await property(poolCase({}, { values: "quarters" }), async ({ g, X }) => {
      await checkCall(ex, { fn: "minPool2dWithIndices", args: [X, [g.kh, g.kw], { stride: [g.sh, g.sw], padding: [g.ph, g.pw] }], expected: ref.minPool2dWithIndices, tol: EXACT, hint: ihint });
    }, { numRuns: 20 });
  });

  part("need", async () => {
    const v = await getStudent(ex, "NEED_MIN_POOL");
    if (v === null || v === undefined) fail("NEED_MIN_POOL: not answered yet (set it to true or false)");
    if (typeof v !== "boolean") fail(`NEED_MIN_POOL should be true or false, got ${JSON.stringify(v)}`);
    if (v !== false) fail({ headline: "NEED_MIN_POOL: not quite — think again about what minPool2d is made of", hint: "you built min pooling from max pooling and two negations: no new layer type is needed." });
  });

  part("answer", async (context) => {
    await recordAnswer(ex, "WHY_MIN_POOL", context);
  });
});
