/**
 * 练习 1 / Exercise 1 — average pooling as a special case of convolution.
 * Expected values: the reference solution (solutions/avg-pool-as-conv.ts) on copies of the inputs,
 * and, independently, F.avgPool2d, conv2d of the student's own weight, and the seed's printed outputs.
 * The weight is graded by what conv2d does with it, so no feedback prints the kernel the question asks for.
 */
import * as ref from "../../solutions/avg-pool-as-conv";
import { F, conv2d, torch, Tensor, callStudent, checkCall, fail, gradeExercise, property, student } from "../../src/grader/spec/harness";
import { block, compare, sumTol, typeName } from "../../src/grader/spec/feedback";
import { join, same, text, type Text } from "../../src/grader/i18n";
import { poolCase } from "./support/arbitraries";
import { poolingHint } from "./support/hints";

const ex = student("avg-pool-as-conv");

const seedX = () => torch.tensor([[0, 1, 2], [3, 4, 5], [6, 7, 8]]).reshape(1, 1, 3, 3);
const arange16 = () => torch.arange(16, { dtype: "float32" }).reshape(1, 1, 4, 4);

/** What a wrong weight shows: the wrong layout, channels mixed, or windows summed instead of averaged. */
function weightHint(C: number, kh: number, kw: number, W: Tensor): Text {
  let mixes = false;
  for (let o = 0; o < C; o++) for (let i = 0; i < C; i++) if (o !== i && W.index(o, i).abs().sum().item() !== 0) mixes = true;
  if (mixes) {
    return text(
      "输出通道 o 也读了输入通道 i ≠ o（那里的 weight[o, i] 不全为 0）：平均汇聚在每个通道上单独运算，不会把各通道加在一起。",
      "output channel o also reads input channels i ≠ o (weight[o, i] is not all 0 there): average pooling works on each channel separately, it does not add channels together.",
    );
  }
  if (W.index(0, 0).sub(1).abs().max().item() === 0) {
    return text("权重全为 1 时，conv2d 给出的是每个窗口的和（SUM）；平均汇聚要的是平均值。", "with all-ones weights, conv2d gives each window's SUM; average pooling gives its mean.");
  }
  return text(
    `conv2d 的每个输出是 ${kh}×${kw} 窗口中各元素的加权和：取什么样的相同权重，这个和才正好是窗口的平均值？`,
    `each output of conv2d is the weighted sum of the ${kh}×${kw} window's cells: which equal weights make that sum the window's mean?`,
  );
}

/**
 * The weight is graded by what it does — conv2d(X, W) against F.avgPool2d(X, k, { stride: 1 }) — so
 * the feedback shows the two outputs, never the weight the question asks for.
 */
async function checkWeight(C: number, k: number | [number, number], X: Tensor): Promise<void> {
  const [kh, kw] = typeof k === "number" ? [k, k] : k;
  const call = `avgPoolWeight(${C}, ${JSON.stringify(k).replace(",", ", ")})`;
  const W = await callStudent(ex, { fn: "avgPoolWeight", args: [C, k] });
  if (!(W instanceof Tensor)) fail(join([call, text("：应返回张量，实际是 ", ": expected a Tensor, got "), typeName(W)]));
  if (W.shape.join() !== [C, C, kh, kw].join()) {
    const [e, a] = [`[${C}, ${C}, ${kh}, ${kw}]`, `[${W.shape.join(", ")}]`];
    fail({
      headline: text(`${call}：形状不对：应为 ${e}，实际是 ${a}`, `${call}: wrong shape: expected ${e}, got ${a}`),
      hint: text("conv2d 的权重按 (C_out, C_in, k_h, k_w) 排列，这里 C_out = C_in = C。", "conv2d's weight has the layout (C_out, C_in, k_h, k_w), and here C_out = C_in = C."),
    });
  }
  if (W.dtype !== "float32") {
    fail(
      text(
        `${call}：dtype 不对：应为 float32，实际是 ${W.dtype}（torch.zeros、torch.ones 和 torch.full 默认创建 float32 张量）`,
        `${call}: wrong dtype: expected float32, got ${W.dtype} (torch.zeros, torch.ones and torch.full make float32 unless told otherwise)`,
      ),
    );
  }
  const pooled = F.avgPool2d(X, [kh, kw], { stride: 1 });
  const convolved = conv2d(X, W);
  const m = compare(pooled, convolved, sumTol(X, kh * kw));
  if (m) {
    const [lhs, rhs] = [`conv2d(X, ${call})`, `F.avgPool2d(X, ${JSON.stringify(k).replace(",", ", ")}, { stride: 1 })`];
    fail({
      headline: join([text(`${lhs} 不等于 ${rhs}：`, `${lhs} is not ${rhs}: `), m.summary]),
      notes: [block(same("X"), X), block(same("F.avgPool2d(X, …, { stride: 1 })"), pooled), block(text("用你的 W 计算的 conv2d(X, W)", "conv2d(X, W) with your W"), convolved)],
      hint: weightHint(C, kh, kw, W),
    });
  }
}

gradeExercise(ex, (part) => {
  part("weight-seed", async () => {
    await checkWeight(1, 2, seedX());
  });

  part("weight-channels", async () => {
    torch.manualSeed(3);
    await checkWeight(3, [2, 3], torch.randn(2, 3, 4, 6));
  });

  part("seed", async () => {
    await checkCall(ex, {
      fn: "avgPoolAsConv",
      args: [seedX(), [2, 2], { stride: 1 }],
      expected: torch.tensor([[[[2, 3], [5, 6]]]]), // the seed's printed output
      hint: poolingHint(text("每个输出是它下面 2×2 窗口的平均值；步幅为 1 时，相邻窗口互相重叠。", "each output is the mean of the 2×2 window under it; with stride 1 the windows overlap.")),
    });
  });

  part("default-stride", async () => {
    const HINT_STRIDE = poolingHint(text("不给步幅时，avgPoolAsConv 要像 F.avgPool2d 一样，以窗口大小作为步幅。", "with the stride left out, avgPoolAsConv must use the window size as the stride, as F.avgPool2d does."));
    await checkCall(ex, {
      fn: "avgPoolAsConv",
      args: [arange16(), 2],
      expected: F.avgPool2d(arange16(), 2),
      tol: sumTol(arange16(), 4),
      hint: HINT_STRIDE,
    });
    await checkCall(ex, { fn: "avgPoolAsConv", args: [arange16(), 3], expected: F.avgPool2d(arange16(), 3), tol: sumTol(arange16(), 9), hint: HINT_STRIDE });
  });

  part("padding-stride", async () => {
    // The chapter's settings: nn.MaxPool2d(3, padding=1, stride=2) and ((2, 3), stride=(2, 3), padding=(0, 1)).
    const hint = poolingHint(
      text(
        "填充按每一侧计，填充的 0 也计入平均值（countIncludePad）：边缘的窗口同样除以 k_h·k_w。",
        "padding is per side, and padded zeros count in the mean (countIncludePad): a window at the border still divides by k_h·k_w.",
      ),
    );
    await checkCall(ex, { fn: "avgPoolAsConv", args: [arange16(), 3, { padding: 1, stride: 2 }], expected: ref.avgPoolAsConv, tol: sumTol(arange16(), 9), hint });
    await checkCall(ex, { fn: "avgPoolAsConv", args: [arange16(), [2, 3], { stride: [2, 3], padding: [0, 1] }], expected: ref.avgPoolAsConv, tol: sumTol(arange16(), 6), hint });
    await checkCall(ex, { fn: "avgPoolAsConv", args: [arange16(), [3, 2], { stride: [1, 2], padding: [1, 1] }], expected: F.avgPool2d(arange16(), [3, 2], { stride: [1, 2], padding: [1, 1] }), tol: sumTol(arange16(), 6), hint });
  });

  part("channels-batch", async () => {
    const X = torch.cat([arange16(), arange16().add(1)], 1); // the chapter's two-channel input
    const hint = poolingHint(
      text(
        "通道数 C 是 X.shape[X.dim() - 3]，四维和三维输入都一样；每个通道单独汇聚。",
        "the number of channels C is X.shape[X.dim() - 3], for a 4-D and a 3-D input alike; each channel is pooled on its own.",
      ),
    );
    await checkCall(ex, { fn: "avgPoolAsConv", args: [X, 3, { padding: 1, stride: 2 }], expected: ref.avgPoolAsConv, tol: sumTol(X, 9), hint });
    torch.manualSeed(1);
    const B = torch.randn(3, 4, 5, 6);
    await checkCall(ex, { fn: "avgPoolAsConv", args: [B, [2, 3], { stride: [1, 2], padding: [1, 0] }], expected: F.avgPool2d(B, [2, 3], { stride: [1, 2], padding: [1, 0] }), tol: sumTol(B, 6), hint });
    await checkCall(ex, { fn: "avgPoolAsConv", args: [B.index(0), 2], expected: F.avgPool2d(B.index(0), 2), tol: sumTol(B, 4), hint: poolingHint(text("三维输入 (C, H, W) 没有批量维：C 是 X.shape[0]。", "a 3-D input (C, H, W) has no batch dimension: C is X.shape[0].")) });
  });

  part("random", async () => {
    await property(poolCase({}, { values: "floats" }), async ({ g, X }) => {
      await checkCall(ex, {
        fn: "avgPoolAsConv",
        args: [X, [g.kh, g.kw], { stride: [g.sh, g.sw], padding: [g.ph, g.pw] }],
        expected: ref.avgPoolAsConv,
        tol: sumTol(X, g.kh * g.kw),
        hint: poolingHint(),
      });
    });
  });

  part("dtype", async () => {
    // Multiples of 0.25: the mean is exact in float32 too, so only the dtype is graded here.
    const X = torch.arange(32, { dtype: "float64" }).reshape(1, 2, 4, 4).mul(0.25);
    await checkCall(ex, { fn: "avgPoolAsConv", args: [X, 2, { stride: 2 }], expected: F.avgPool2d(X, 2), tol: sumTol(X, 4), hint: poolingHint() });
  });
});
