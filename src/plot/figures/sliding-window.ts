import { Tensor } from "../../tensor/tensor";
import { maxPool2d } from "../../pooling/max";
import { avgPool2d } from "../../pooling/avg";
import { Figure } from "../html";
import { Lang, cellRect, grid, heatmap } from "../heatmap";

export interface SlidingWindowOptions {
  mode?: "max" | "avg";
  stride?: number;
  padding?: number;
  lang?: Lang;
}

const TEXT = {
  zh: {
    title: (mode: string, k: number, s: number, p: number) =>
      `${mode === "max" ? "最大" : "平均"}汇聚：窗口 ${k}×${k}，步幅 ${s}，填充 ${p}`,
    input: "输入（浅紫色为填充）",
    output: "输出",
    w: "列 w",
    h: "行 h",
    play: "播放",
    step: "输出位置 ",
    picked: "最大值所在位置",
  },
  en: {
    title: (mode: string, k: number, s: number, p: number) =>
      `${mode === "max" ? "Max" : "Average"} pooling: ${k}×${k} window, stride ${s}, padding ${p}`,
    input: "input (lilac: padding)",
    output: "output",
    w: "column w",
    h: "row h",
    play: "Play",
    step: "output cell ",
    picked: "where the maximum is",
  },
};

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
  const lang = options.lang ?? "zh";
  const t = TEXT[lang];
  if (X.dim() !== 2) throw new Error(`slidingWindowFigure expects a 2-D tensor (H, W), got shape [${X.shape.join(", ")}]`);
  const [H, W] = X.shape;
  const planes = X.reshape(1, 1, H, W);
  const [Y, indices] =
    mode === "max"
      ? maxPool2d(planes, kernel, { stride, padding, returnIndices: true })
      : [avgPool2d(planes, kernel, { stride, padding }), null];
  const [, , outH, outW] = Y.shape;
  const out = grid(Y);

  // The input drawn with its padding: padded cells have no value (the lilac background shows).
  const xs = Array.from({ length: W + 2 * padding }, (_, i) => i - padding);
  const ys = Array.from({ length: H + 2 * padding }, (_, i) => i - padding);
  const values = grid(X);
  const padded = ys.map((h) => xs.map((w) => (h >= 0 && h < H && w >= 0 && w < W ? values[h][w] : null)));

  const inputAxes = { x: "x", y: "y" };
  const outputAxes = { x: "x2", y: "y2" };
  const frames: { name: string; data: object[]; traces: number[]; layout: { shapes: object[] } }[] = [];
  let firstOutput: (number | null)[][] = [];
  let firstMarker = { x: [] as number[], y: [] as number[] };
  for (let oh = 0; oh < outH; oh++) {
    for (let ow = 0; ow < outW; ow++) {
      const shown = out.map((row, h) => row.map((v, w) => (h * outW + w <= oh * outW + ow ? v : null)));
      const h0 = oh * stride - padding;
      const w0 = ow * stride - padding;
      const shapes = [
        cellRect(h0, h0 + kernel, w0, w0 + kernel, inputAxes, {
          color: "#d62728",
          fill: mode === "avg" ? "rgba(214,39,40,0.18)" : undefined,
        }),
        cellRect(oh, oh + 1, ow, ow + 1, outputAxes, { color: "#d62728" }),
      ];
      const at = indices ? indices.data[oh * outW + ow] : -1;
      const marker =
        mode === "max" ? { x: [at % W], y: [Math.floor(at / W)] } : { x: [], y: [] };
      if (frames.length === 0) {
        firstOutput = shown;
        firstMarker = marker;
      }
      frames.push({
        name: `${oh},${ow}`,
        data: [{ z: shown, text: shown.map((r) => r.map((v) => (v === null ? "" : fmt(v)))) }, marker],
        traces: [1, 2],
        layout: { shapes },
      });
    }
  }
  const first = frames[0];
  return {
    title: t.title(mode, kernel, stride, padding),
    lang,
    data: [
      heatmap(padded, { x: xs, y: ys, xaxis: "x", yaxis: "y", name: t.input }),
      heatmap(firstOutput, { xaxis: "x2", yaxis: "y2", colorscale: "Oranges", name: t.output }),
      {
        type: "scatter",
        mode: "markers",
        x: firstMarker.x,
        y: firstMarker.y,
        xaxis: "x",
        yaxis: "y",
        name: t.picked,
        marker: { symbol: "circle-open", size: 30, line: { width: 4, color: "#2ca02c" } },
        showlegend: mode === "max",
      },
    ],
    frames,
    layout: {
      title: { text: t.title(mode, kernel, stride, padding) },
      height: 460,
      plot_bgcolor: "#e6dcf2", // padding cells and not-yet-computed outputs
      xaxis: { domain: [0, 0.55], title: { text: t.w }, dtick: 1, showgrid: false, zeroline: false },
      yaxis: { title: { text: t.h }, dtick: 1, autorange: "reversed", showgrid: false, zeroline: false },
      xaxis2: { domain: [0.68, 1], anchor: "y2", title: { text: t.w }, dtick: 1, showgrid: false, zeroline: false, range: [-0.5, outW - 0.5] },
      yaxis2: { anchor: "x2", dtick: 1, autorange: "reversed", showgrid: false, zeroline: false, range: [outH - 0.5, -0.5] },
      annotations: [
        { text: t.input, xref: "paper", yref: "paper", x: 0.27, y: 1.0, showarrow: false, yanchor: "bottom" },
        { text: t.output, xref: "paper", yref: "paper", x: 0.84, y: 1.0, showarrow: false, yanchor: "bottom" },
      ],
      shapes: first.layout.shapes,
      legend: { orientation: "h", x: 1, xanchor: "right", y: 1.12 },
      updatemenus: [
        {
          type: "buttons",
          showactive: false,
          x: 0,
          y: -0.12,
          xanchor: "left",
          buttons: [{ label: t.play, method: "animate", args: [null, { frame: { duration: 700, redraw: true }, fromcurrent: true }] }],
        },
      ],
      sliders: [
        {
          x: 0.12,
          y: -0.08,
          len: 0.88,
          currentvalue: { prefix: t.step },
          steps: frames.map((f) => ({ label: f.name, method: "animate", args: [[f.name], { mode: "immediate", frame: { duration: 0, redraw: true } }] })),
        },
      ],
    },
  };
}

function fmt(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(2);
}
