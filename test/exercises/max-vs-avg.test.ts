/**
 * 练习 4 / Exercise 5 — where and by how much max and average pooling change under a shift or noise.
 * Expected values: change maps worked out by hand (each case says how), statements computed here
 * independently (identity pool with plain loops, constant images, scaling laws), and the reference
 * solution on random cases.
 */
import * as ref from "../../solutions/max-vs-avg";
import { torch, checkCall, fc, gradeExercise, pool, property, recordAnswer, student, Tensor, type Outcome } from "../../src/grader/spec/harness";
import { tensorOf } from "./support/arbitraries";
import type { Tolerance } from "../../src/grader/spec/feedback";
import { join, text, type Text } from "../../src/grader/i18n";

const ex = student("max-vs-avg");

/** Differences of float32 values up to 10 in magnitude, computed in any order. */
const TOL: Tolerance = { rtol: 1e-5, atol: 1e-5 };
const max2 = pool({ op: "max", kernelSize: 2 });
const avg2 = pool({ op: "avg", kernelSize: 2 });
const max2s1 = pool({ op: "max", kernelSize: 2, stride: 1 });
const avg2s1 = pool({ op: "avg", kernelSize: 2, stride: 1 });
const max3s1 = pool({ op: "max", kernelSize: 3, stride: 1 });
const avg3s1 = pool({ op: "avg", kernelSize: 3, stride: 1 });
const identity = pool({ op: "identity" });

const shiftRecipe = text(
  '在 X 的最后一个维度上裁剪两次——第 d…W−1 列和第 0…W−d−1 列——分别汇聚，再逐个输出比较（取差的绝对值）。X.index("...", [d, null]) 就是 PyTorch 的 X[..., d:]，对三维和四维输入都适用。',
  'crop the LAST dimension of X twice — columns d…W−1 and 0…W−d−1 — pool both crops and compare them output by output (absolute difference). X.index("...", [d, null]) is PyTorch\'s X[..., d:] and works on 3-D and 4-D inputs alike.',
);
const noiseRecipe = text(
  "分别汇聚加了噪声的图像和原图像，再逐个输出比较（差的绝对值，是一个张量，不是它的平均值）。X.add(noise) 会生成新张量，X 本身不变。",
  "pool the noisy image and the clean one, then compare output by output (absolute difference, a tensor, not its mean). X.add(noise) makes a new tensor and leaves X as it is.",
);

/** What a map with a negative value is missing (a change is a size), or undefined. */
function negativeNote(o: Outcome): Text | undefined {
  const negative = o.actual instanceof Tensor ? Array.from(o.actual.data).find((v) => v < 0) : undefined;
  if (negative === undefined) return undefined;
  return text(`你的结果里有负数（例如 ${negative}）：变化是大小，要取差的绝对值（.abs()）。`, `your map holds negative values (${negative}, for one): a change is a size — take the absolute value of the difference (.abs()). `);
}
const unsigned = (recipe: Text) => (o: Outcome) => {
  const note = negativeNote(o);
  return note ? join([note, recipe]) : recipe;
};
const shiftHint = unsigned(shiftRecipe);
const dtypeHint = text("变化图的 dtype 与 pool 的输出相同：输入 float64，输出也是 float64。", "the map has the dtype of pool's output: float64 in, float64 out.");
const noiseHint = unsigned(noiseRecipe);

/** A 1×1×H×W image whose rows are all `row`. */
function rows(row: number[], H = 2): Tensor {
  return torch.tensor(Array.from({ length: H }, () => row)).reshape(1, 1, H, row.length);
}

/** The edge image of 6.2: ones, with columns 2..5 black. */
function edgeImage(): Tensor {
  const X = torch.ones(1, 1, 6, 8);
  X.set(["...", [2, 6]], 0);
  return X;
}

function checkerboard(h: number, w: number): Tensor {
  return torch.tensor(Array.from({ length: h }, (_, i) => Array.from({ length: w }, (_, j) => (i + j) % 2))).reshape(1, 1, h, w);
}

/** |X[…, j + d] − X[…, j]| for j < W − d, written out with plain loops (the identity pool's change map). */
function neighbourChange(X: Tensor, d: number): Tensor {
  const W = X.shape[X.dim() - 1];
  const lines = X.numel() / W;
  const out: number[] = [];
  for (let r = 0; r < lines; r++) for (let j = 0; j + d < W; j++) out.push(Math.abs(X.data[r * W + j + d] - X.data[r * W + j]));
  return torch.tensor(out, { dtype: X.dtype }).reshape(...X.shape.slice(0, -1), W - d);
}

const images = fc
  .record({ rank: fc.constantFrom(3, 4), c: fc.integer({ min: 1, max: 2 }), h: fc.integer({ min: 3, max: 7 }), w: fc.integer({ min: 5, max: 9 }) })
  .chain(({ rank, c, h, w }) => tensorOf(rank === 4 ? [1, c, h, w] : [c, h, w], { values: "floats" }));
const shifts = fc.integer({ min: 0, max: 2 });

const pools = fc.constantFrom(
  { op: "max", kernelSize: 2, stride: 1 } as const,
  { op: "avg", kernelSize: 2, stride: 1 } as const,
  { op: "max", kernelSize: 2 } as const,
  { op: "avg", kernelSize: 2 } as const,
  { op: "max", kernelSize: [2, 3], stride: [1, 2] } as const,
  { op: "avg", kernelSize: 3, stride: 1, padding: 1 } as const,
);

gradeExercise(ex, (part) => {
  part("shift-known", async () => {
    // A vertical line in column 3 of a 2×6 image, 2×2 windows with stride 2 (columns 0–1, 2–3).
    // d = 1 moves it to column 2: the same window, so nothing changes; d = 2 moves it to column 1:
    // the window over columns 0–1 gains it, the one over 2–3 loses it (max: by 1; average: by 2/4).
    const line = rows([0, 0, 0, 1, 0, 0]);
    await checkCall(ex, { fn: "shiftChange", args: [max2, line], expected: torch.tensor([[[[0, 0]]]]), tol: TOL, hint: shiftHint });
    await checkCall(ex, { fn: "shiftChange", args: [max2, line, 2], expected: torch.tensor([[[[1, 1]]]]), tol: TOL, hint: shiftHint });
    await checkCall(ex, { fn: "shiftChange", args: [avg2, line, 2], expected: torch.tensor([[[[0.5, 0.5]]]]), tol: TOL, hint: shiftHint });
    // A peak with weaker neighbours, [0, 0, .25, 1, .5, 0, 0], moved one pixel: cropped rows
    // [0, .25, 1, .5, 0, 0] and [0, 0, .25, 1, .5, 0]. Max of pairs: [.25, 1, 0] vs [0, 1, .5];
    // averages: [.125, .75, 0] vs [0, .625, .25]. The max keeps the peak's window exactly.
    const peak = rows([0, 0, 0.25, 1, 0.5, 0, 0]);
    await checkCall(ex, { fn: "shiftChange", args: [max2, peak], expected: torch.tensor([[[[0.25, 0, 0.5]]]]), tol: TOL, hint: shiftHint });
    await checkCall(ex, { fn: "shiftChange", args: [avg2, peak], expected: torch.tensor([[[[0.125, 0.125, 0.25]]]]), tol: TOL, hint: shiftHint });
    // 6.2's edge image, 2×2 windows with stride 1. Cropped rows 1 0 0 0 0 1 1 and 1 1 0 0 0 0 1:
    // maxima of neighbours 1 0 0 0 1 1 vs 1 1 0 0 0 1, means .5 0 0 0 .5 1 vs 1 .5 0 0 0 .5.
    const edgeRow = (values: number[]) => torch.tensor(Array.from({ length: 5 }, () => values)).reshape(1, 1, 5, 6);
    await checkCall(ex, { fn: "shiftChange", args: [max2s1, edgeImage()], expected: edgeRow([0, 1, 0, 0, 1, 0]), tol: TOL, hint: shiftHint });
    await checkCall(ex, { fn: "shiftChange", args: [avg2s1, edgeImage()], expected: edgeRow([0.5, 0.5, 0, 0, 0.5, 0.5]), tol: TOL, hint: shiftHint });
    // A checkerboard: every 3×3 window holds a 1 wherever it sits, so the max never changes, while
    // the window means alternate between 4/9 and 5/9 (a change of 1/9 everywhere).
    const C = checkerboard(8, 9);
    await checkCall(ex, { fn: "shiftChange", args: [max3s1, C], expected: torch.zeros(1, 1, 6, 6), tol: TOL, hint: shiftHint });
    await checkCall(ex, { fn: "shiftChange", args: [avg3s1, C], expected: torch.full([1, 1, 6, 6], 1 / 9), tol: TOL, hint: shiftHint });
  });

  part("shift-identity", async () => {
    await property(fc.tuple(images, shifts), async ([X, d]) => {
      await checkCall(ex, {
        fn: "shiftChange",
        args: [identity, X, d],
        names: [, "X", "d"],
        expected: neighbourChange(X, d),
        tol: TOL,
        hint: (o: Outcome) => join([text("pool 为恒等函数时，输出 [..., j] 就是 |X[..., j + d] − X[..., j]|。", "with pool = identity, output [..., j] is |X[..., j + d] − X[..., j]|. "), shiftHint(o)]),
      });
    }, { numRuns: 15 });
    await checkCall(ex, { fn: "shiftChange", args: [max2s1, torch.full([2, 4, 5], 3, { dtype: "float32" })], expected: torch.zeros(2, 3, 3), tol: TOL, hint: text("常数图像平移后不会改变。", "a constant image does not change when shifted.") });
    torch.manualSeed(5);
    await checkCall(ex, { fn: "shiftChange", args: [avg2, torch.randn(1, 2, 4, 6), 0], names: [, "X", "d"], expected: torch.zeros(1, 2, 2, 3), tol: TOL, hint: text("d = 0 是把图像和它自己比较。", "d = 0 compares the image with itself.") });
  });

  part("shift-random", async () => {
    await property(fc.tuple(pools, images, shifts), async ([spec, X, d]) => {
      await checkCall(ex, { fn: "shiftChange", args: [pool(spec), X, d], names: [, "X", "d"], expected: ref.shiftChange, tol: TOL, hint: shiftHint });
    });
  });

  part("noise-known", async () => {
    // Worked by hand: max — only the first window changes, by 1 (the −1 loses to the 0s around it);
    // average — each window changes by 1/4.
    const X = torch.zeros(1, 1, 2, 4);
    const noise = torch.tensor([[[[1, 0, 0, 0], [0, 0, -1, 0]]]]);
    const names = [, "X", "noise"] as const;
    await checkCall(ex, { fn: "noiseChange", args: [max2, X, noise], names, expected: torch.tensor([[[[1, 0]]]]), tol: TOL, hint: noiseHint });
    await checkCall(ex, { fn: "noiseChange", args: [avg2, X, noise], names, expected: torch.tensor([[[[0.25, 0.25]]]]), tol: TOL, hint: noiseHint });
    // A sparse peak with a little noise: the max stays on the peak and moves by the noise there (0.1);
    // the average moves by the mean noise of the window, (0.1 + 0.2 − 0.1 + 0)/4 = 0.05.
    const peak = torch.tensor([[[[1, 0], [0, 0]]]]);
    const small = torch.tensor([[[[0.1, 0.2], [-0.1, 0]]]]);
    await checkCall(ex, { fn: "noiseChange", args: [max2, peak, small], names, expected: torch.tensor([[[[0.1]]]]), tol: TOL, hint: noiseHint });
    await checkCall(ex, { fn: "noiseChange", args: [avg2, peak, small], names, expected: torch.tensor([[[[0.05]]]]), tol: TOL, hint: noiseHint });
    torch.manualSeed(6);
    const Y = torch.randn(2, 5, 6);
    await checkCall(ex, { fn: "noiseChange", args: [max2s1, Y, torch.zeros(2, 5, 6)], names, expected: torch.zeros(2, 4, 5), tol: TOL, hint: text("没有噪声，就没有变化。", "no noise, no change.") });
    const n = torch.randn(2, 5, 6);
    await checkCall(ex, { fn: "noiseChange", args: [identity, Y, n], names, expected: n.abs(), tol: TOL, hint: (o: Outcome) => join([text("pool 为恒等函数时，答案就是 |noise|。", "with pool = identity the answer is |noise|. "), noiseHint(o)]) });
    await checkCall(ex, { fn: "noiseChange", args: [max2s1, Y, torch.full([2, 5, 6], -0.5)], names, expected: torch.full([2, 4, 5], 0.5), tol: TOL, hint: (o: Outcome) => join([text("常数噪声 c 会让每个最大值恰好移动 c。", "a constant noise c moves every max by exactly c. "), noiseHint(o)]) });
  });

  part("noise-random", async () => {
    await property(fc.tuple(pools, images).chain(([spec, X]) => tensorOf([...X.shape], { values: "floats" }).map((n) => [spec, X, n.mul(0.1)] as const)), async ([spec, X, n]) => {
      await checkCall(ex, { fn: "noiseChange", args: [pool(spec), X, n], names: [, "X", "noise"], expected: ref.noiseChange, tol: TOL, hint: noiseHint });
    });
  });

  part("properties", async () => {
    // float64 in, float64 out: the maps keep pool's dtype.
    const line64 = rows([0, 0, 0, 1, 0, 0]).double();
    await checkCall(ex, { fn: "shiftChange", args: [max2, line64, 2], expected: torch.tensor([[[[1, 1]]]], { dtype: "float64" }), tol: TOL, hint: (o: Outcome) => negativeNote(o) ?? dtypeHint });
    await checkCall(ex, { fn: "noiseChange", args: [avg2, line64, line64], names: [, "X", "noise"], expected: torch.tensor([[[[0, 0.5, 0]]]], { dtype: "float64" }), tol: TOL, hint: (o: Outcome) => negativeNote(o) ?? dtypeHint });
    // Positive scaling: max(a·x) = a·max(x) for a > 0, so both maps scale by a; the average pool is
    // linear, so for it any a scales them by |a|.
    torch.manualSeed(7);
    const X = torch.randn(1, 2, 5, 6);
    const n = torch.randn(1, 2, 5, 6).mul(0.3);
    for (const [p, a] of [[max2s1, 2.5], [avg2s1, -3]] as const) {
      await checkCall(ex, { fn: "shiftChange", args: [p, X.mul(a)], expected: ref.shiftChange(p, X).mul(Math.abs(a)), tol: TOL, hint: (o: Outcome) => join([text(`把图像乘以 ${a}，这个 pool 的输出差就乘以 |${a}|，所以变化图也随之缩放。`, `scaling the image by ${a} scales this pool's output by |${a}|, so the map scales too. `), shiftHint(o)]) });
      await checkCall(ex, { fn: "noiseChange", args: [p, X.mul(a), n.mul(a)], names: [, "X", "noise"], expected: ref.noiseChange(p, X, n).mul(Math.abs(a)), tol: TOL, hint: noiseHint });
    }
  });

  part("answer", async () => {
    await recordAnswer(ex, "WHY_DIFFERENT");
  });
});
