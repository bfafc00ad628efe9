/**
 * A student's two feedback pages:
 *
 * - feedback-visible.html, safe to send now: the visible parts only (../scoring.ts visibleOnly) —
 *   their points, feedback and the time they took — and the files, written answers and type errors.
 *   Nothing in it depends on a hidden part: not a part's name, input, value or time, not the grade
 *   (which counts hidden parts), not when grading finished, not the seed.
 * - feedback-full.html, for after the grades are published: every part, the grade, written answers'
 *   points, late work, when and with which seed it was graded.
 *
 * Neither holds a path of the grading machine (publish.ts checks the written pages).
 */
import { inLang, text, type Lang, type Text } from "../i18n";
import { exerciseLabel, inNotebookOrder } from "../manifest";
import { STATUS_COLOR, typeErrorsOf } from "../results";
import { visibleOnly, type GradeReport } from "../scoring";
import type { Row } from "../gradebook/rows";
import type { StudentRecord } from "../gradebook/record";
import { esc, page, said, say, when, who } from "./html";

const STATUS: Record<GradeReport["exercises"][number]["status"], Text> = {
  passed: text("通过", "passed"),
  partial: text("部分通过", "partial"),
  failed: text("未通过", "failed"),
  "not started": text("未开始", "not started"),
};

export const TYPE_POLICY = text(
  "类型错误本身不扣分：评分器按你写的代码运行（去掉类型），按计算结果评分。但还是请改正它们——在你的副本里 `npm run typecheck` 会列出它们。",
  "Type errors do not cost points by themselves: the grader ran the code as written (types stripped) and graded what it computed. Fix them all the same — `npm run typecheck` shows them in your copy.",
);

function exerciseSections(report: GradeReport, files: StudentRecord["exercises"], lang: Lang, showHiddenTag: boolean): string {
  const typeErrors = typeErrorsOf(report);
  // In the order of the student's notebook, as its headings number them.
  return inNotebookOrder(report.exercises, lang)
    .map((e) => {
      const heading = `<h2>${esc(e.id)} <small>${esc(exerciseLabel(e, lang))} — ${esc(e.title[lang])}</small></h2>`;
      // Not handed in, or the stub unchanged: one line, not the same "not found" under every part.
      const state = files[e.id]?.state;
      if (state !== "edited" && e.score === 0) {
        const why = state === "stub" ? text("与发布的模板相同：没有作答", "the stub, unchanged: not attempted") : text(`没有交 ${e.id}.ts：没有作答`, `no ${e.id}.ts handed in: not attempted`);
        return `<section>${heading}<p><b style="color:${STATUS_COLOR["not started"]}">${say(why, lang)}</b> — 0/${e.max}</p></section>`;
      }
      const rows = e.parts
        .map((p) => {
          const ok = p.status === "passed";
          const body = ok ? "" : `<pre>${said(p.output, lang)}</pre>`;
          const answer = p.answers.length ? `<div><b>${say(text("书面回答", "Written answer"), lang)}</b><pre>${esc(p.answers.join("\n\n"))}</pre></div>` : "";
          const tag = showHiddenTag && p.hidden ? ` <span class="tag">${say(text("隐藏测试", "hidden test"), lang)}</span>` : "";
          return `<tr><td style="color:${ok ? "#1a7f37" : "#cf222e"}">${ok ? "✓" : "✗"}</td><td>${said(p.title, lang)}${tag}${body}${answer}</td><td class="num">${p.score}/${p.points}</td></tr>`;
        })
        .join("\n");
      const types = typeErrors[`${e.id}.ts`]?.length ? `<div class="types"><b>${say(text("类型错误（不计分）", "Type errors (not graded)"), lang)}</b><pre>${esc(typeErrors[`${e.id}.ts`].join("\n"))}</pre></div>` : "";
      return (
        `<section>${heading}` +
        `<p><b style="color:${STATUS_COLOR[e.status]}">${say(STATUS[e.status], lang)}</b> — ${e.score}/${e.max}</p><table>${rows}</table>${types}</section>`
      );
    })
    .join("\n");
}

function filesSection(rec: StudentRecord, lang: Lang): string {
  const graded = Object.entries(rec.exercises)
    .filter(([, f]) => f.state !== "missing")
    .map(([id, f]) => `<li><code>${esc(`${id}.ts`)}</code> ← <code>${esc(f.from)}</code>${f.state === "stub" ? ` <span class="dim">(${say(text("与模板相同：未作答", "the stub, unchanged: not attempted"), lang)})</span>` : ""}</li>`);
  const missing = Object.entries(rec.exercises).filter(([, f]) => f.state === "missing").map(([id]) => `<code>${esc(`${id}.ts`)}</code>`);
  const notes = rec.fileNotes.map((n) => `<li><code>${esc(n.file)}</code>: ${say(n.why, lang)}</li>`);
  return (
    `<section><h2>${say(text("文件", "Files"), lang)}</h2>` +
    `<p>${say(text("评分的文件：", "Graded:"), lang)}</p><ul>${graded.join("") || `<li>${say(text("没有找到任何练习文件", "no exercise file was found"), lang)}</li>`}</ul>` +
    (missing.length ? `<p>${say(text("没有找到（未作答）：", "Not found (not attempted):"), lang)} ${missing.join(", ")}</p>` : "") +
    (notes.length ? `<p>${say(text("没有评分的文件：", "Not graded:"), lang)}</p><ul>${notes.join("")}</ul>` : "") +
    `</section>`
  );
}

/** The type-error policy is said where there are type errors to read it beside, not on every page. */
function hasTypeErrors(report: GradeReport): boolean {
  return Object.values(typeErrorsOf(report)).some((list) => list.length > 0);
}

function otherTypeErrors(report: GradeReport, lang: Lang): string {
  const all = typeErrorsOf(report);
  const other = Object.keys(all).filter((f) => !report.exercises.some((e) => `${e.id}.ts` === f) && all[f].length);
  const problem = report.typecheck && "problem" in report.typecheck ? `<p><b>${say(text("类型检查没有运行：", "The type check did not run:"), lang)}</b> ${said(report.typecheck.problem, lang)}</p>` : "";
  return (other.length ? `<section class="types"><h2>${say(text("其他文件的类型错误（不计分）", "Type errors in other files (not graded)"), lang)}</h2><pre>${esc(other.map((f) => all[f].join("\n")).join("\n"))}</pre></section>` : "") + problem;
}

const warningsList = (warnings: readonly (string | Text)[], lang: Lang) => (warnings.length ? `<ul>${warnings.map((w) => `<li>${said(w, lang)}</li>`).join("")}</ul>` : "");

const TITLE = text("汇聚层练习（d2l.ai 6.5）", "Pooling exercises (d2l.ai 6.5)");

/** The page to send before the grades are published: visible parts only. */
export function visiblePage(row: Row, lang: Lang): string {
  const rec = row.record;
  const v = visibleOnly(rec.report);
  const late = row.late ? `<p>${say(row.flags.find((f) => f.code === "late")!.text, lang)}</p>` : "";
  const body =
    `<h1>${say(TITLE, lang)} — ${who(rec.id)}</h1>` +
    `<div class="banner safe">${say(text("只含公开测试：可以在公布成绩之前发给学生。隐藏测试的结果在公布成绩时给出。", "Visible tests only: safe to send before the grades are published. The hidden tests are shown when the grades are published."), lang)}</div>` +
    `<p class="big"><b>${say(text(`公开测试：${v.score}/${v.max} 分`, `Visible tests: ${v.score}/${v.max} points`), lang)}</b></p>` +
    `<p class="dim">${say(text("你的成绩还包括隐藏测试，公布成绩时给出。", "Your grade also counts hidden tests; they are shown when the grades are published."), lang)}</p>` +
    late +
    warningsList(v.warnings, lang) +
    filesSection(rec, lang) +
    exerciseSections(v, rec.exercises, lang, false) +
    otherTypeErrors(v, lang) +
    (hasTypeErrors(v) ? `<p><small>${say(TYPE_POLICY, lang)}</small></p>` : "");
  return page({ lang, title: `${inLang(TITLE, lang)} — ${rec.id}`, body });
}

/** The complete page, for after the grades are published. */
export function fullPage(row: Row, lang: Lang, written: { maxTotal: number; max?: ReadonlyMap<string, number> }): string {
  const rec = row.record;
  const r = rec.report;
  const v = visibleOnly(r);
  const extra: string[] = [];
  if (row.written) {
    extra.push(inLang(text(`书面回答（人工评分）：${row.written.points}/${written.maxTotal} 分`, `Written answers (graded by hand): ${row.written.points}/${written.maxTotal} points`), lang));
    // Each question's points and the TA's comment (manual-points.csv's comment column).
    for (const [q, points] of row.written.byQuestion) {
      const max = written.max?.get(q);
      const comment = row.written.comments.get(q);
      extra.push(`    ${q}: ${points}${max !== undefined ? `/${max}` : ""}${comment ? ` — ${comment}` : ""}`);
    }
  }
  const late = row.flags.find((f) => f.code === "late");
  if (late) extra.push(inLang(late.text, lang));
  if (row.written || (row.late && row.late.penalty > 0)) extra.push(inLang(text(`最终成绩：${row.final}/${row.finalMax} 分`, `Final: ${row.final}/${row.finalMax} points`), lang));
  const at = when(rec.gradedAt);
  const body =
    `<h1>${say(TITLE, lang)} — ${who(rec.id)}</h1>` +
    `<div class="banner full">${say(text("全部测试（含隐藏测试）：请在公布成绩之后再发给学生。", "All tests, hidden ones included: send it after the grades are published."), lang)}</div>` +
    `<p class="big"><b>${say(text(`成绩：${r.score}/${r.max} 分`, `Grade: ${r.score}/${r.max} points`), lang)}</b> <span class="dim">${say(text(`（公开测试 ${v.score}/${v.max}，隐藏测试 ${r.score - v.score}/${r.max - v.max}）`, `(visible tests ${v.score}/${v.max} + hidden tests ${r.score - v.score}/${r.max - v.max})`), lang)}</span></p>` +
    (extra.length ? `<ul>${extra.map((x) => `<li>${esc(x)}</li>`).join("")}</ul>` : "") +
    warningsList(r.warnings, lang) +
    filesSection(rec, lang) +
    exerciseSections(r, rec.exercises, lang, true) +
    otherTypeErrors(r, lang) +
    `<p><small>${say((r.executionTime === null ? text(`评分时间 ${at}`, `Graded ${at}`) : text(`评分时间 ${at}；用时 ${r.executionTime.toFixed(1)} 秒`, `Graded ${at} in ${r.executionTime.toFixed(1)} s`)), lang)}${r.seed !== null ? say(text(`；评分种子 ${r.seed}（--seed ${r.seed} 可重现）`, `; grading seed ${r.seed} (--seed ${r.seed} reproduces it)`), lang) : ""}.${hasTypeErrors(r) ? ` ${say(TYPE_POLICY, lang)}` : ""}</small></p>`;
  return page({ lang, title: `${inLang(TITLE, lang)} — ${rec.id}`, body });
}
