/**
 * Ways to show a GradeReport: Gradescope's results.json, the terminal table with the feedback under
 * it, and the HTML table the notebooks display — each in one language (../i18n.ts: the report holds
 * both; `inLanguage` picks one).
 */
import * as path from "node:path";
import { EXERCISES, exerciseLabel, inNotebookOrder } from "./manifest";
import type { ExerciseResult, GradeReport } from "./grade";
import { inLang, text, type Lang } from "./i18n";
import { inLanguage, visibleOnly, type ShownReport } from "./scoring";
import { displayPath } from "./paths";
import { escapeHtml as esc } from "../html/escape";
import { safeLine, safeText } from "./terminal";

// ---------------------------------------------------------------------------------------------
// Gradescope (https://gradescope-autograders.readthedocs.io/en/latest/specs/)

export interface GradescopeTest {
  name: string;
  number: string;
  score: number;
  max_score: number;
  status: "passed" | "failed";
  output: string;
  visibility: "visible" | "hidden" | "after_due_date" | "after_published";
  tags: string[];
}

export interface GradescopeResults {
  score: number;
  max_score: number;
  output: string;
  /** Seconds; left out when the grade counts hidden tests (it would include their time). */
  execution_time?: number;
  visibility: "visible";
  stdout_visibility: "hidden";
  /** Gradescope stores it with the submission: the grading seed (`--seed` reproduces the grade). */
  extra_data: { grading_seed: number | null };
  tests: GradescopeTest[];
}

/** The words of the tables and pages, in each language. */
export const WORDS = {
  en: {
    ex: "exercise", pts: "points", status: "status", feedback: "feedback", total: "total", details: "details",
    hidden: "hidden tests included", visible: "hidden instructor tests not run", passed: "passed", partial: "partial", failed: "failed", "not started": "not started",
    answer: "Written answer", note: "note", warning: "warning", typeCheck: "TypeScript type check (not graded)", noTypeErrors: "No type errors.",
    typeNotRun: "The type check did not run", notRun: "not run",
    typePolicy:
      "Type errors do not cost points by themselves: the grader ran the code as written (types stripped) and graded what it computed. Fix them all the same — `npm run typecheck` shows them in your copy.",
    scopeAll: "all tests, hidden ones included (instructor run)", scopeVisible: "visible tests (hidden instructor tests are not run)",
    scopePublished: "visible tests only; the hidden tests are shown when the grades are published",
    seed: (s: number) => `grading seed ${s} (--seed ${s} draws the same cases)`,
    more: (n: number, how?: string) => `and ${n} more failing part${n > 1 ? "s" : ""}${how ? ` (${how} shows them)` : ""}`,
    moreLines: (n: number, how?: string) => `… and ${n} more${how ? ` (${how} shows them)` : ""}`,
    typeHead: "type errors (not graded by themselves: a file that compiles runs with its types stripped, a file with a syntax error does not run at all — fix them; `npm run typecheck` shows them too)",
  },
  zh: {
    ex: "练习", pts: "得分", status: "状态", feedback: "反馈", total: "总分", details: "详情",
    hidden: "含隐藏测试", visible: "不含老师的隐藏测试", passed: "通过", partial: "部分通过", failed: "未通过", "not started": "未开始",
    answer: "书面回答", note: "说明", warning: "警告", typeCheck: "TypeScript 类型检查（不计分）", noTypeErrors: "没有类型错误。",
    typeNotRun: "类型检查没有运行", notRun: "没有运行",
    typePolicy: "类型错误本身不扣分：评分器按你写的代码运行（去掉类型）并给算出的结果评分。但还是请改正它们——在你的副本里运行 `npm run typecheck` 可以看到。",
    scopeAll: "全部测试，含隐藏测试（老师的评分）", scopeVisible: "公开测试（不运行老师的隐藏测试）",
    scopePublished: "只含公开测试；隐藏测试在成绩公布时显示",
    seed: (s: number) => `评分种子 ${s}（--seed ${s} 会抽到同样的用例）`,
    more: (n: number, how?: string) => `另有 ${n} 个未通过的部分${how ? `（${how} 会显示它们）` : ""}`,
    moreLines: (n: number, how?: string) => `……另有 ${n} 条${how ? `（${how} 会显示它们）` : ""}`,
    typeHead: "类型错误（本身不计分：能编译的文件去掉类型后照常运行，有语法错误的文件根本不能运行——请改正；`npm run typecheck` 也会显示它们）",
  },
} as const;

function partOutput(p: ShownReport["exercises"][number]["parts"][number], lang: Lang): string {
  const answers = p.answers.length ? `\n\n${WORDS[lang].answer}:\n${p.answers.join("\n\n")}` : "";
  return (p.status === "passed" ? WORDS[lang].passed : p.output) + answers;
}

/** File name → type errors (empty when none, or when the check did not run). */
export function typeErrorsOf(report: Pick<GradeReport, "typecheck">): Record<string, string[]> {
  return report.typecheck && "errors" in report.typecheck ? report.typecheck.errors : {};
}

/** The 0-point "type check" test: its errors, or why it did not run. */
function typecheckTest(report: GradeReport, number: string, lang: Lang): GradescopeTest {
  const w = WORDS[lang];
  const errors = typeErrorsOf(report);
  const files = Object.keys(errors).sort();
  const problem = report.typecheck === null ? w.notRun : "problem" in report.typecheck ? report.typecheck.problem : null;
  return {
    name: w.typeCheck,
    number,
    score: 0,
    max_score: 0,
    status: files.length || problem ? "failed" : "passed",
    output: problem ? `${w.typeNotRun}: ${problem}.` : files.length ? `${files.map((f) => errors[f].join("\n")).join("\n")}\n\n${w.typePolicy}` : w.noTypeErrors,
    visibility: "visible",
    tags: ["typecheck"],
  };
}

export interface GradescopeOptions {
  /** Lines shown under the table before anything else (files not graded, late work), already in one language. */
  notes?: readonly string[];
  /** The language of everything it shows (default English). */
  lang?: Lang;
}

export function toGradescope(full: GradeReport, o: GradescopeOptions = {}): GradescopeResults {
  const lang = o.lang ?? "en";
  const w = WORDS[lang];
  const report = inLanguage(full, lang);
  const tests: GradescopeTest[] = [];
  for (const e of report.exercises) {
    for (const p of e.parts) {
      tests.push({
        name: `${e.id}: ${p.title}`,
        number: p.number,
        score: p.score,
        max_score: p.points,
        status: p.status,
        output: partOutput(p, lang),
        // Hidden tests count at once but students see them only when the grades are published.
        visibility: p.hidden ? "after_published" : "visible",
        tags: [e.id],
      });
    }
  }
  tests.push(typecheckTest(full, `${EXERCISES.length + 1}.1`, lang));
  // The top-level output is shown at once: the visible parts only — their table and warnings, no
  // time (see visibleOnly) — and the total says which total it is.
  const visible = inLanguage(full.hidden ? visibleOnly(full) : full, lang);
  const extra = [...(o.notes ?? []), ...report.notes.map((n) => `${w.note}: ${n}`), ...visible.warnings.map((x) => `${w.warning}: ${x}`)];
  const shown = full.hidden
    ? `${textTable(visible, { color: false, width: 200, scope: w.scopePublished, lang })}\n` +
      inLang(
        text(
          `公开测试：${visible.score}/${visible.max} 分。这次提交的得分还包括隐藏测试，公布成绩时给出。`,
          `Visible tests: ${visible.score}/${visible.max} points. The score of this submission also counts the hidden tests, shown when the grades are published.`,
        ),
        lang,
      )
    : textTable(report, { color: false, width: 200, lang });
  return {
    score: report.score,
    max_score: report.max,
    output: shown + (extra.length ? `\n\n${extra.join("\n")}` : ""),
    ...(visible.executionTime === null ? {} : { execution_time: Math.round(visible.executionTime * 10) / 10 }),
    visibility: "visible",
    stdout_visibility: "hidden",
    extra_data: { grading_seed: report.seed },
    tests,
  };
}

// ---------------------------------------------------------------------------------------------
// Terminal

export interface TextOptions {
  color?: boolean;
  /** Terminal width (feedback lines are cut to fit). */
  width?: number;
  /** What the table covers, when not what `report.hidden` says. */
  scope?: string;
  lang?: Lang;
}

const ANSI = { green: "\x1b[32m", red: "\x1b[31m", yellow: "\x1b[33m", dim: "\x1b[2m", bold: "\x1b[1m", reset: "\x1b[0m" };

function paint(text: string, color: keyof typeof ANSI, on: boolean): string {
  return on ? `${ANSI[color]}${text}${ANSI.reset}` : text;
}

function statusColor(s: ExerciseResult["status"]): keyof typeof ANSI {
  return s === "passed" ? "green" : s === "partial" ? "yellow" : s === "failed" ? "red" : "dim";
}

function cut(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(1, width - 1))}…`;
}

const num = (n: number | null) => (n === null ? "–" : String(n));

/** Width of a string in a terminal: CJK characters take two columns. */
const columns = (s: string) => [...s].reduce((n, c) => n + (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(c) ? 2 : 1), 0);
const padEnd = (s: string, n: number) => s + " ".repeat(Math.max(0, n - columns(s)));

/** The table of exercises. What the submission controls is made terminal-safe (./terminal.ts). */
export function textTable(report: ShownReport, o: TextOptions = {}): string {
  const lang = o.lang ?? "en";
  const w = WORDS[lang];
  const color = o.color ?? false;
  const width = Math.max(80, o.width ?? 100);
  const idWidth = Math.max(8, ...report.exercises.map((e) => e.id.length));
  const labelWidth = Math.max(...report.exercises.map((e) => columns(exerciseLabel(e, lang))), columns(w.total));
  const statusWidth = Math.max(...(["passed", "partial", "failed", "not started"] as const).map((s) => columns(w[s])));
  const header = `${padEnd(w.ex, labelWidth)}  ${padEnd("", idWidth)}  ${w.pts.padStart(7 - columns(w.pts) + w.pts.length)}  ${padEnd(w.status, statusWidth)}  ${w.feedback}`;
  const feedbackWidth = width - columns(header) + columns(w.feedback);
  const lines = [paint(header, "bold", color)];
  for (const e of inNotebookOrder(report.exercises, lang)) {
    const pts = `${e.score}/${e.max}`.padStart(7);
    const status = paint(padEnd(w[e.status], statusWidth), statusColor(e.status), color);
    lines.push(`${padEnd(exerciseLabel(e, lang), labelWidth)}  ${e.id.padEnd(idWidth)}  ${pts}  ${status}  ${cut(safeLine(e.feedback), feedbackWidth)}`);
  }
  const total = `${report.score}/${report.max}`.padStart(7);
  lines.push(paint(`${padEnd(w.total, labelWidth)}  ${"".padEnd(idWidth)}  ${total}`, "bold", color));
  const scope = o.scope ?? (report.hidden ? w.scopeAll : w.scopeVisible);
  const seed = report.seed !== null ? ` — ${w.seed(report.seed)}` : "";
  // A batch's report names its files "exercises" (no path of the grading machine); a student's, their folder.
  const where = path.isAbsolute(report.target) ? displayPath(report.target) : report.target;
  lines.push(paint(`${safeLine(where)}/ — ${scope}${seed}${seconds(report)}`, "dim", color));
  return lines.join("\n");
}

export interface DetailOptions extends TextOptions {
  /** Every failing part, not only the first of each exercise. */
  all?: boolean;
  /** How to see the rest, when not all is shown (e.g. "npm run grade -- --all"). */
  moreHint?: string;
  /** Type errors shown without `all`. */
  typeErrorLines?: number;
}

/**
 * The feedback under the table: each started exercise's first failing part in full (every failing
 * part with `all`), then the type errors. Terminal-safe.
 */
export function details(report: ShownReport, o: DetailOptions = {}): string {
  const w = WORDS[o.lang ?? "en"];
  const color = o.color ?? false;
  const blocks: string[] = [];
  for (const e of report.exercises) {
    if (e.status === "passed" || (e.status === "not started" && !o.all)) continue;
    const failing = e.parts.filter((x) => x.status === "failed" && (x.points > 0 || o.all));
    const first = failing.find((x) => x.points > 0 && !x.notStarted) ?? failing[0];
    if (!first) continue;
    const shown = o.all ? failing : [first];
    const more = failing.length - shown.length;
    for (const p of shown) {
      const tail = p === first && more > 0 ? ` — ${w.more(more, o.moreHint)}` : "";
      blocks.push([paint(`── ${e.id}: ${p.title} (${p.score}/${p.points})${tail}`, "bold", color), safeText(p.output)].join("\n"));
    }
  }
  const types = Object.entries(typeErrorsOf(report)).flatMap(([, lines]) => lines);
  if (types.length) {
    const limit = o.all ? Infinity : (o.typeErrorLines ?? 10);
    const head = paint(`── ${w.typeHead}`, "bold", color);
    const rest = types.length > limit ? [w.moreLines(types.length - limit, o.moreHint)] : [];
    blocks.push([head, ...types.slice(0, limit).map((l) => safeText(l)), ...rest].join("\n"));
  } else if (report.typecheck && "problem" in report.typecheck) {
    blocks.push(`── ${w.typeNotRun}: ${safeText(report.typecheck.problem)}`);
  }
  return blocks.join("\n\n");
}

// ---------------------------------------------------------------------------------------------
// HTML (notebooks)

/** The colour of an exercise status in HTML (notebook table, feedback pages). */
export const STATUS_COLOR: Record<ExerciseResult["status"], string> = { passed: "#1a7f37", partial: "#9a6700", failed: "#cf222e", "not started": "#6e7781" };

export function htmlTable(report: ShownReport, lang: Lang = "en"): string {
  const w = WORDS[lang];
  const rows = inNotebookOrder(report.exercises, lang).map((e) => {
    // Details only for started exercises: "not implemented yet" six times teaches nothing.
    const failed = e.status === "not started" ? [] : e.parts.filter((p) => p.points > 0 && p.status === "failed" && !p.notStarted);
    const more = failed.length
      ? `<details><summary>${esc(w.details)}</summary>${failed
          .map((p) => `<div style="margin:4px 0"><b>${esc(p.title)}</b> (${p.score}/${p.points})<pre style="white-space:pre-wrap;margin:2px 0">${esc(p.output)}</pre></div>`)
          .join("")}</details>`
      : "";
    return (
      `<tr><td style="text-align:left">${esc(exerciseLabel(e, lang))}<br><small>${esc(e.title)}</small></td>` +
      `<td style="text-align:right">${e.score}/${e.max}</td>` +
      `<td style="text-align:left;color:${STATUS_COLOR[e.status]}">${esc(w[e.status])}</td>` +
      `<td style="text-align:left"><code>${esc(e.feedback)}</code>${more}</td></tr>`
    );
  });
  return (
    `<table style="border-collapse:collapse">` +
    `<thead><tr><th style="text-align:left">${w.ex}</th><th>${w.pts}</th><th style="text-align:left">${w.status}</th><th style="text-align:left">${w.feedback}</th></tr></thead>` +
    `<tbody>${rows.join("")}</tbody>` +
    `<tfoot><tr><th style="text-align:left">${w.total}</th><th style="text-align:right">${report.score}/${report.max}</th><td colspan="2" style="text-align:left"><small>${esc(report.hidden ? w.hidden : w.visible)}${seconds(report, " · ")}</small></td></tr></tfoot>` +
    `</table>`
  );
}

/** " — 1.2 s" after a report's line; nothing for a view shown before publishing (it has no time). */
function seconds(report: { executionTime: number | null }, before = " — "): string {
  return report.executionTime === null ? "" : `${before}${report.executionTime.toFixed(1)} s`;
}
