/**
 * `d2l-pooling/grader` in the browser kernel. Placeholder until browser grading lands: says so
 * plainly, in both languages, and tells the student how to get a grade.
 */
import { display } from "./tslab";

export interface ShowGradeOptions {
  lang?: "zh" | "en";
}

export async function showGrade(_options: ShowGradeOptions = {}): Promise<void> {
  display.html(
    "<p>在浏览器里评分尚未完成：请用 File → Download exercises (zip) 下载你的练习，交给老师，或在装有本项目的电脑上运行 <code>npm run grade</code>。</p>" +
      "<p>Grading in the browser is not available yet: download your exercises with File → Download exercises (zip) and hand them in, or run <code>npm run grade</code> in a copy of the project.</p>",
  );
}

let lang: "zh" | "en" = "en";
/** The notebook's language (its folder: notebooks/zh → zh), for showGrade's default. */
export function setLang(l: "zh" | "en"): void {
  lang = l;
}
export const notebookLang = (): "zh" | "en" => lang;
