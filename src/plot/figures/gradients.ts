import { Tensor } from "../../tensor/tensor";
import { zeros } from "../../tensor/creation";
import { maxPool2d } from "../../pooling/max";
import { avgPool2d } from "../../pooling/avg";
import { avgPool2dBackward, maxPool2dBackward } from "../../pooling/gradients";
import { Figure } from "../html";
import { Lang, SCALES, cellRect, grid, heatmap } from "../heatmap";
import { cellLabel, playControls } from "../animation";

export interface GradientFigureOptions {
  mode?: "max" | "avg";
  stride?: number;
  padding?: number;
  lang?: Lang;
}

const TEXT = {
  zh: {
    title: (mode: string, k: number, s: number, p: number) =>
      `梯度流向哪里：${mode === "max" ? "最大" : "平均"}汇聚，窗口 ${k}×${k}，步幅 ${s}，填充 ${p}`,
    input: "输入与当前窗口",
    who: (mode: string, share: string) =>
      mode === "max" ? "绿框：得到当前输出全部梯度（+1）的格子" : `红框里的每个格子得到当前输出梯度的 ${share}`,
    grad: "输入的梯度（累计）",
    play: "播放",
    step: "已回传的输出 ",
  },
  en: {
    title: (mode: string, k: number, s: number, p: number) =>
      `Where the gradient goes: ${mode === "max" ? "max" : "average"} pooling, ${k}×${k} window, stride ${s}, padding ${p}`,
    input: "input and the current window",
    who: (mode: string, share: string) =>
      mode === "max" ? "green frame: the cell that gets all of the current output's gradient (+1)" : `every cell in the red frame gets ${share} of the current output's gradient`,
    grad: "the input's gradient so far",
    play: "Play",
    step: "outputs sent back ",
  },
};

/**
 * Backpropagation through pooling, on the sliding-window picture. Every output sends back the
 * gradient 1 (what `y.sum().backward()` does), one window per frame: max pooling gives all of it to
 * the cell that won the window, average pooling gives each of the window's k·k cells 1/(k·k).
 * The right panel is the input's gradient after the outputs sent so far, computed by
 * F.maxPool2dBackward / F.avgPool2dBackward; the last frame is the whole backward pass.
 */
export function gradientFigure(X: Tensor, kernel: number, options: GradientFigureOptions = {}): Figure {
  const mode = options.mode ?? "max";
  const stride = options.stride ?? kernel;
  const padding = options.padding ?? 0;
  const lang = options.lang ?? "zh";
  const t = TEXT[lang];
  if (!(X instanceof Tensor) || X.dim() !== 2) throw new Error("gradientFigure expects a 2-D tensor (H, W)");
  const [H, W] = X.shape;
  const input = X.reshape(1, 1, H, W);
  const opts = { stride, padding };
  const [Y, indices] = mode === "max" ? maxPool2d(input, kernel, { ...opts, returnIndices: true }) : [avgPool2d(input, kernel, opts), null];
  const [outH, outW] = Y.shape.slice(-2);
  const backward = (gradOutput: Tensor) =>
    (mode === "max" ? maxPool2dBackward(gradOutput, input, kernel, opts) : avgPool2dBackward(gradOutput, input, kernel, opts)).reshape(H, W);

  const axes = { x: "x", y: "y" };
  const share = 1 / (kernel * kernel);
  const frames = [];
  const sent = zeros(1, 1, outH, outW);
  for (let n = 0; n < outH * outW; n++) {
    const [oh, ow] = [Math.floor(n / outW), n % outW];
    sent.set([0, 0, oh, ow], 1);
    const [h0, w0] = [oh * stride - padding, ow * stride - padding];
    // Outlines only, never labels or markers on a cell: the input's values stay readable. Max pooling's
    // gradient goes to the argmax (framed in green); average pooling's to the whole window (shaded).
    const shapes = [cellRect(h0, h0 + kernel, w0, w0 + kernel, axes, { color: "#d62728", fill: indices ? undefined : "rgba(214,39,40,0.15)" })];
    if (indices) {
      const [h, w] = [Math.floor(indices.data[n] / W), indices.data[n] % W];
      shapes.push(cellRect(h, h + 1, w, w + 1, axes, { color: "#2ca02c", width: 4 }));
    }
    const soFar = grid(backward(sent));
    frames.push({
      name: `${n + 1}`,
      // The colour scale and range go with every frame: plotly otherwise falls back to its defaults.
      data: [{ z: soFar, text: soFar.map((r) => r.map((v) => cellLabel(v ?? 0))), colorscale: SCALES.output }],
      traces: [1],
      layout: { shapes },
    });
  }
  const first = frames[0];
  const total = grid(backward(Y.mul(0).add(1)));
  const zmax = Math.max(...total.flat().map((v) => v ?? 0));
  const title = `${t.title(mode, kernel, stride, padding)}<br><sub>${t.who(mode, `1/${kernel * kernel} ≈ ${share.toFixed(2)}`)}</sub>`;
  return {
    title: t.title(mode, kernel, stride, padding),
    lang,
    data: [
      heatmap(grid(X), { xaxis: "x", yaxis: "y", name: t.input }),
      heatmap(first.data[0].z, { xaxis: "x2", yaxis: "y2", colorscale: SCALES.output, zmin: 0, zmax, name: t.grad }),
    ],
    frames,
    layout: {
      title: { text: title },
      height: 500,
      margin: { t: 100 },
      xaxis: { domain: [0, 0.46], dtick: 1, showgrid: false, zeroline: false },
      yaxis: { dtick: 1, autorange: "reversed", showgrid: false, zeroline: false },
      xaxis2: { domain: [0.54, 1], anchor: "y2", dtick: 1, showgrid: false, zeroline: false },
      yaxis2: { anchor: "x2", dtick: 1, autorange: "reversed", showgrid: false, zeroline: false },
      annotations: [
        { text: t.input, xref: "paper", yref: "paper", x: 0.23, y: 1.0, showarrow: false, yanchor: "bottom" },
        { text: t.grad, xref: "paper", yref: "paper", x: 0.77, y: 1.0, showarrow: false, yanchor: "bottom" },
      ],
      shapes: first.layout.shapes,
      showlegend: false,
      ...playControls(t, frames, 600),
    },
  };
}
