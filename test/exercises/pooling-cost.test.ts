/**
 * 练习 3 / Exercise 4 — the computational cost of a pooling layer.
 *
 * - d2lPoolingCost: this course's count, 6.3's output size × k_h·k_w, with padding as the TOTAL of both sides (as in 6.3); checked on hand-worked
 *   numbers and against the module's own output size (pool2dGeometry) with total = 2 × per side.
 * - poolingReads: padding PER SIDE; checked against the reads COUNTED by running the module's own
 *   max/avg pooling kernels on a counting Proxy (support/instrument.ts).
 */
import { EXACT } from "../../src/grader/spec/feedback";
import { join, text, type Text } from "../../src/grader/i18n";
import { checkCall, fc, gradeExercise, property, student, type Outcome } from "../../src/grader/spec/harness";
import { countAvgPoolReads, countMaxPoolReads, geometryOf, type Layer } from "./support/instrument";
import { geometry } from "./support/arbitraries";

const ex = student("pooling-cost");

type Args = [number, number, number, readonly [number, number], readonly [number, number], readonly [number, number]];

/** Outputs along one dimension, as 6.3's formula with TOTAL padding p: ⌊(n − k + p + s)/s⌋. */
const outputs = (n: number, k: number, p: number, s: number) => Math.floor((n - k + p + s) / s);
const formulaIdea = text(
  "计算成本 =（所有通道的输出个数）×（每个输出的运算次数）；每个通道的输出个数由 6.3 节的输出形状公式给出，其中 p_h、p_w 是两侧填充的总和。",
  "Cost = (outputs in all channels) × (operations per output); the outputs per channel come from 6.3's output-shape formula, with p_h, p_w the TOTAL padding.",
);

/** d2lPoolingCost: what the wrong number is — padding doubled, no rounding down, c or the window left out. */
function formulaHint(o: Outcome): Text {
  const [c, h, w, [kh, kw], [ph, pw], [sh, sw]] = o.args as Args;
  const got = o.actual;
  const expected = o.expected as number;
  if (typeof got !== "number") return formulaIdea;
  const then = (zh: string, en: string) => join([text(zh, `${en} `), formulaIdea]);
  if (got === c * kh * kw * outputs(h, kh, 2 * ph, sh) * outputs(w, kw, 2 * pw, sw) && (ph > 0 || pw > 0)) {
    return then("paddingTotal 已经是两侧填充的总和（PyTorch 的 padding=1 就是 p_h = 2）：不要再乘以 2。", "paddingTotal is already the total of both sides (PyTorch's padding=1 is p_h = 2): do not double it.");
  }
  if (!Number.isInteger(got)) return then("运算次数是整数：能放下多少个窗口要向下取整（⌊⌋，Math.floor）。", "a number of operations is a whole number: how many windows fit is rounded down (⌊⌋, Math.floor).");
  if (got * c === expected) return then(`每个通道单独汇聚：要把全部 ${c} 个通道都算上。`, `every channel is pooled on its own: count all ${c} channels.`);
  if (got * kh * kw === expected) return then(`每个输出要看一整个 ${kh}×${kw} 窗口：每个元素一次运算。`, `each output looks at a whole ${kh}×${kw} window: one operation per cell.`);
  const [oh, ow] = [outputs(h, kh, ph, sh), outputs(w, kw, pw, sw)];
  const oneShort = [[oh - 1, ow], [oh, ow - 1], [oh - 1, ow - 1]].some(([a, b]) => a >= 0 && b >= 0 && got === c * kh * kw * a * b);
  if (oneShort) {
    return then(
      "你的数少了一行或一列窗口：第一个窗口放在位置 0，之后每移动 s 放一个，所以 ⌊(n − k + p + s)/s⌋ = ⌊(n − k + p)/s⌋ + 1，别漏了那个 + s（或 + 1）。",
      "your count is one row or column of windows short: the first window sits at position 0 and then one every s steps, so ⌊(n − k + p + s)/s⌋ = ⌊(n − k + p)/s⌋ + 1 — do not drop that + s (or + 1).",
    );
  }
  return formulaIdea;
}

/** How poolingReads counts: what padding there is decides what to say (no padding: nothing about it). */
function readsIdea(padded: boolean): Text {
  return padded
    ? text(
        "填充的格子从不被读取：逐个窗口数，只数落在输入之内的元素（行在 [0, h) 内，列在 [0, w) 内）；第 i 个窗口从第 i·s_h − p_h 行开始（p 按每一侧计）。",
        "Padding is never read: count, window by window, only its cells inside the input (rows in [0, h), columns in [0, w)); window i starts at row i·s_h − p_h (p per side).",
      )
    : text(
        "这里没有填充，每个窗口都完全在输入之内：逐个窗口数它读取的元素；第 i 个窗口从第 i·s_h 行开始，步幅大于窗口时，有些元素一次也不会被读到。",
        "There is no padding here, so every window lies inside the input: count, window by window, the cells it reads; window i starts at row i·s_h, and with a stride larger than the window some cells are never read.",
      );
}

/** poolingReads: one channel counted, full windows counted, or the window positions off. */
function readsHint(o: Outcome): Text {
  const [c, h, w, [kh, kw], [ph, pw], [sh, sw]] = o.args as Args;
  const padded = ph > 0 || pw > 0;
  const full = c * kh * kw * outputs(h, kh, 2 * ph, sh) * outputs(w, kw, 2 * pw, sw);
  const then = (zh: string, en: string) => join([text(zh, `${en} `), readsIdea(padded)]);
  if (typeof o.actual === "number" && c > 1 && o.actual * c === o.expected) {
    return then(`每个通道都会单独读一遍：这一层有 ${c} 个通道，你的数只是一个通道的读取次数。`, `every channel is read on its own: this layer has ${c} channels, and your number is the reads of one channel.`);
  }
  if (o.actual === full && padded) return then(`${full} 把每个窗口都算成了完整的 ${kh}×${kw} 窗口，连填充的格子也算进去了。`, `${full} counts every window as a full ${kh}×${kw} window, padded cells included.`);
  return readsIdea(padded);
}

const args = (l: Layer, padding: readonly [number, number]) => [l.c, l.h, l.w, l.kernel, padding, l.stride];

/** A valid layer (padding per side ≤ half the window) with at least one output. */
const layers = (maxSize: number) =>
  geometry({ maxKernel: 4, maxStride: 4 }).chain((g) =>
    fc.record({
      c: fc.integer({ min: 1, max: 4 }),
      h: fc.integer({ min: Math.max(1, g.kh - 2 * g.ph), max: maxSize }),
      w: fc.integer({ min: Math.max(1, g.kw - 2 * g.pw), max: maxSize }),
      kernel: fc.constant([g.kh, g.kw] as const),
      padding: fc.constant([g.ph, g.pw] as const),
      stride: fc.constant([g.sh, g.sw] as const),
    }),
  );

gradeExercise(ex, (part) => {
  part("formula-seed", async () => {
    // Worked by hand: 1·9·⌊(4−3+2+2)/2⌋·⌊5/2⌋ = 9·2·2 = 36; 2·4·⌊(4−2+0+2)/2⌋² = 8·2·2 = 32;
    // 3·6·⌊(5−2+1+1)/1⌋·⌊(7−3+2+2)/2⌋ = 18·5·4 = 360.
    await checkCall(ex, { fn: "d2lPoolingCost", args: [1, 4, 4, [3, 3], [2, 2], [2, 2]], expected: 36, tol: EXACT, hint: formulaHint });
    await checkCall(ex, { fn: "d2lPoolingCost", args: [2, 4, 4, [2, 2], [0, 0], [2, 2]], expected: 32, tol: EXACT, hint: formulaHint });
    await checkCall(ex, { fn: "d2lPoolingCost", args: [3, 5, 7, [2, 3], [1, 2], [1, 2]], expected: 360, tol: EXACT, hint: formulaHint });
  });

  part("formula-geometry", async () => {
    await property(layers(12), async (l) => {
      const g = geometryOf(l);
      const expected = l.c * l.kernel[0] * l.kernel[1] * g.outH * g.outW;
      await checkCall(ex, {
        fn: "d2lPoolingCost",
        args: args(l, [2 * l.padding[0], 2 * l.padding[1]]),
        expected,
        tol: EXACT,
        hint: (o) =>
          join([
            text(
              `模块把这个 ${l.h}×${l.w} 的输入（每一侧填充 ${l.padding[0]}、${l.padding[1]}，即总填充 ${2 * l.padding[0]}、${2 * l.padding[1]}）汇聚成每个通道 ${g.outH}×${g.outW} 个输出，共 ${l.c} 个通道。`,
              `the module pools this ${l.h}×${l.w} input (padding ${l.padding[0]}, ${l.padding[1]} PER SIDE = ${2 * l.padding[0]}, ${2 * l.padding[1]} in total) to ${g.outH}×${g.outW} outputs in each of ${l.c} channel(s). `,
            ),
            formulaHint(o),
          ]),
      });
    });
  });

  part("reads-hand", async () => {
    // Worked by hand (see the stub): rows 2 + 3, columns 2 + 3 → 25 reads, not the formula's 36.
    await checkCall(ex, { fn: "poolingReads", args: [1, 4, 4, [3, 3], [1, 1], [2, 2]], expected: 25, tol: EXACT, hint: readsHint });
    // No padding, windows inside: the same as the formula — 2·(2·2)·(2·2) = 32.
    await checkCall(ex, { fn: "poolingReads", args: [2, 4, 4, [2, 2], [0, 0], [2, 2]], expected: 32, tol: EXACT, hint: readsHint });
    // 3×3, padding 1, stride 1 on 3×3: rows 2 + 3 + 2 = 7 per column block → 7·7 = 49.
    await checkCall(ex, { fn: "poolingReads", args: [1, 3, 3, [3, 3], [1, 1], [1, 1]], expected: 49, tol: EXACT, hint: readsHint });
  });

  part("reads-instrumented", async () => {
    await property(layers(10), async (l) => {
      await checkCall(ex, {
        fn: "poolingReads",
        args: args(l, l.padding),
        expected: countMaxPoolReads(l),
        tol: EXACT,
        hint: (o) => join([readsHint(o), text("（期望的数是在这一层上运行 F.maxPool2d 的内核数出来的。）", " (The expected number was counted by running F.maxPool2d's kernel on this layer.)")]),
      });
    });
  });

  part("reads-edge", async () => {
    const cases: Layer[] = [
      { c: 1, h: 1, w: 1, kernel: [1, 1], padding: [0, 0], stride: [1, 1] }, // 1×1 input
      { c: 1, h: 1, w: 1, kernel: [3, 3], padding: [1, 1], stride: [1, 1] }, // the window is mostly padding
      { c: 2, h: 5, w: 4, kernel: [4, 2], padding: [2, 1], stride: [3, 1] }, // padding = half the window
      { c: 3, h: 9, w: 7, kernel: [2, 2], padding: [0, 0], stride: [4, 3] }, // stride > window: cells never read
      { c: 1, h: 6, w: 6, kernel: [3, 1], padding: [1, 0], stride: [2, 5] },
    ];
    for (const l of cases) {
      const max = countMaxPoolReads(l);
      const avg = countAvgPoolReads(l);
      if (max !== avg) throw new Error(`grader bug: the max and avg kernels read different counts (${max}, ${avg})`);
      await checkCall(ex, { fn: "poolingReads", args: args(l, l.padding), expected: avg, tol: EXACT, hint: readsHint });
    }
  });
});
