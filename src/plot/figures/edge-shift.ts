import { Tensor } from "../../tensor/tensor";
import { ones, tensor } from "../../tensor/creation";
import { corr2d } from "../../conv";
import { maxPool2d } from "../../pooling/max";
import { Figure } from "../html";
import { Lang, SCALES, cellRect, grid, heatmap } from "../heatmap";

const TEXT = {
  zh: {
    title: "左移一个像素：边缘强度与 2×2 最大汇聚（步幅 1）之后",
    image: "图像 X",
    shifted: "左移一个像素后的 Z",
    strength: "边缘强度 |corr2d(·, [1, −1])|",
    pooled: "2×2 最大汇聚（步幅 1）",
    both: (conv: number, convLit: number, pooled: number, pooledLit: number) =>
      `平移前后都亮的格子（框出，每行）：边缘强度 ${conv}/${convLit}，汇聚后 ${pooled}/${pooledLit}`,
  },
  en: {
    title: "Moved one pixel left: edge strength, and after 2×2 max pooling (stride 1)",
    image: "image X",
    shifted: "Z: X moved one pixel left",
    strength: "edge strength |corr2d(·, [1, −1])|",
    pooled: "2×2 max pooling (stride 1)",
    both: (conv: number, convLit: number, pooled: number, pooledLit: number) =>
      `cells lit both before and after the shift (outlined, per row): edge strength ${conv} of ${convLit}, after pooling ${pooled} of ${pooledLit}`,
  },
};

/** The chapter's edge image (d2l 6.2): ones, with a black band in columns 2..5. */
export function edgeImage(): Tensor {
  const X = ones(6, 8);
  X.set([null, [2, 6]], 0);
  return X;
}

/** Move an image one pixel left: Z[i, j] = X[i, j + 1] (the last column repeats its edge). */
export function shiftLeft(X: Tensor): Tensor {
  const [H, W] = X.shape;
  const Z = X.clone();
  for (let i = 0; i < H; i++) for (let j = 0; j < W; j++) Z.set([i, j], X.get(i, Math.min(j + 1, W - 1)));
  return Z;
}

/** Edge strength: |X ⋆ [1, −1]|, so the rising and the falling edge both count (as 1). */
export function edgeStrength(X: Tensor): Tensor {
  return corr2d(X, tensor([[1, -1]])).abs();
}

export interface EdgeShiftResult {
  figure: Figure;
  /** Edge strength of X and of Z. */
  strength: { X: Tensor; Z: Tensor };
  /** The edge strength after 2×2 max pooling with stride 1, for X and for Z. */
  pooled: { X: Tensor; Z: Tensor };
}

/**
 * The chapter's argument, drawn honestly. The edge strength |X ⋆ [1, −1]| marks both edges of the
 * band (pooling the signed response would lose the falling edge: its −1 loses to the 0 beside it).
 * After a one-pixel shift no edge cell of the strength map is lit where it was; after 2×2 max
 * pooling with stride 1 each edge lights two outputs, and one of them stays lit — the output whose
 * window holds both positions of the edge.
 */
export function edgeShiftFigure(lang: Lang = "zh", X: Tensor = edgeImage()): EdgeShiftResult {
  const t = TEXT[lang];
  const Z = shiftLeft(X);
  const pool = (Y: Tensor) => maxPool2d(Y.reshape(1, 1, ...Y.shape), 2, { stride: 1 }).reshape(Y.shape[0] - 1, Y.shape[1] - 1);
  const strength = { X: edgeStrength(X), Z: edgeStrength(Z) };
  const pooled = { X: pool(strength.X), Z: pool(strength.Z) };
  const cells: [Tensor, string][] = [
    [X, t.image],
    [strength.X, t.strength],
    [pooled.X, t.pooled],
    [Z, t.shifted],
    [strength.Z, t.strength],
    [pooled.Z, t.pooled],
  ];
  // Cells lit (non-zero) in both rows' maps, outlined in both panels.
  const litBoth = (a: Tensor, b: Tensor) => grid(a).map((row, h) => row.map((v, w) => v !== 0 && grid(b)[h][w] !== 0));
  const both = { strength: litBoth(strength.X, strength.Z), pooled: litBoth(pooled.X, pooled.Z) };
  const shapes: object[] = [];
  for (const [panel, mask] of [[2, both.strength], [3, both.pooled], [5, both.strength], [6, both.pooled]] as const) {
    mask.forEach((row, h) => row.forEach((on, w) => on && shapes.push(cellRect(h, h + 1, w, w + 1, { x: `x${panel}`, y: `y${panel}` }, { color: "#2ca02c" }))));
  }
  const count = (m: boolean[][]) => m[0].filter(Boolean).length;
  const lit = (x: Tensor) => grid(x)[0].filter((v) => v !== 0).length;
  const subtitle = t.both(count(both.strength), lit(strength.X), count(both.pooled), lit(pooled.X));
  const data = cells.map(([m], i) =>
    heatmap(grid(m), { xaxis: `x${i + 1}`, yaxis: `y${i + 1}`, colorscale: i % 3 === 0 ? SCALES.image : SCALES.input, zmin: 0, zmax: 1 }),
  );
  const layout: Record<string, unknown> = {
    title: { text: `${t.title}<br><sub>${subtitle}</sub>` },
    height: 560,
    margin: { t: 120 },
    grid: { rows: 2, columns: 3, pattern: "independent" },
    shapes,
    annotations: cells.map(([, label], i) => ({
      text: label,
      xref: `x${i + 1} domain`,
      yref: `y${i + 1} domain`,
      x: 0.5,
      y: 1.12,
      showarrow: false,
    })),
  };
  cells.forEach((_, i) => {
    layout[`xaxis${i + 1}`] = { dtick: 1, showgrid: false, zeroline: false };
    layout[`yaxis${i + 1}`] = { dtick: 1, autorange: "reversed", showgrid: false, zeroline: false };
  });
  return { figure: { title: t.title, lang, data, layout }, strength, pooled };
}
