/**
 * 练习 2 (d2l-zh) — max pooling over a convolution's sliding window.
 * Expected values: the seed's printed outputs, F.maxPool2d (PyTorch-exact, checked against PyTorch
 * fixtures in test/unit), and the reference solution.
 */
import * as ref from "../../solutions/max-pool-as-conv";
import { EXACT } from "../../src/grader/spec/feedback";
import { text } from "../../src/grader/i18n";
import { F, torch, checkCall, gradeExercise, property, student } from "../../src/grader/spec/harness";
import { poolCase } from "./support/arbitraries";
import { poolingHint, zeroStartOrPadding } from "./support/hints";

const ex = student("max-pool-as-conv");

const seedX = () => torch.tensor([[0, 1, 2], [3, 4, 5], [6, 7, 8]]).reshape(1, 1, 3, 3);
const arange16 = () => torch.arange(16, { dtype: "float32" }).reshape(1, 1, 4, 4);
const fn = "maxPoolAsConv";

gradeExercise(ex, (part) => {
  part("seed", async () => {
    await checkCall(ex, {
      fn,
      args: [seedX(), [2, 2], { stride: 1 }],
      expected: torch.tensor([[[[4, 5], [7, 8]]]]), // the seed's printed output
      tol: EXACT,
      hint: poolingHint(zeroStartOrPadding("max", text("每个输出是它下面 2×2 窗口中的最大值；步幅为 1 时，相邻窗口互相重叠。", "each output is the largest value of the 2×2 window under it; with stride 1 the windows overlap."))),
    });
  });

  part("default-stride", async () => {
    await checkCall(ex, {
      fn,
      args: [arange16(), 3],
      expected: torch.tensor([[[[10]]]]), // the seed: nn.MaxPool2d(3)(X)
      tol: EXACT,
      hint: poolingHint(
        text(
          "不给步幅时，窗口每次移动一个窗口大小（这里是 3），与 F.maxPool2d 相同——而不是像 conv2d 那样每次移动 1。",
          "with the stride left out, the windows move by the window size (3 here), as in F.maxPool2d — not by 1 as in conv2d.",
        ),
      ),
    });
  });

  part("padding-stride", async () => {
    const hint = poolingHint(
      zeroStartOrPadding(
        "max",
        text("输出 (i, j) 的窗口从第 i·s_h − p_h 行、第 j·s_w − p_w 列开始（填充按每一侧计）。", "the window of output (i, j) starts at row i·s_h − p_h and column j·s_w − p_w (padding is per side)."),
      ),
    );
    // The seed: nn.MaxPool2d(3, padding=1, stride=2) and nn.MaxPool2d((2, 3), stride=(2, 3), padding=(0, 1)).
    await checkCall(ex, { fn, args: [arange16(), 3, { padding: 1, stride: 2 }], expected: torch.tensor([[[[5, 7], [13, 15]]]]), tol: EXACT, hint });
    await checkCall(ex, { fn, args: [arange16(), [2, 3], { stride: [2, 3], padding: [0, 1] }], expected: torch.tensor([[[[5, 7], [13, 15]]]]), tol: EXACT, hint });
    const X = torch.arange(30, { dtype: "float32" }).reshape(1, 1, 5, 6);
    await checkCall(ex, { fn, args: [X, [3, 2], { stride: [1, 2], padding: [1, 1] }], expected: F.maxPool2d(X, [3, 2], { stride: [1, 2], padding: [1, 1] }), tol: EXACT, hint });
  });

  part("negative-padding", async () => {
    const X = arange16().sub(20); // all negative
    await checkCall(ex, {
      fn,
      args: [X, 3, { padding: 1, stride: 2 }],
      expected: F.maxPool2d(X, 3, { padding: 1, stride: 2 }),
      tol: EXACT,
      hint: poolingHint(
        zeroStartOrPadding(
          "max",
          text("填充的格子从不参与求最大值（相当于 −∞）：每个窗口的最大值都是它真实的某个元素。", "padding cells are never candidates for the maximum (they act as −∞): every window's maximum is one of its real cells."),
        ),
      ),
    });
  });

  part("channels-batch", async () => {
    const X = torch.cat([arange16(), arange16().add(1)], 1); // the seed's two-channel input
    await checkCall(ex, {
      fn,
      args: [X, 3, { padding: 1, stride: 2 }],
      expected: torch.tensor([[[[5, 7], [13, 15]], [[6, 8], [14, 16]]]]), // the seed's printed output
      tol: EXACT,
      hint: poolingHint(
        zeroStartOrPadding(
          "max",
          text(
            "每个通道单独汇聚：输出保留输入的通道数（这里是 2），不像卷积那样在通道上求和。",
            "pool each channel on its own: the output keeps the input's channels (2 here), unlike a convolution that sums over them.",
          ),
        ),
      ),
    });
    torch.manualSeed(2);
    const B = torch.randn(2, 3, 5, 4);
    await checkCall(ex, { fn, args: [B, [2, 3], { stride: [2, 1], padding: [1, 1] }], expected: F.maxPool2d(B, [2, 3], { stride: [2, 1], padding: [1, 1] }), tol: EXACT, hint: poolingHint(zeroStartOrPadding("max", text("批量 (N) 和通道 (C) 都保留：输出是 (N, C, H_out, W_out)。", "batch (N) and channels (C) are kept: the output is (N, C, H_out, W_out)."))) });
    await checkCall(ex, { fn, args: [B.index(1), 2], expected: F.maxPool2d(B.index(1), 2), tol: EXACT, hint: poolingHint(zeroStartOrPadding("max", text("三维输入 (C, H, W) 得到三维输出 (C, H_out, W_out)。", "a 3-D input (C, H, W) gives a 3-D output (C, H_out, W_out)."))) });
  });

  part("nan", async () => {
    const X = arange16();
    X.set([0, 0, 1, 1], NaN);
    await checkCall(ex, {
      fn,
      args: [X, 2, { stride: 1 }],
      expected: F.maxPool2d(X, 2, { stride: 1 }),
      tol: EXACT,
      hint: poolingHint(
        text(
          "每个包含 NaN 的窗口都必须得到 NaN，与 torch.max 相同：用 Tensor.max()，或者用 Number.isNaN 检查——单纯的 `v > best` 比较会跳过 NaN。",
          "every window containing the NaN must give NaN, as torch.max does: use Tensor.max(), or check Number.isNaN — a plain `v > best` comparison skips NaN.",
        ),
      ),
    });
  });

  part("random", async () => {
    await property(poolCase({ maxKernel: 3 }, { values: "quarters" }), async ({ g, X }) => {
      await checkCall(ex, {
        fn,
        args: [X, [g.kh, g.kw], { stride: [g.sh, g.sw], padding: [g.ph, g.pw] }],
        expected: ref.maxPoolAsConv,
        tol: EXACT,
        hint: poolingHint(zeroStartOrPadding("max", undefined)),
      });
    });
  });

  part("dtype", async () => {
    const X = torch.arange(32, { dtype: "float64" }).reshape(1, 2, 4, 4).mul(0.25);
    await checkCall(ex, { fn, args: [X, 2, { stride: 2 }], expected: F.maxPool2d(X, 2), tol: EXACT, hint: poolingHint() });
  });
});
