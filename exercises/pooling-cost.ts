/**
 * 练习 3（d2l-zh 6.5）/ Exercise 4 (d2l-en Pooling)
 * 假设汇聚层的输入大小为 c×h×w，汇聚窗口的形状为 k_h×k_w，填充为 (p_h, p_w)，步幅为 (s_h, s_w)。
 * 这个汇聚层的计算成本是多少？
 * Assume the input to the pooling layer is of size c×h×w, the window is k_h×k_w, with padding
 * (p_h, p_w) and stride (s_h, s_w). What is the computational cost of the pooling layer?
 *
 * 两种回答，区别在于“填充”的含义。Two answers, which differ in what "padding" means:
 *   - d2lPoolingCost：d2l-zh 的公式，p_h、p_w 是两侧填充的【总和】。d2l-zh's formula, padding as the TOTAL of both sides.
 *   - poolingReads：PyTorch 的约定，p_h、p_w 是【每一侧】的填充，精确计数。PyTorch's padding PER SIDE, counted exactly.
 *
 * 完成后运行 `npm run grade`。When done, run `npm run grade`.
 */

/**
 * d2l-zh 的答案：每个输出元素看 k_h·k_w 个元素，输出共有 c·⌊(h − k_h + p_h + s_h)/s_h⌋·⌊(w − k_w + p_w + s_w)/s_w⌋ 个元素，
 * 所以成本 = c·k_h·k_w·⌊(h − k_h + p_h + s_h)/s_h⌋·⌊(w − k_w + p_w + s_w)/s_w⌋（⌊⌋ 为向下取整）。
 * 这里 `paddingTotal` = [p_h, p_w] 是两侧填充的总和：PyTorch 中 padding=1 对应 p_h = 2。
 * 填充出来的格子也计入成本（公式假定每个窗口都完整）。
 *
 * - 输入：c、h、w、k_h、k_w、s_h、s_w 为正整数，p_h、p_w 为非负整数。
 * - 输出：一个整数。
 *
 * d2l-zh's answer: each output element looks at k_h·k_w elements and there are
 * c·⌊(h − k_h + p_h + s_h)/s_h⌋·⌊(w − k_w + p_w + s_w)/s_w⌋ outputs, so the cost is
 * c·k_h·k_w·⌊(h − k_h + p_h + s_h)/s_h⌋·⌊(w − k_w + p_w + s_w)/s_w⌋ (⌊⌋ rounds down).
 * Here `paddingTotal` = [p_h, p_w] is the TOTAL padding of both sides: PyTorch's padding=1 is p_h = 2.
 * Padded cells count as well (the formula assumes full windows).
 *
 * - Inputs: c, h, w, k_h, k_w, s_h, s_w positive integers; p_h, p_w non-negative integers.
 * - Output: an integer.
 *
 * @example
 *   d2lPoolingCost(1, 4, 4, [3, 3], [2, 2], [2, 2])   // 1·9·2·2 = 36
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
 *   poolingReads(1, 4, 4, [3, 3], [1, 1], [2, 2])   // rows: 2 + 3 = 5, columns: 5, so 25 (not 36)
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
