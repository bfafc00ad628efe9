/**
 * OUT/written-answers.html: every student's answer to each written question side by side, to grade
 * by hand into OUT/manual-points.csv (../gradebook/manual.ts); the points already written there are
 * shown beside each answer.
 */
import { text, type Lang, type Text } from "../i18n";
import type { ManualPoints, Question } from "../gradebook/manual";
import type { Row } from "../gradebook/rows";
import { esc, page, said, say, who } from "./html";

/** Why a row has no answer to read: a file that did not load may still hold one (a TA must not give 0 for that unseen). */
function noAnswer(r: Row, q: Question): Text {
  if (r.record.syntaxErrors[q.exercise]) {
    return text(`（没有读到：${q.exercise}.ts 有语法错误，回答可能就在文件里——请打开这份提交查看）`, `(not read: ${q.exercise}.ts has a syntax error; the answer may be in it — open the submission)`);
  }
  const note = r.record.fileNotes.find((n) => n.why.en.includes(`${q.exercise}.ts`));
  if (note) return text(`（没有读到：${note.file} 没有评分——${note.why.zh}）`, `(not read: ${note.file} was not graded — ${note.why.en})`);
  return text("（没有回答）", "(no answer)");
}

export function answersPage(rows: readonly Row[], questions: readonly Question[], manual: ManualPoints, lang: Lang): string {
  const sections = questions.map((q) => {
    const max = manual.max.get(q.key);
    const body = rows
      .map((r) => {
        const part = r.record.report.exercises.find((e) => e.id === q.exercise)?.parts.find((p) => p.key === q.part);
        const answer = part?.answers.length ? `<pre>${esc(part.answers.join("\n\n"))}</pre>` : `<span class="dim">${say(noAnswer(r, q), lang)}</span>`;
        const s = manual.byStudent.get(r.record.id);
        const pts = s?.byQuestion.get(q.key);
        const comment = s?.comments.get(q.key);
        return `<tr><td>${who(r.record.id)}</td><td>${answer}${comment ? `<small>${esc(comment)}</small>` : ""}</td><td class="num">${pts !== undefined ? `${pts}${max !== undefined ? `/${max}` : ""}` : ""}</td></tr>`;
      })
      .join("\n");
    return `<section id="${esc(q.key)}"><h2><code>${esc(q.key)}</code> <small>${said(q.title, lang)}</small></h2><table><tr><th>${say(text("学生", "student"), lang)}</th><th>${say(text("回答", "answer"), lang)}</th><th class="num">${say(text("得分", "points"), lang)}</th></tr>${body}</table></section>`;
  });
  const title = text("书面回答——人工评分", "Written answers — grading by hand");
  const how = text(
    "把分数写进 manual-points.csv（每个学生、每道题一行：points 填得分，max_points 至少在每道题的一行里填满分），再运行 npm run grade -- --out 本文件夹 --refresh，分数就会加进 grades.csv。",
    "Write the points into manual-points.csv (one row per student and question: points, and max_points in at least one row of each question), then run npm run grade -- --out THIS_FOLDER --refresh: the points go into grades.csv.",
  );
  const toc = questions.map((q) => `<li><a href="#${esc(q.key)}"><code>${esc(q.key)}</code></a> ${said(q.title, lang)}</li>`).join("");
  return page({ lang, title: title[lang], body: `<h1>${say(title, lang)}</h1><p>${say(how, lang)}</p><ul>${toc}</ul>${sections.join("\n")}` });
}
