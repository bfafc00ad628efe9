import { Tensor } from "../../tensor/tensor";
import { Figure } from "../html";
import { Lang, grid, heatmap } from "../heatmap";

const TEXT = {
  zh: { title: "同一输入上的几种汇聚", input: "输入", missing: "（尚未实现）" },
  en: { title: "Several poolings of one input", input: "input", missing: "(not implemented yet)" },
};

/**
 * Side by side: the input and each pooled result (max, avg, min, softmax …). A result may be an
 * Error — e.g. an exercise the student has not done yet — and its panel then says so.
 */
export function poolingComparisonFigure(
  input: Tensor,
  results: Record<string, Tensor | Error>,
  lang: Lang = "zh",
): Figure {
  const t = TEXT[lang];
  const panels: [string, Tensor | Error][] = [[t.input, input], ...Object.entries(results)];
  const n = panels.length;
  const gap = 0.04;
  const width = (1 - gap * (n - 1)) / n;
  const layout: Record<string, unknown> = { title: { text: t.title }, height: 380, annotations: [] as object[] };
  const data: object[] = [];
  panels.forEach(([name, value], i) => {
    const axis = i === 0 ? "" : String(i + 1);
    const domain = [i * (width + gap), i * (width + gap) + width];
    layout[`xaxis${axis}`] = { domain, anchor: `y${axis}`, dtick: 1, showgrid: false, zeroline: false };
    layout[`yaxis${axis}`] = { anchor: `x${axis}`, dtick: 1, autorange: "reversed", showgrid: false, zeroline: false, showticklabels: i === 0 };
    const ok = value instanceof Tensor;
    (layout.annotations as object[]).push({
      text: ok ? name : `${name}<br>${t.missing}`,
      xref: "paper",
      yref: "paper",
      x: (domain[0] + domain[1]) / 2,
      y: 1.02,
      yanchor: "bottom",
      showarrow: false,
    });
    data.push(heatmap(ok ? grid(value) : [[null]], { xaxis: `x${axis}`, yaxis: `y${axis}`, colorscale: "Viridis" }));
  });
  return { title: t.title, lang, data, layout };
}
