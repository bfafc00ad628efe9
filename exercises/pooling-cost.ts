/**
 * 练习 3（d2l-zh 6.5）/ Exercise 4 (d2l-en Pooling)
 * 假设汇聚层的输入大小为 c×h×w，汇聚窗口的形状为 k_h×k_w，填充为 (p_h, p_w)，步幅为 (s_h, s_w)。
 * 这个汇聚层的计算成本是多少？
 * Assume the input to the pooling layer is of size c×h×w, the window is k_h×k_w, with padding
 * (p_h, p_w) and stride (s_h, s_w). What is the computational cost of the pooling layer?
 *
 * 两种回答，区别在于“填充”的含义。Two answers, which differ in what "padding" means:
 *   - d2lPoolingCost：本课程的约定（书中只提出问题，没有给出答案）：6.3 节的输出形状 × k_h·k_w，p_h、p_w 是两侧填充的【总和】，与 6.3 节的公式相同。
 *     This course's convention (the book asks, but does not answer): section 6.3's output shape × k_h·k_w, padding as the TOTAL of both sides, as in 6.3's formula.
 *   - poolingReads：PyTorch 的约定，p_h、p_w 是【每一侧】的填充，精确计数。PyTorch's padding PER SIDE, counted exactly.
 *
 * 完成后运行 `npm run grade`。When done, run `npm run grade`.
 */

/**
 * 按本课程的约定计算成本：每个输出元素看一个完整的 k_h×k_w 窗口，窗口里的每个元素算一次运算
 * （填充出来的格子也算）；各通道分别计算。输出的行数、列数用 6.3 节的输出形状公式，
 * 其中 `paddingTotal` = [p_h, p_w] 是两侧填充的【总和】：PyTorch 中 padding=1 对应 p_h = 2。
 *
 * - 输入：c、h、w、k_h、k_w、s_h、s_w 为正整数，p_h、p_w 为非负整数。
 * - 输出：一个整数（运算次数）。
 *
 * This course's convention: every output element looks at one full k_h×k_w window, and each cell of it is
 * one operation (padded cells count as well); every channel is pooled on its own. The number of
 * output rows and columns is section 6.3's output-shape formula, where `paddingTotal` = [p_h, p_w]
 * is the TOTAL padding of both sides: PyTorch's padding=1 is p_h = 2.
 *
 * - Inputs: c, h, w, k_h, k_w, s_h, s_w positive integers; p_h, p_w non-negative integers.
 * - Output: an integer (the number of operations).
 *
 * @example
 *   d2lPoolingCost(1, 4, 4, [3, 3], [2, 2], [2, 2])   // 36
 */
export function d2lPoolingCost(
  c: number,
  h: number,
  w: number,
  kernel: readonly [number, number],
  paddingTotal: readonly [number, number],
  stride: readonly [number, number],
): number {
  throw new Error("d2lPoolingCost: not implemented yet — 尚未实现 (edit exercises/pooling-cost.ts)");
}

/**
 * 精确计数：`F.maxPool2d` / `F.avgPool2d`（本模块，与 PyTorch 相同）实际读取的输入元素个数。
 * 每读取一个元素就是一次基本运算（最大汇聚的一次比较，平均汇聚的一次加法）；平均汇聚最后的除法不计。
 * 填充出来的格子从不被读取，所以每个窗口只计它落在输入内部的格子；各通道分别计算，再乘以 c。
 * 这里 `padding` = [p_h, p_w] 是【每一侧】的填充（PyTorch 的约定）；输出大小
 * H_out = ⌊(h + 2·p_h − k_h)/s_h⌋ + 1，W_out 同理；第 i 个窗口覆盖第 i·s_h − p_h 到 i·s_h − p_h + k_h − 1 行。
 * 评分器把一个计数代理传给本模块的汇聚内核，数出真实的读取次数来核对。
 *
 * - 输入：与上面相同，但 padding 为每一侧，且 p ≤ k/2（PyTorch 的要求）。
 * - 输出：一个整数。
 *
 * Exact count: the number of input elements `F.maxPool2d` / `F.avgPool2d` (this module, as
 * PyTorch) actually read. Each read is one elementary operation (a comparison for max, an addition
 * for average; the average's final division is not counted). Padded cells are never read, so each
 * window counts only its cells inside the input; count one channel and multiply by c.
 * Here `padding` = [p_h, p_w] is PER SIDE (PyTorch's convention); the output size is
 * H_out = ⌊(h + 2·p_h − k_h)/s_h⌋ + 1 (W_out likewise), and window i covers rows
 * i·s_h − p_h … i·s_h − p_h + k_h − 1.
 * The grader checks it against the reads counted by passing a counting proxy to the module's own
 * pooling kernels.
 *
 * - Inputs: as above, but padding per side, with p ≤ k/2 (PyTorch's rule).
 * - Output: an integer.
 *
 * @example
 *   poolingReads(1, 4, 4, [3, 3], [1, 1], [2, 2])   // 25 (not 36: padded cells are never read)
 */
export function poolingReads(
  c: number,
  h: number,
  w: number,
  kernel: readonly [number, number],
  padding: readonly [number, number],
  stride: readonly [number, number],
): number {
  throw new Error("poolingReads: not implemented yet — 尚未实现 (edit exercises/pooling-cost.ts)");
}
