import { Tensor } from "../../tensor/tensor";
import { maxPool2d } from "../../pooling/max";
import { avgPool2d } from "../../pooling/avg";
import { adaptiveAvgPool2d, adaptiveMaxPool2d, windowEnd, windowStart } from "../../pooling/adaptive";
import { Figure } from "../html";
import { Lang, PADDING, SCALES, cellRect, grid, heatmap } from "../heatmap";
import { cellLabel, playControls } from "../animation";

export interface SlidingWindowOptions {
  mode?: "max" | "avg";
  stride?: number;
  padding?: number;
  /** Max pooling only: the window reads every `dilation`-th cell. */
  dilation?: number;
  /** Round the output size up: a last window may hang over the input's edge. */
  ceilMode?: boolean;
  /**
   * A still picture instead of the animation: only window number `still` (row-major, from 0) is
   * outlined, next to the whole output (as the book's figure 6.5.1 marks the first window).
   */
  still?: number;
  lang?: Lang;
}

const TEXT = {
  zh: {
    mode: (mode: string) => (mode === "max" ? "最大汇聚" : "平均汇聚"),
    window: (k: number) => `窗口 ${k}×${k}`,
    stride: (s: number) => `步幅 ${s}`,
    padding: (p: number) => `填充 ${p}`,
    dilation: (d: number) => `膨胀 ${d}`,
    ceil: "ceilMode",
    adaptive: (h: number, w: number) => `自适应，输出 ${h}×${w}`,
    input: "输入（浅紫色：填充或输入之外）",
    inputUnread: "输入（浅紫色：填充或输入之外；更浅：没有窗口读到的填充）",
    output: "输出",
    outputPending: "输出（白色：还没算到）",
    w: "列 w",
    h: "行 h",
    play: "播放",
    step: "输出位置 ",
    picked: "最大值所在位置",
  },
  en: {
    mode: (mode: string) => (mode === "max" ? "Max pooling" : "Average pooling"),
    window: (k: number) => `${k}×${k} window`,
    stride: (s: number) => `stride ${s}`,
    padding: (p: number) => `padding ${p}`,
    dilation: (d: number) => `dilation ${d}`,
    ceil: "ceilMode",
    adaptive: (h: number, w: number) => `adaptive, output ${h}×${w}`,
    input: "input (lilac: padding or outside)",
    inputUnread: "input (lilac: padding or outside; paler: padding no window reaches)",
    output: "output",
    outputPending: "output (white: not computed yet)",
    w: "column w",
    h: "row h",
    play: "Play",
    step: "output cell ",
    picked: "where the maximum is",
  },
};

/** One output's window on the input: its outline and the cells it reads (dilated windows skip some). */
interface Window {
  h0: number;
  h1: number;
  w0: number;
  w1: number;
  /** The cells read, when not every cell of the outline is (dilation > 1). */
  cells?: [number, number][];
}

/**
 * The pooling window sliding over a 2-D input, one animation frame per output cell: the
 * window is outlined on the input (for max, the chosen cell is marked; for avg, the whole
 * window is shaded), and the output fills in cell by cell. Values come from F.maxPool2d /
 * F.avgPool2d (with the argmax indices), so the picture shows exactly what the module computes.
 */
export function slidingWindowFigure(X: Tensor, kernel: number, options: SlidingWindowOptions = {}): Figure {
  const mode = options.mode ?? "max";
  const stride = options.stride ?? kernel;
  const padding = options.padding ?? 0;
  const dilation = options.dilation ?? 1;
  const ceilMode = options.ceilMode ?? false;
  const t = TEXT[options.lang ?? "zh"];
  check(X);
  if (mode === "avg" && dilation !== 1) throw new Error("slidingWindowFigure: average pooling has no dilation (as in PyTorch); use mode: \"max\"");
  const [H, W] = X.shape;
  const planes = X.reshape(1, 1, H, W);
  const [Y, indices] =
    mode === "max"
      ? maxPool2d(planes, kernel, { stride, padding, dilation, ceilMode, returnIndices: true })
      : [avgPool2d(planes, kernel, { stride, padding, ceilMode }), null];
  const [, , outH, outW] = Y.shape;
  const span = (kernel - 1) * dilation + 1;
  const windows: Window[] = [];
  for (let oh = 0; oh < outH; oh++) {
    for (let ow = 0; ow < outW; ow++) {
      const [h0, w0] = [oh * stride - padding, ow * stride - padding];
      const cells: [number, number][] = [];
      for (let i = 0; i < kernel; i++) for (let j = 0; j < kernel; j++) cells.push([h0 + i * dilation, w0 + j * dilation]);
      windows.push({ h0, h1: h0 + span, w0, w1: w0 + span, cells: dilation > 1 ? cells : undefined });
    }
  }
  const parts = [t.window(kernel), t.stride(stride), t.padding(padding)];
  if (dilation !== 1) parts.push(t.dilation(dilation));
  if (ceilMode) parts.push(t.ceil);
  const still = options.still;
  if (still !== undefined && !(Number.isInteger(still) && still >= 0 && still < windows.length)) {
    throw new Error(`slidingWindowFigure: still must be the number of a window, 0 to ${windows.length - 1} (row-major), got ${still}`);
  }
  return windowFigure(X, Y, indices, windows, { mode, title: title(options.lang ?? "zh", t.mode(mode), parts), lang: options.lang ?? "zh", padding, still });
}

/**
 * Adaptive pooling's windows (F.adaptiveMaxPool2d / F.adaptiveAvgPool2d): output cell i of n covers
 * input cells ⌊i·in/n⌋ … ⌈(i+1)·in/n⌉ − 1, so windows differ in size and may overlap.
 */
export function adaptiveWindowFigure(
  X: Tensor,
  outputSize: number | readonly [number, number],
  options: { mode?: "max" | "avg"; lang?: Lang } = {},
): Figure {
  const mode = options.mode ?? "max";
  const lang = options.lang ?? "zh";
  check(X);
  const [H, W] = X.shape;
  const [outH, outW] = typeof outputSize === "number" ? [outputSize, outputSize] : outputSize;
  const planes = X.reshape(1, 1, H, W);
  const [Y, indices] =
    mode === "max" ? adaptiveMaxPool2d(planes, [outH, outW], { returnIndices: true }) : [adaptiveAvgPool2d(planes, [outH, outW]), null];
  const windows: Window[] = [];
  for (let oh = 0; oh < outH; oh++) {
    for (let ow = 0; ow < outW; ow++) {
      windows.push({ h0: windowStart(oh, outH, H), h1: windowEnd(oh, outH, H), w0: windowStart(ow, outW, W), w1: windowEnd(ow, outW, W) });
    }
  }
  const t = TEXT[lang];
  return windowFigure(X, Y, indices, windows, { mode, title: title(lang, t.mode(mode), [t.adaptive(outH, outW)]), lang });
}

/** "最大汇聚：窗口 2×2，步幅 1" / "Max pooling: 2×2 window, stride 1". */
function title(lang: Lang, mode: string, parts: string[]): string {
  return lang === "en" ? `${mode}: ${parts.join(", ")}` : `${mode}：${parts.join("，")}`;
}

function check(X: Tensor): void {
  if (!(X instanceof Tensor) || X.dim() !== 2) {
    throw new Error(`the window figures expect a 2-D tensor (H, W), got ${X instanceof Tensor ? `shape [${X.shape.join(", ")}]` : typeof X}`);
  }
}

/** The picture itself: the input with each window in turn, and the output filling in. */
function windowFigure(
  X: Tensor,
  Y: Tensor,
  indices: Tensor | null,
  windows: Window[],
  o: { mode: "max" | "avg"; title: string; lang: Lang; padding?: number; still?: number },
): Figure {
  const t = TEXT[o.lang];
  const [H, W] = X.shape;
  const [outH, outW] = Y.shape.slice(-2);
  const out = grid(Y);
  const p = o.padding ?? 0;

  // The input drawn with its padding on every side, and over every cell a window covers: cells
  // outside the input have no value, and a lilac square sits under each (padding, or where a
  // ceilMode window hangs over the edge).
  const top = Math.min(-p, ...windows.map((w) => w.h0));
  const bottom = Math.max(H + p, ...windows.map((w) => w.h1));
  const left = Math.min(-p, ...windows.map((w) => w.w0));
  const right = Math.max(W + p, ...windows.map((w) => w.w1));
  const xs = Array.from({ length: right - left }, (_, i) => i + left);
  const ys = Array.from({ length: bottom - top }, (_, i) => i + top);
  const values = grid(X);
  const padded = ys.map((h) => xs.map((w) => (h >= 0 && h < H && w >= 0 && w < W ? values[h][w] : null)));

  const inputAxes = { x: "x", y: "y" };
  const outputAxes = { x: "x2", y: "y2" };
  // Padding that no window reaches (with stride > 1 the last window can stop short of the far
  // side) is still drawn, paler, so the picture shows padding on every side as PyTorch adds it.
  const covered = (h: number, w: number) => windows.some((win) => h >= win.h0 && h < win.h1 && w >= win.w0 && w < win.w1);
  const background: Record<string, unknown>[] = [];
  let unread = 0;
  for (const h of ys) {
    for (const w of xs) {
      if (h >= 0 && h < H && w >= 0 && w < W) continue;
      const fill = covered(h, w) ? PADDING.read : PADDING.unread;
      if (fill === PADDING.unread) unread++;
      background.push({ ...cellRect(h, h + 1, w, w + 1, inputAxes, { color: "rgba(0,0,0,0)", fill, width: 0 }), layer: "below" });
    }
  }
  // Every output's slot, outlined: white inside the outline means "not computed yet".
  for (let h = 0; h < outH; h++) {
    for (let w = 0; w < outW; w++) {
      background.push({ ...cellRect(h, h + 1, w, w + 1, outputAxes, { color: "#b0b0b0", width: 1 }), line: { color: "#b0b0b0", width: 1, dash: "dot" }, layer: "below" });
    }
  }
  // One colour range for the input and the output: the same value has the same depth in both.
  const flat = values.flat().filter((v): v is number => v !== null);
  const range = { zmin: Math.min(...flat), zmax: Math.max(...flat) };
  const red = "#d62728";
  const still = o.still;
  const frames = windows.map((win, n) => {
    const [oh, ow] = [Math.floor(n / outW), n % outW];
    const shown = out.map((row, h) => row.map((v, w) => (still !== undefined || h * outW + w <= n ? v : null)));
    const fill = o.mode === "avg" ? "rgba(214,39,40,0.18)" : undefined;
    const outline = win.cells
      ? win.cells.map(([h, w]) => cellRect(h, h + 1, w, w + 1, inputAxes, { color: red, fill, width: 2 }))
      : [cellRect(win.h0, win.h1, win.w0, win.w1, inputAxes, { color: red, fill })];
    const at = indices ? indices.data[n] : -1;
    const marker = indices ? { x: [at % W], y: [Math.floor(at / W)] } : { x: [], y: [] };
    return {
      name: `${oh},${ow}`,
      shown,
      marker,
      // The colour scale goes with every frame: plotly otherwise falls back to its default one.
      data: [{ z: shown, text: shown.map((r) => r.map((v) => (v === null ? "" : cellLabel(v)))), colorscale: SCALES.output, ...range }, marker] as object[],
      traces: [1, 2],
      layout: { shapes: [...background, ...outline, cellRect(oh, oh + 1, ow, ow + 1, outputAxes, { color: red })] },
    };
  });
  const first = frames[still ?? 0];
  const animation = still === undefined;
  return {
    title: o.title,
    lang: o.lang,
    data: [
      heatmap(padded, { x: xs, y: ys, xaxis: "x", yaxis: "y", name: t.input, ...range }),
      heatmap(first.shown, { xaxis: "x2", yaxis: "y2", colorscale: SCALES.output, name: t.output, ...range }),
      {
        type: "scatter",
        mode: "markers",
        x: first.marker.x,
        y: first.marker.y,
        xaxis: "x",
        yaxis: "y",
        name: t.picked,
        marker: { symbol: "circle-open", size: 30, color: "#2ca02c", line: { width: 4, color: "#2ca02c" } },
        showlegend: o.mode === "max",
      },
    ],
    frames: animation ? frames.map(({ name, data, traces, layout }) => ({ name, data, traces, layout })) : undefined,
    layout: {
      title: { text: o.title },
      height: animation ? 460 : 400,
      plot_bgcolor: "#ffffff", // white: nothing there (an output not computed yet)
      xaxis: { domain: [0, 0.55], title: { text: t.w }, dtick: 1, showgrid: false, zeroline: false },
      yaxis: { title: { text: t.h }, dtick: 1, autorange: "reversed", showgrid: false, zeroline: false },
      xaxis2: { domain: [0.68, 1], anchor: "y2", title: { text: t.w }, dtick: 1, showgrid: false, zeroline: false, range: [-0.5, outW - 0.5] },
      yaxis2: { anchor: "x2", dtick: 1, autorange: "reversed", showgrid: false, zeroline: false, range: [outH - 0.5, -0.5] },
      annotations: [
        { text: unread ? t.inputUnread : t.input, xref: "paper", yref: "paper", x: 0.27, y: 1.0, showarrow: false, yanchor: "bottom" },
        { text: animation ? t.outputPending : t.output, xref: "paper", yref: "paper", x: 0.84, y: 1.0, showarrow: false, yanchor: "bottom" },
      ],
      shapes: first.layout.shapes,
      legend: { orientation: "h", x: 0, xanchor: "left", y: 1.13 },
      ...(animation ? playControls(t, frames, 700) : {}),
    },
  };
}
