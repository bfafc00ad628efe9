/**
 * Makes every page and sheet of the gradebook from its records — after each run, after an
 * interrupted one, and on `--refresh` — so a run that grades one student rewrites nobody else's grade
 * and every output always agrees with the records:
 *
 *   students/<dir>/results.json          Gradescope's format (the grading itself: no late penalty, no manual points)
 *   students/<dir>/feedback-visible.html send now: visible parts only (../pages/feedback.ts)
 *   students/<dir>/feedback-full.html    after the grades are published
 *   grades.csv, report.html, written-answers.html, manual-points.csv (created, then only appended to)
 *   canvas.csv, moodle.csv               with a roster
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { join, text, inLang, same, type Lang, type Text } from "../i18n";
import type { FileNote } from "../collect/tree";
import { plainName } from "../collect/names";
import { canvasCsv, moodleCsv } from "../export/lms";
import { policyName } from "../export/late";
import { answersPage } from "../pages/answers";
import { when } from "../pages/html";
import { classReport } from "../pages/class-report";
import { fullPage, visiblePage } from "../pages/feedback";
import { capText } from "../records";
import { toGradescope } from "../results";
import type { GradeReport } from "../scoring";
import type { Gradebook } from "./book";
import { classFlags, solutionDigests } from "./flags";
import { MANUAL_FILE, readManual, syncManualFile, writtenQuestions } from "./manual";
import { readRecords, writeFileAtomic, writeFileIfChanged, type StudentRecord } from "./record";
import { makeRows, missingStudents, type Row } from "./rows";
import { gradesCsv } from "./sheet";

/** Largest results.json or feedback page written for one student (the caps keep them far below). */
export const OUTPUT_CAP_BYTES = 4 * 1024 * 1024;

export interface PublishOptions {
  lang: Lang;
  /** The project (for the reference solutions' hashes). */
  root: string;
  /** Paths of the grading machine that must not appear in any page (the project, the submissions, the gradebook). */
  hide: readonly string[];
  /** What at the top of the submissions folder was not a student (this run's). */
  skipped?: readonly FileNote[];
  /** More problems to show (a roster's warnings…). */
  problems?: readonly Text[];
}

export interface Published {
  rows: Row[];
  problems: Text[];
  manualRowsAdded: number;
}

/** Every path of the grading machine in `s` replaced by "…": the work folders, the project, the gradebook. */
export function hidePaths(s: string, hide: readonly string[]): string {
  let out = s.replace(new RegExp(`${escapeRe(os.tmpdir())}/d2l-[\\w.-]+`, "g"), "…");
  for (const p of [...hide].filter((x) => x.length > 4).sort((a, b) => b.length - a.length)) out = out.split(p).join("…");
  return out;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Every text a submission controls cut to `chars` characters (a page over the cap is made again with them). */
function shortened(r: GradeReport, chars: number): GradeReport {
  const cut = (t: string) => capText(t, chars);
  const cutText = (t: Text): Text => ({ zh: cut(t.zh), en: cut(t.en) });
  const typecheck = r.typecheck && "errors" in r.typecheck ? { errors: Object.fromEntries(Object.entries(r.typecheck.errors).map(([f, lines]) => [f, lines.map(cut)])) } : r.typecheck;
  return {
    ...r,
    notes: r.notes.map(cutText),
    warnings: r.warnings.map(cutText),
    typecheck,
    exercises: r.exercises.map((e) => ({ ...e, feedback: cutText(e.feedback), parts: e.parts.map((p) => ({ ...p, output: cutText(p.output), answers: p.answers.map(cut) })) })),
  };
}

function studentFiles(row: Row, o: PublishOptions, manual: { maxTotal: number; max: ReadonlyMap<string, number> }): Record<string, string> {
  for (const cap of [Infinity, 2000, 200]) {
    const rec: StudentRecord = cap === Infinity ? row.record : { ...row.record, report: shortened(row.record.report, cap) };
    const r = { ...row, record: rec };
    const notes = rec.fileNotes.map((n) => `${inLang(text("没有评分的文件", "file not graded"), o.lang)}: ${n.file}: ${inLang(n.why, o.lang)}`);
    const files = {
      "results.json": `${JSON.stringify(toGradescope(rec.report, { notes, lang: o.lang }), null, 2)}\n`,
      "feedback-visible.html": visiblePage(r, o.lang),
      "feedback-full.html": fullPage(r, o.lang, manual),
    };
    const hidden = Object.fromEntries(Object.entries(files).map(([k, v]) => [k, hidePaths(v, o.hide)]));
    if (Object.values(hidden).every((v) => Buffer.byteLength(v) <= OUTPUT_CAP_BYTES)) return hidden;
  }
  throw new Error("its pages do not fit in the output cap even when shortened");
}

export function publish(book: Gradebook, o: PublishOptions): Published {
  const out = book.dir;
  const { records, unreadable } = readRecords(out);
  const problems: Text[] = [...(o.problems ?? [])];
  for (const u of unreadable) problems.push(text(`无法读取：${u}`, `cannot be read: ${u}`));
  for (const s of o.skipped ?? []) problems.push(text(`提交文件夹中的 ${s.file}：${s.why.zh}`, `${s.file} in the submissions folder: ${s.why.en}`));
  const manualRowsAdded = syncManualFile(out, records);
  const manual = readManual(out, new Set(records.map((r) => r.id)));
  for (const w of manual.warnings) problems.push(same(w));
  const solutions = solutionDigests((id) => {
    const f = path.join(o.root, "solutions", `${id}.ts`);
    return fs.existsSync(f) ? fs.readFileSync(f) : null;
  });
  const rows = makeRows(records, classFlags(records, solutions), book.data.roster, book.data.late, manual);
  const missing = missingStudents(records, book.data.roster);
  for (const row of rows) {
    try {
      const files = studentFiles(row, o, manual);
      for (const [name, content] of Object.entries(files)) writeFileIfChanged(path.join(out, "students", row.record.dir, name), content);
    } catch (e) {
      problems.push(text(`${row.record.id}：无法写出结果（${(e as Error).message}）`, `${row.record.id}: its results could not be written (${(e as Error).message})`));
    }
  }
  const roster = !!book.data.roster;
  const rule = book.data.late;
  const files: { href: string; what: Text }[] = [
    { href: "grades.csv", what: text("成绩表", "the grade sheet") },
    { href: "written-answers.html", what: text("书面回答，人工评分用", "written answers, to grade by hand") },
    { href: MANUAL_FILE, what: text("人工评分的分数", "points graded by hand") },
  ];
  writeFileAtomic(path.join(out, "grades.csv"), hidePaths(gradesCsv(rows, missing, { roster, writtenMax: manual.maxTotal, lang: o.lang }), o.hide));
  writeFileAtomic(path.join(out, "written-answers.html"), hidePaths(answersPage(rows, writtenQuestions(), manual, o.lang), o.hide));
  if (roster) {
    // A row without a roster entry has no id in the LMS: it cannot go into the exports — said, with a guess.
    for (const row of rows.filter((r) => !r.roster)) {
      const like = missing.find((m) => plainName(m.folder) === plainName(row.record.id));
      const guess = like ? text(`（名单上的 ${like.folder} 是不是就是这个学生？把名单里的文件夹名改成 ${row.record.id}）`, ` (is the roster's ${like.folder} this student? Write ${row.record.id} as the roster's folder name)`) : text("", "");
      problems.push(join([text(`${row.record.id} 不在名单（roster）上，所以不在 canvas.csv 和 moodle.csv 里`, `${row.record.id} is not on the roster, so it is not in canvas.csv and moodle.csv`), guess]));
    }
    const possible = (rows[0]?.max ?? 0) + manual.maxTotal;
    writeFileAtomic(path.join(out, "canvas.csv"), canvasCsv(rows, missing, book.data.assignment, possible));
    writeFileAtomic(path.join(out, "moodle.csv"), moodleCsv(rows, missing, book.data.assignment));
    files.push({ href: "canvas.csv", what: text("导入 Canvas", "import into Canvas") }, { href: "moodle.csv", what: text("导入 Moodle", "import into Moodle") });
  }
  const policy = rule ? inLang(text(`截止 ${when(rule.deadline)}，迟交政策 ${policyName(rule.policy)}`, `deadline ${when(rule.deadline)}, late policy ${policyName(rule.policy)}`), o.lang) : null;
  const report = classReport(rows, { lang: o.lang, lastRun: book.lastRun, problems, missing, writtenMax: manual.maxTotal, files, policy });
  writeFileAtomic(path.join(out, "report.html"), hidePaths(report, o.hide));
  return { rows, problems, manualRowsAdded };
}
