import { Figure } from "../html";
import { Lang } from "../heatmap";

const TEXT = {
  zh: {
    title: "最大汇聚的实测时间，对照两种计算量",
    d2l: "书中的计数：c·h_out·w_out·k_h·k_w（逐窗口扫描，PyTorch 的 CPU 内核）",
    module: "本模块的计数：先按行取最大值，再合并 k_h 行（可分离）",
    y: "实测时间（毫秒，10 次取中位数）",
    fit: "过原点的最小二乘直线",
    measured: "实测",
  },
  en: {
    title: "Max pooling's measured time against two operation counts",
    d2l: "the book's count: c·h_out·w_out·k_h·k_w (scan every window; PyTorch's CPU kernel)",
    module: "this module's count: row maxima first, then k_h rows combined (separable)",
    y: "measured time (ms, median of 10)",
    fit: "least-squares line through 0",
    measured: "measured",
  },
};

export interface CostPoint {
  label: string;
  /** Comparisons when every window is scanned cell by cell: c·h_out·w_out·k_h·k_w. */
  d2l: number;
  /** Comparisons of this module's separable float32 kernel. */
  module: number;
  ms: number;
}

/**
 * Measured times against two cost models side by side, each with its best line through the origin:
 * the model that describes the algorithm actually run puts the points near its line.
 */
export function costFigure(points: CostPoint[], lang: Lang = "zh"): Figure {
  const t = TEXT[lang];
  const data: object[] = [];
  const layout: Record<string, unknown> = {
    title: { text: t.title },
    height: 460,
    legend: { orientation: "h", y: -0.25 },
    yaxis: { title: { text: t.y }, rangemode: "tozero", domain: [0, 1] },
  };
  (["d2l", "module"] as const).forEach((model, i) => {
    const xs = points.map((p) => p[model]);
    // Least squares for ms ≈ a · count: a = Σ count·ms / Σ count².
    const slope = points.reduce((s, p) => s + p[model] * p.ms, 0) / points.reduce((s, p) => s + p[model] * p[model], 0);
    const maxX = Math.max(...xs);
    const axis = i === 0 ? "" : "2";
    data.push(
      {
        type: "scatter",
        mode: "markers",
        name: t.measured,
        showlegend: i === 0,
        x: xs,
        y: points.map((p) => p.ms),
        text: points.map((p) => p.label),
        hovertemplate: "%{text}<br>%{x:.3s}, %{y:.3f} ms<extra></extra>",
        marker: { size: 10, color: "#1f77b4" },
        xaxis: `x${axis}`,
        yaxis: `y${axis}`,
      },
      { type: "scatter", mode: "lines", name: t.fit, showlegend: i === 0, x: [0, maxX], y: [0, slope * maxX], line: { dash: "dash", color: "#ff7f0e" }, xaxis: `x${axis}`, yaxis: `y${axis}` },
    );
    layout[`xaxis${axis}`] = { title: { text: t[model] }, rangemode: "tozero", domain: i === 0 ? [0, 0.46] : [0.54, 1], anchor: `y${axis}` };
    if (i === 1) layout.yaxis2 = { rangemode: "tozero", anchor: "x2", matches: "y" };
  });
  return { title: t.title, lang, data, layout };
}
