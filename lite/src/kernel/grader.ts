/**
 * `d2l-pooling/grader` in the browser kernel: `await showGrade()` grades the exercises as saved in
 * the browser, with the course's visible tests (lite/src/grade/), and shows the grader's own table —
 * with each failing part's feedback under "details" — in the notebook's language.
 */
import { inspect } from "node-inspect-extracted";
import type { GradeReport } from "../../../src/grader/scoring";
import { gradeHere, htmlTable, inLanguage } from "../grade/grade";
import { newDisplay } from "./tslab";

export interface ShowGradeOptions {
  /** Table language and exercise numbering; default: the notebook's folder (notebooks/zh → zh). */
  lang?: "zh" | "en";
  /** Only these exercises (file names without .ts). */
  exercises?: string[];
  /** Not in the browser: the hidden tests are the instructor's. */
  hidden?: boolean;
  /** Not in the browser: it grades the exercises/ folder of this site. */
  target?: string;
}

export type GradeSummary = GradeReport & { [inspect.custom](): string };

let lang: "zh" | "en" = "en";
/** The notebook's language (its folder: notebooks/zh → zh), for showGrade's default. */
export function setLang(l: "zh" | "en"): void {
  lang = l;
}

export async function showGrade(options: ShowGradeOptions = {}): Promise<GradeSummary> {
  if (options.hidden) throw new Error("showGrade({ hidden: true }): the hidden tests are your instructor's, not in this site / 隐藏测试只在老师那里");
  if (options.target) throw new Error("showGrade({ target }): in the browser it grades this site's exercises/ folder only / 浏览器里只评 exercises/ 文件夹");
  const shown = options.lang ?? lang;
  const display = newDisplay();
  display.html("<i>grading… / 正在评分…</i>");
  const report = await gradeHere(options.exercises);
  display.html(htmlTable(inLanguage(report, shown), shown));
  return Object.assign(report, {
    [inspect.custom]: () => `${shown === "zh" ? "总分" : "score"} ${report.score}/${report.max}`,
  });
}
