/**
 * d2l-en Exercise 3 — max via ReLU; 2×2 max pooling from convolutions and ReLU; layers and channels.
 * Expected values: torch.maximum and F.maxPool2d (independent of the reference); reluTournament from
 * the reference, and for 2×2 / 3×3 from the counts worked out by hand in the stub's construction.
 */
import * as ref from "../../solutions/max-via-relu";
import { F, torch, Tensor, callStudent, checkCall, checkOps, fail, fc, gradeExercise, property, student, type Outcome } from "../../src/grader/spec/harness";
import { ARITHMETIC_OPS, CONV_OPS, RELU_OPS, SHAPE_OPS } from "../../src/grader/trace/rules";
import { EXACT, showValue, typeName, type Tolerance } from "../../src/grader/spec/feedback";
import { join, text, type Text } from "../../src/grader/i18n";
import { tensorOf } from "./support/arbitraries";
import { poolingHint, sameValues, type PoolCall } from "./support/hints";

const ex = student("max-via-relu");

/** b + ReLU(a − b) rounds twice: allow a few ulps of the larger magnitude. */
function roundingTol(...ts: Tensor[]): Tolerance {
  const big = Math.max(1, ...ts.map((t) => t.abs().max().item() as number));
  const eps = ts[0].dtype === "float64" ? 2 ** -52 : 2 ** -23;
  return { rtol: 4 * eps, atol: 4 * eps * big };
}

/** What the maximum may be made of: relu, add, sub, neg, and mul by constants (and reshaping). */
const MAX_OPS = [...RELU_OPS, ...ARITHMETIC_OPS, ...SHAPE_OPS];
/** What the pooling may be made of: conv2d with fixed kernels, relu, + and − (and reshaping). */
const POOL_OPS = [...CONV_OPS, ...RELU_OPS, "Tensor#add", "Tensor#sub", "Tensor#neg", "torch.add", ...SHAPE_OPS];

const maxIdea = text(
  "ReLU(t) = max(0, t) 只在 t 为正时保留 t。a − b 什么时候为正？这时 a 比 b 大多少？",
  "ReLU(t) = max(0, t) keeps t only when it is positive. When is a − b positive, and by how much is a then larger than b?",
);

/** The concept first; and when the result is the amount by which a exceeds b, say so. */
function maxHint(o: Outcome): Text {
  const [a, b] = o.args as [Tensor, Tensor];
  if (a instanceof Tensor && b instanceof Tensor && sameValues(o.actual, a.sub(b).relu())) {
    return text(
      "你的结果是 ReLU(a − b)：a 比 b 大出的量（a 不比 b 大时为 0）。最大值是把这个量加到两个数中的某一个上——加到哪一个？",
      "your result is ReLU(a − b): how much a exceeds b (0 when it does not). The maximum is that amount added to one of the two numbers — which one?",
    );
  }
  return maxIdea;
}

/** maxPool2x2ViaRelu(X) is a 2×2 pooling with stride 2 and no padding: for the output-size hint. */
const pool2x2 = (args: readonly unknown[]): PoolCall | null =>
  args[0] instanceof Tensor ? { X: args[0], k: [2, 2], s: [2, 2], p: [0, 0], defaultStride: false } : null;

gradeExercise(ex, (part) => {
  part("max-values", async () => {
    await checkCall(ex, { fn: "maxViaRelu", args: [torch.tensor([1, -2, 3]), torch.tensor([0, -1, 5])], expected: torch.tensor([1, -1, 5]), tol: EXACT, hint: maxHint });
    const pairs = fc
      .record({ rows: fc.integer({ min: 1, max: 4 }), cols: fc.integer({ min: 1, max: 5 }) })
      .chain(({ rows, cols }) => fc.tuple(tensorOf([rows, cols], { values: "floats", dtype: "float64" }), tensorOf([rows, cols], { values: "floats", dtype: "float64" })));
    await property(pairs, async ([a, b]) => {
      await checkCall(ex, { fn: "maxViaRelu", args: [a, b], names: ["a", "b"], expected: torch.maximum(a, b), tol: roundingTol(a, b), hint: maxHint });
    });
  });

  part("max-edge", async () => {
    const a = torch.tensor([2, 0, -0.5, -3, 1e4, -1e4, 7, 1.5]);
    const b = torch.tensor([2, 0, -0.5, -4, -1e4, 1e4, -7, 1.25]);
    await checkCall(ex, { fn: "maxViaRelu", args: [a, b], names: ["a", "b"], expected: torch.maximum(a, b), tol: roundingTol(a, b), hint: (o) => join([maxHint(o), text("检查一下相等（a = b）、负数以及两种先后顺序。", " Check ties (a = b), negatives and both orders.")]) });
    const n = torch.tensor([NaN, 1, NaN]);
    const m = torch.tensor([1, NaN, NaN]);
    await checkCall(ex, { fn: "maxViaRelu", args: [n, m], names: ["a", "b"], expected: torch.maximum(n, m), tol: EXACT, hint: text(
        "NaN 会传播，与 torch.maximum 相同：relu(NaN) 是 NaN，NaN 加任何数都是 NaN——所以不要用任何会把 NaN 变成数的运算。",
        "NaN propagates, as torch.maximum: relu(NaN) is NaN, and NaN + anything is NaN — so avoid anything that turns a NaN into a number.",
      ),
    });
  });

  part("max-only-relu", async () => {
    const args = [torch.tensor([[1, -2], [3, 0]]), torch.tensor([[0, -1], [5, 0]])];
    await checkCall(ex, { fn: "maxViaRelu", args, names: ["a", "b"], expected: torch.tensor([[1, -1], [5, 0]]), tol: EXACT, hint: maxHint });
    await checkOps(ex, "maxViaRelu", args, MAX_OPS, { mulByConstantOnly: true }, join([text("对张量只用 .relu()、.add()、.sub()、.neg() 和 .mul(常数)。", "use only .relu(), .add(), .sub(), .neg() and .mul(constant) on tensors. "), maxIdea]));
  });

  const poolIdea = text(
    "2×2 卷积核、步幅 2 的 conv2d 对每个输出恰好看到一个窗口，它的每个输出通道可以是窗口四个元素的任意固定组合。" +
      "四个数的最大值是两对数各自最大值中的最大值；在两层 ReLU 之间，用 1×1 卷积组合各通道。",
    "a conv2d with 2×2 kernels and stride 2 sees exactly one window per output, and each of its output channels can be any fixed combination of the window's four cells. " +
      "The maximum of four is the maximum of two maxima of pairs; between ReLU layers, 1×1 convolutions combine channels.",
  );
  const poolHint = poolingHint(poolIdea, pool2x2);

  part("pool-seed", async () => {
    const X = torch.arange(16, { dtype: "float32" }).reshape(1, 1, 4, 4);
    await checkCall(ex, { fn: "maxPool2x2ViaRelu", args: [X], expected: F.maxPool2d(X, 2), tol: roundingTol(X), hint: poolHint });
    const S = torch.tensor([[0, 1, 2], [3, 4, 5], [6, 7, 8]]).reshape(1, 1, 3, 3);
    await checkCall(ex, { fn: "maxPool2x2ViaRelu", args: [S], expected: torch.tensor([[[[4]]]]), tol: roundingTol(S), hint: poolingHint(text("奇数时最后一行/列被舍弃，与 F.maxPool2d(X, 2) 相同。", "an odd last row/column is dropped, as F.maxPool2d(X, 2) does."), pool2x2) });
    const N = X.neg();
    await checkCall(ex, { fn: "maxPool2x2ViaRelu", args: [N], expected: F.maxPool2d(N, 2), tol: roundingTol(N), hint: poolingHint(
        text(
          "负的输入：ReLU 层会去掉每个通道的负数部分，所以一个要原样穿过某一层的值需要两个通道：ReLU(v) 和 ReLU(−v)。",
          "negative inputs: a ReLU layer drops the negative part of every channel, so a value that must get through a layer needs two channels, ReLU(v) and ReLU(−v).",
        ),
        pool2x2,
      ),
    });
  });

  part("pool-channels-batch", async () => {
    torch.manualSeed(4);
    const X = torch.randn(2, 3, 4, 6);
    await checkCall(ex, { fn: "maxPool2x2ViaRelu", args: [X], expected: F.maxPool2d(X, 2), tol: roundingTol(X), hint: poolingHint(text("每个通道单独汇聚：把 (N, C, H, W) reshape 成 (N·C, 1, H, W)，每个平面就按同样的方式汇聚。", "each channel is pooled on its own: reshaping (N, C, H, W) to (N·C, 1, H, W) pools every plane alike."), pool2x2) });
    const Y = torch.randn(3, 6, 4);
    await checkCall(ex, { fn: "maxPool2x2ViaRelu", args: [Y], expected: F.maxPool2d(Y, 2), tol: roundingTol(Y), hint: poolingHint(text("三维输入 (C, H, W) 得到 (C, ⌊H/2⌋, ⌊W/2⌋)。", "a 3-D input (C, H, W) gives (C, ⌊H/2⌋, ⌊W/2⌋)."), pool2x2) });
  });

  part("pool-random", async () => {
    const inputs = fc
      .record({ n: fc.integer({ min: 1, max: 2 }), c: fc.integer({ min: 1, max: 3 }), h: fc.integer({ min: 2, max: 7 }), w: fc.integer({ min: 2, max: 7 }) })
      .chain(({ n, c, h, w }) => tensorOf([n, c, h, w], { values: "floats" }));
    await property(inputs, async (X) => {
      await checkCall(ex, { fn: "maxPool2x2ViaRelu", args: [X], expected: F.maxPool2d(X, 2), tol: roundingTol(X), hint: poolHint });
    });
  });

  part("pool-only-conv-relu", async () => {
    const X = torch.tensor([[[[1, -3], [2, 0]]]]);
    await checkCall(ex, { fn: "maxPool2x2ViaRelu", args: [X], expected: torch.tensor([[[[2]]]]), tol: roundingTol(X), hint: poolHint });
    await checkOps(ex, "maxPool2x2ViaRelu", [X], POOL_OPS, { constantWeights: true }, join([text("只用你构造的卷积核做 conv2d，以及 .relu()、reshape 和加减：", "use conv2d with kernels you build, .relu(), reshape, and + / − only: "), poolIdea]));
  });

  part("pool-dtype", async () => {
    // Multiples of 0.25 (exact in float32 too): only the dtype is graded here.
    const X = torch.arange(32, { dtype: "float64" }).reshape(1, 2, 4, 4).mul(-0.25);
    await checkCall(ex, { fn: "maxPool2x2ViaRelu", args: [X], expected: F.maxPool2d(X, 2), tol: roundingTol(X), hint: poolHint });
  });

  // reluTournament answers a counting question: feedback says which count is off and how to count
  // it, never the expected numbers (n = 4 and n = 9 ARE the question).
  part("sizes-2x2", async () => {
    // By hand: 4 values → 2 pairs (6 channels) → 2 values → 1 pair (3 channels) → 1 value.
    await checkTournament(4, { layers: 2, channels: [6, 3] });
  });

  part("sizes-3x3", async () => {
    // By hand: 9 → 4 pairs + 1 carried (14) → 5 → 2 pairs + 1 (8) → 3 → 1 pair + 1 (5) → 2 → 1 pair (3) → 1.
    await checkTournament(9, { layers: 4, channels: [14, 8, 5, 3] });
    for (const n of [1, 2, 3]) await checkCall(ex, { fn: "reluTournament", args: [n], expected: ref.reluTournament, tol: EXACT, hint: tournamentIdea });
  });
});

const tournamentIdea = text(
  "每一层 ReLU：进入的 n 个值组成 ⌊n/2⌋ 对相邻的值（每对 3 个通道），n 为奇数时多出的一个值被带到下一层（2 个通道）；下一层得到 ⌈n/2⌉ 个值；直到只剩一个值为止。",
  "per ReLU layer: the n values coming in form ⌊n/2⌋ pairs of neighbours (3 channels each), and when n is odd one value is carried (2 channels); the next layer gets ⌈n/2⌉ values; stop at one value.",
);

/**
 * Checks reluTournament(cells) against the hand-worked counts without printing them: the feedback
 * says which count is off and what the student's function gave for it — the student's own numbers,
 * never the expected ones.
 */
async function checkTournament(cells: number, expected: { layers: number; channels: number[] }): Promise<void> {
  const call = `reluTournament(${cells})`;
  const r = await callStudent(ex, { fn: "reluTournament", args: [cells] });
  if (r === null || typeof r !== "object" || Array.isArray(r) || r instanceof Tensor) fail(join([text(`${call} 应返回对象 { layers, channels }，实际是 `, `${call} should return an object { layers, channels }, got `), typeName(r)]));
  const { layers, channels } = r as { layers?: unknown; channels?: unknown };
  if (typeof layers !== "number") fail(text(`${call}：'layers' 应是一个数，实际是 ${showValue(layers)}`, `${call}: 'layers' should be a number, got ${showValue(layers)}`));
  if (!Array.isArray(channels) || !channels.every((c) => typeof c === "number")) {
    fail(text(`${call}：'channels' 应是数的数组，每层 ReLU 一个数，实际是 ${showValue(channels)}`, `${call}: 'channels' should be an array of numbers, one per ReLU layer, got ${showValue(channels)}`));
  }
  const given = showValue(r);
  const yours = text(`  你的函数返回 ${given}`, `  your function returned ${given}`);
  if (layers !== channels.length) {
    fail({
      headline: text(
        `${call}：'layers' 是 ${layers}，但 'channels' 列出了 ${channels.length} 层：每层 ReLU 应有一项`,
        `${call}: 'layers' is ${layers} but 'channels' lists ${channels.length} layer(s): one entry per ReLU layer`,
      ),
      notes: [yours],
    });
  }
  if (layers !== expected.layers) {
    fail({
      headline: text(`${call}：你给出的 ${layers} 层 ReLU 对 ${cells} 个元素的窗口不对`, `${call}: your ${layers} ReLU layer(s) is not right for a window of ${cells} cells`),
      notes: [yours],
      hint: text(
        `每一层 ReLU 把 n 个值变成 ⌈n/2⌉ 个（每对变成它们的最大值，多出的一个被带到下一层）。从 ${cells} 个值开始，要几层才只剩一个值？`,
        `each ReLU layer turns n values into ⌈n/2⌉ (pairs become their maximum, an odd one is carried). How many layers until one value is left, starting from ${cells}?`,
      ),
    });
  }
  const wrong = expected.channels.findIndex((c, i) => channels[i] !== c);
  if (wrong >= 0) {
    const layer = wrong + 1;
    const into =
      wrong === 0
        ? text(`窗口的 ${cells} 个元素`, `the ${cells} cells of the window`)
        : text(`上一层留下的值（它的 n 个值变成 ⌈n/2⌉ 个）`, "the values the layer before it leaves (⌈n/2⌉ of its n)");
    fail({
      headline: text(
        `${call}：第 ${layer} 层的通道数不对：你给出 channels[${wrong}] = ${channels[wrong]}`,
        `${call}: the channel count of layer ${layer} is wrong: you gave channels[${wrong}] = ${channels[wrong]}`,
      ),
      notes: [yours],
      hint: join([
        text(`第 ${layer} 层的输入是`, `layer ${layer} takes `),
        into,
        text("：它们能组成几对（每对 3 个通道）？有没有多出一个要带到下一层（2 个通道）？", ": how many pairs do they form (3 channels each), and is one left over to carry (2 channels)?"),
      ]),
    });
  }
}
