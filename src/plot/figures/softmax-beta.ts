import { Tensor } from "../../tensor/tensor";
import { Figure } from "../html";
import { Lang, SCALES, grid, heatmap, missingPanel } from "../heatmap";

export interface BetaResult {
  beta: number;
  /** Softmax pooling's output at this β, or the Error the exercise threw (not done yet). */
  output: Tensor | Error;
}

const TEXT = {
  zh: {
    title: "softmax 汇聚：β 从 0（平均）到很大（最大）",
    input: "输入",
    avg: "平均汇聚",
    softmax: (beta: number) => `softmax 汇聚，β = ${beta}`,
    max: "最大汇聚",
    missing: "尚未实现",
    slider: "β = ",
  },
  en: {
    title: "Softmax pooling: β from 0 (average) to large (max)",
    input: "input",
    avg: "average pooling",
    softmax: (beta: number) => `softmax pooling, β = ${beta}`,
    max: "max pooling",
    missing: "not<br>implemented<br>yet",
    slider: "β = ",
  },
};

/**
 * Softmax pooling, y = Σ softmax(β·x)_i · x_i over each window, between its two ends: a slider over β
 * moves the middle panel from average pooling (β = 0) towards max pooling (large β). All panels share
 * one colour range, so a colour means the same number everywhere.
 */
export function softmaxBetaFigure(input: Tensor, results: BetaResult[], ends: { max: Tensor; avg: Tensor }, lang: Lang = "zh"): Figure {
  const t = TEXT[lang];
  if (results.length === 0) throw new Error("softmaxBetaFigure needs at least one β");
  const done = results.every((r) => r.output instanceof Tensor);
  const values = [input, ends.max, ends.avg].flatMap((x) => Array.from(x.data));
  const [zmin, zmax] = [Math.min(...values), Math.max(...values)];
  const panels: [string, (number | null)[][] | null][] = [
    [t.input, grid(input)],
    [t.avg, grid(ends.avg)],
    [t.softmax(results[0].beta), done ? grid(results[0].output as Tensor) : null],
    [t.max, grid(ends.max)],
  ];
  const gap = 0.04;
  const width = (1 - 3 * gap) / 4;
  const annotations: { text: string }[] = [];
  const layout: Record<string, unknown> = { title: { text: t.title }, height: 420, annotations };
  const data = panels.map(([name, z], i) => {
    const axis = i === 0 ? "" : String(i + 1);
    const domain: [number, number] = [i * (width + gap), i * (width + gap) + width];
    annotations.push({ text: name, xref: "paper", yref: "paper", x: (domain[0] + domain[1]) / 2, y: 1.02, yanchor: "bottom", showarrow: false } as { text: string });
    if (z === null) {
      Object.assign(layout, missingPanel(axis, domain, t.missing, annotations));
      return { type: "heatmap", z: [[null]], xaxis: `x${axis}`, yaxis: `y${axis}`, showscale: false, hoverinfo: "skip" };
    }
    layout[`xaxis${axis}`] = { domain, anchor: `y${axis}`, dtick: 1, showgrid: false, zeroline: false };
    layout[`yaxis${axis}`] = { anchor: `x${axis}`, dtick: 1, autorange: "reversed", showgrid: false, zeroline: false, showticklabels: i === 0 };
    return heatmap(z, { xaxis: `x${axis}`, yaxis: `y${axis}`, colorscale: SCALES.shared, zmin, zmax, showscale: i === panels.length - 1 });
  });
  if (!done) return { title: t.title, lang, data, layout };
  const frames = results.map(({ beta, output }) => {
    const z = grid(output as Tensor);
    return {
      name: String(beta),
      data: [{ z, text: z.map((r) => r.map((v) => (v === null ? "" : v.toFixed(2)))) }],
      traces: [2],
      layout: { annotations: annotations.map((a, i) => (i === 2 ? { ...a, text: t.softmax(beta) } : a)) },
    };
  });
  layout.sliders = [
    {
      x: 0.05,
      y: -0.06,
      len: 0.9,
      currentvalue: { prefix: t.slider },
      steps: frames.map((f) => ({ label: f.name, method: "animate", args: [[f.name], { mode: "immediate", frame: { duration: 0, redraw: true } }] })),
    },
  ];
  return { title: t.title, lang, data, layout, frames };
}
