import { Tensor } from "../../tensor/tensor";
import { Figure } from "../html";
import { Lang, SCALES, grid, heatmap, missingPanel } from "../heatmap";

const TEXT = {
  zh: { title: "同一输入上的几种汇聚（所有图块共用一个颜色范围）", input: "输入", missing: "尚未实现" },
  en: { title: "Several poolings of one input (all panels share one colour range)", input: "input", missing: "not<br>implemented<br>yet" },
};

/**
 * Side by side: the input and each pooled result (max, avg, min, softmax …), on one colour range
 * (the input's: every pooling of a window lies between the window's smallest and largest value), so
 * a colour means the same number in every panel and "in between" can be seen. A result may be an
 * Error — e.g. an exercise the student has not done yet — and its panel then says so, with no axes.
 */
export function poolingComparisonFigure(
  input: Tensor,
  results: Record<string, Tensor | Error>,
  lang: Lang = "zh",
): Figure {
  const t = TEXT[lang];
  const panels: [string, Tensor | Error][] = [[t.input, input], ...Object.entries(results)];
  const values = Array.from(input.data).filter(Number.isFinite);
  const range = { zmin: Math.min(...values), zmax: Math.max(...values) };
  const n = panels.length;
  // One colour bar for all panels (they share the range), at the right edge of the figure; it belongs
  // to the last panel that is drawn (a missing panel has no trace to carry it).
  const lastDrawn = panels.map(([, v]) => v instanceof Tensor).lastIndexOf(true);
  const gap = 0.04;
  const width = (1 - gap * (n - 1)) / n;
  const annotations: object[] = [];
  const layout: Record<string, unknown> = { title: { text: t.title }, height: 400, annotations };
  const data: object[] = [];
  panels.forEach(([name, value], i) => {
    const axis = i === 0 ? "" : String(i + 1);
    const domain: [number, number] = [i * (width + gap), i * (width + gap) + width];
    annotations.push({ text: name, xref: "paper", yref: "paper", x: (domain[0] + domain[1]) / 2, y: 1.02, yanchor: "bottom", showarrow: false });
    if (!(value instanceof Tensor)) {
      Object.assign(layout, missingPanel(axis, domain, t.missing, annotations));
      data.push({ type: "heatmap", z: [[null]], xaxis: `x${axis}`, yaxis: `y${axis}`, showscale: false, hoverinfo: "skip" });
      return;
    }
    layout[`xaxis${axis}`] = { domain, anchor: `y${axis}`, dtick: 1, showgrid: false, zeroline: false };
    layout[`yaxis${axis}`] = { anchor: `x${axis}`, dtick: 1, autorange: "reversed", showgrid: false, zeroline: false, showticklabels: i === 0 };
    const colorbar = i === lastDrawn ? { colorbar: { x: 1.01, xanchor: "left", thickness: 12, len: 0.8 } } : {};
    data.push({ ...heatmap(grid(value), { xaxis: `x${axis}`, yaxis: `y${axis}`, colorscale: SCALES.shared, ...range, showscale: i === lastDrawn }), ...colorbar });
  });
  return { title: t.title, lang, data, layout };
}
