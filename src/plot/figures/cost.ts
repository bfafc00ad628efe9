import { Figure } from "../html";
import { Lang } from "../heatmap";

const TEXT = {
  zh: {
    title: "汇聚层的计算量与实测时间",
    x: "预计运算次数 c·h_out·w_out·k_h·k_w",
    y: "实测时间（毫秒，10 次取中位数）",
    fit: "过原点的最小二乘直线",
    measured: "实测",
  },
  en: {
    title: "A pooling layer's operation count against measured time",
    x: "predicted operations c·h_out·w_out·k_h·k_w",
    y: "measured time (ms, median of 10)",
    fit: "least-squares line through 0",
    measured: "measured",
  },
};

export interface CostPoint {
  ops: number;
  ms: number;
  label: string;
}

/** Measured times against the cost formula, with the best line through the origin. */
export function costFigure(points: CostPoint[], lang: Lang = "zh"): Figure {
  const t = TEXT[lang];
  // Least squares for ms ≈ a · ops: a = Σ ops·ms / Σ ops².
  const slope = points.reduce((s, p) => s + p.ops * p.ms, 0) / points.reduce((s, p) => s + p.ops * p.ops, 0);
  const maxOps = Math.max(...points.map((p) => p.ops));
  return {
    title: t.title,
    lang,
    data: [
      {
        type: "scatter",
        mode: "markers",
        name: t.measured,
        x: points.map((p) => p.ops),
        y: points.map((p) => p.ms),
        text: points.map((p) => p.label),
        hovertemplate: "%{text}<br>%{x:.3s} ops, %{y:.2f} ms<extra></extra>",
        marker: { size: 10 },
      },
      { type: "scatter", mode: "lines", name: t.fit, x: [0, maxOps], y: [0, slope * maxOps], line: { dash: "dash" } },
    ],
    layout: {
      title: { text: t.title },
      height: 420,
      xaxis: { title: { text: t.x }, rangemode: "tozero" },
      yaxis: { title: { text: t.y }, rangemode: "tozero" },
      legend: { orientation: "h", y: -0.2 },
    },
  };
}
