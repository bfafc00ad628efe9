/**
 * Pictures for the pooling notebooks (plotly). Import as `d2l-pooling/plot`:
 *
 *   import { show, slidingWindowFigure } from "d2l-pooling/plot";
 *   show(slidingWindowFigure(X, 2, { mode: "max", lang: "en" }));
 */
export { show } from "./display";
export { figureHtml, resendBundle } from "./html";
export type { Figure, HtmlOptions } from "./html";
export { slidingWindowFigure, adaptiveWindowFigure } from "./figures/sliding-window";
export type { SlidingWindowOptions } from "./figures/sliding-window";
export { gradientFigure } from "./figures/gradients";
export type { GradientFigureOptions } from "./figures/gradients";
export { edgeShiftFigure, edgeImage, edgeStrength, shiftLeft } from "./figures/edge-shift";
export type { EdgeShiftResult } from "./figures/edge-shift";
export { shiftFramesFigure } from "./figures/shift-frames";
export type { ShiftFramesOptions } from "./figures/shift-frames";
export { poolingComparisonFigure } from "./figures/compare";
export { softmaxBetaFigure } from "./figures/softmax-beta";
export type { BetaResult } from "./figures/softmax-beta";
export { timingFigure } from "./figures/timing";
export type { TimingSeries } from "./figures/timing";
export type { Lang } from "./heatmap";
