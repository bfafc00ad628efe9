/**
 * Pictures for the pooling notebooks (plotly). Import as `d2l-pooling/plot`:
 *
 *   import { show, slidingWindowFigure } from "d2l-pooling/plot";
 *   show(slidingWindowFigure(X, 2, { mode: "max", lang: "en" }));
 */
export { show } from "./display";
export { figureHtml, resendBundle } from "./html";
export type { Figure, HtmlOptions } from "./html";
export { slidingWindowFigure } from "./figures/sliding-window";
export type { SlidingWindowOptions } from "./figures/sliding-window";
export { edgeShiftFigure, edgeImage, shiftLeft, fractionUnchanged } from "./figures/edge-shift";
export type { EdgeShiftResult } from "./figures/edge-shift";
export { poolingComparisonFigure } from "./figures/compare";
export { costFigure } from "./figures/cost";
export type { CostPoint } from "./figures/cost";
export type { Lang } from "./heatmap";
