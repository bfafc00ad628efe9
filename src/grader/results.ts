/**
 * Ways to show a GradeReport: Gradescope's results.json, the terminal table with the feedback under
 * it, and the HTML table the notebooks display.
 */
import * as path from "node:path";
import { EXERCISES, exerciseLabel } from "./manifest";
import type { ExerciseResult, GradeReport, PartResult } from "./grade";
import { visibleOnly } from "./scoring";
import { displayPath } from "./paths";
import { escapeHtml as esc } from "../html/escape";
import { safeLine, safeText } from "./terminal";
import { inLang, text, type Lang } from "./i18n";

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
  execution_time: number;
  visibility: "visible";
  stdout_visibility: "hidden";
  /** Gradescope stores it with the submission: the grading seed (`--seed` reproduces the grade). */
  extra_data: { grading_seed: number | null };
  tests: GradescopeTest[];
}

function partOutput(p: PartResult): string {
  const answers = p.answers.length ? `\n\nWritten answer:\n${p.answers.join("\n\n")}` : "";
  return (p.status === "passed" ? "passed" : p.output) + answers;
}

export const TYPE_POLICY =
  "Type errors do not cost points by themselves: the grader ran the code as written (types stripped) and graded what it computed. " +
  "Fix them all the same — `npm run typecheck` shows them in your copy.";

/** File name → type errors (empty when none, or when the check did not run). */
export function typeErrorsOf(report: GradeReport): Record<string, string[]> {
  return report.typecheck && "errors" in report.typecheck ? report.typecheck.errors : {};
}

/** The 0-point "type check" test: its errors, or why it did not run. */
function typecheckTest(report: GradeReport, number: string): GradescopeTest {
  const errors = typeErrorsOf(report);
  const files = Object.keys(errors).sort();
  const problem = report.typecheck === null ? "not run" : "problem" in report.typecheck ? report.typecheck.problem : null;
  return {
    name: "TypeScript type check (not graded)",
    number,
    score: 0,
    max_score: 0,
    status: files.length || problem ? "failed" : "passed",
    output: problem ? `The type check did not run: ${problem}.` : files.length ? `${files.map((f) => errors[f].join("\n")).join("\n")}\n\n${TYPE_POLICY}` : "No type errors.",
    visibility: "visible",
    tags: ["typecheck"],
  };
}

export interface GradescopeOptions {
  /** Lines shown under the table before anything else (files not graded, late work), already in one language. */
  notes?: readonly string[];
  /** The language of the lines this adds (default English). */
  lang?: Lang;
}

export function toGradescope(report: GradeReport, o: GradescopeOptions = {}): GradescopeResults {
  const tests: GradescopeTest[] = [];
  for (const e of report.exercises) {
    for (const p of e.parts) {
      tests.push({
        name: `${e.id}: ${p.title}`,
        number: p.number,
        score: p.score,
        max_score: p.points,
        status: p.status,
        output: partOutput(p),
        // Hidden tests count at once but students see them only when the grades are published.
        visibility: p.hidden ? "after_published" : "visible",
        tags: [e.id],
      });
    }
  }
  tests.push(typecheckTest(report, `${EXERCISES.length + 1}.1`));
  // The top-level output and execution_time are shown at once: the visible parts only — their table,
  // their warnings, their time (see visibleOnly) — and the total says which total it is.
  const shownReport = report.hidden ? visibleOnly(report) : report;
  const extra = [...(o.notes ?? []), ...report.notes.map((n) => `note: ${n}`), ...shownReport.warnings.map((w) => `warning: ${w}`)];
  const shown = report.hidden
    ? `${textTable(shownReport, { color: false, width: 200, scope: "visible tests only; the hidden tests are shown when the grades are published" })}\n` +
      inLang(
        text(
          `公开测试：${shownReport.score}/${shownReport.max} 分。这次提交的得分还包括隐藏测试，公布成绩时给出。`,
          `Visible tests: ${shownReport.score}/${shownReport.max} points. The score of this submission also counts the hidden tests, shown when the grades are published.`,
        ),
        o.lang ?? "en",
      )
    : textTable(report, { color: false, width: 200 });
  return {
    score: report.score,
    max_score: report.max,
    output: shown + (extra.length ? `\n\n${extra.join("\n")}` : ""),
    execution_time: Math.round(shownReport.executionTime * 10) / 10,
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

/** The table of exercises. What the submission controls is made terminal-safe (./terminal.ts). */
export function textTable(report: GradeReport, o: TextOptions = {}): string {
  const color = o.color ?? false;
  const width = Math.max(80, o.width ?? 100);
  const idWidth = Math.max(8, ...report.exercises.map((e) => e.id.length));
  const header = `${"zh".padEnd(3)} ${"en".padEnd(3)} ${"exercise".padEnd(idWidth)}  ${"points".padStart(7)}  ${"status".padEnd(11)}  feedback`;
  const feedbackWidth = width - header.length + "feedback".length;
  const lines = [paint(header, "bold", color)];
  for (const e of report.exercises) {
    const pts = `${e.score}/${e.max}`.padStart(7);
    const status = paint(e.status.padEnd(11), statusColor(e.status), color);
    lines.push(`${num(e.zh).padEnd(3)} ${num(e.en).padEnd(3)} ${e.id.padEnd(idWidth)}  ${pts}  ${status}  ${cut(safeLine(e.feedback), feedbackWidth)}`);
  }
  const total = `${report.score}/${report.max}`.padStart(7);
  lines.push(paint(`${"".padEnd(3)} ${"".padEnd(3)} ${"total".padEnd(idWidth)}  ${total}`, "bold", color));
  const scope = o.scope ?? (report.hidden ? "all tests, hidden ones included (instructor run)" : "visible tests (hidden instructor tests are not run)");
  const seed = report.seed !== null ? ` — grading seed ${report.seed} (--seed ${report.seed} draws the same cases)` : "";
  // A batch's report names its files "exercises" (no path of the grading machine); a student's, their folder.
  const where = path.isAbsolute(report.target) ? displayPath(report.target) : report.target;
  lines.push(paint(`${safeLine(where)}/ — ${scope}${seed} — ${report.executionTime.toFixed(1)} s`, "dim", color));
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
export function details(report: GradeReport, o: DetailOptions = {}): string {
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
      const tail = p === first && more > 0 ? ` — and ${more} more failing part${more > 1 ? "s" : ""}${o.moreHint ? ` (${o.moreHint} shows them)` : ""}` : "";
      blocks.push([paint(`── ${e.id}: ${p.title} (${p.score}/${p.points})${tail}`, "bold", color), safeText(p.output)].join("\n"));
    }
  }
  const types = Object.entries(typeErrorsOf(report)).flatMap(([, lines]) => lines);
  if (types.length) {
    const limit = o.all ? Infinity : (o.typeErrorLines ?? 10);
    const head = paint(`── type errors (not graded: the code ran as written, but fix them — \`npm run typecheck\` shows them too)`, "bold", color);
    const rest = types.length > limit ? [`… and ${types.length - limit} more${o.moreHint ? ` (${o.moreHint} shows them)` : ""}`] : [];
    blocks.push([head, ...types.slice(0, limit).map((l) => safeText(l)), ...rest].join("\n"));
  } else if (report.typecheck && "problem" in report.typecheck) {
    blocks.push(`── the type check did not run: ${safeText(report.typecheck.problem)}`);
  }
  return blocks.join("\n\n");
}

// ---------------------------------------------------------------------------------------------
// HTML (notebooks)

const WORDS = {
  en: { ex: "exercise", pts: "points", status: "status", feedback: "feedback", total: "total", details: "details", hidden: "hidden tests included", visible: "hidden instructor tests not run", passed: "passed", partial: "partial", failed: "failed", "not started": "not started" },
  zh: { ex: "练习", pts: "得分", status: "状态", feedback: "反馈", total: "总分", details: "详情", hidden: "含隐藏测试", visible: "不含老师的隐藏测试", passed: "通过", partial: "部分通过", failed: "未通过", "not started": "未开始" },
} as const;

/** The colour of an exercise status in HTML (notebook table, feedback pages). */
export const STATUS_COLOR: Record<ExerciseResult["status"], string> = { passed: "#1a7f37", partial: "#9a6700", failed: "#cf222e", "not started": "#6e7781" };

export function htmlTable(report: GradeReport, lang: "zh" | "en" = "en"): string {
  const w = WORDS[lang];
  const rows = report.exercises.map((e) => {
    // Details only for started exercises: "not implemented yet" six times teaches nothing.
    const failed = e.status === "not started" ? [] : e.parts.filter((p) => p.points > 0 && p.status === "failed" && !p.notStarted);
    const more = failed.length
      ? `<details><summary>${esc(w.details)}</summary>${failed
          .map((p) => `<div style="margin:4px 0"><b>${esc(p.title)}</b> (${p.score}/${p.points})<pre style="white-space:pre-wrap;margin:2px 0">${esc(p.output)}</pre></div>`)
          .join("")}</details>`
      : "";
    return (
      `<tr><td style="text-align:left">${esc(exerciseLabel(e, lang))}<br><small>${esc(e.title[lang])}</small></td>` +
      `<td style="text-align:right">${e.score}/${e.max}</td>` +
      `<td style="text-align:left;color:${STATUS_COLOR[e.status]}">${esc(w[e.status])}</td>` +
      `<td style="text-align:left"><code>${esc(e.feedback)}</code>${more}</td></tr>`
    );
  });
  return (
    `<table style="border-collapse:collapse">` +
    `<thead><tr><th style="text-align:left">${w.ex}</th><th>${w.pts}</th><th style="text-align:left">${w.status}</th><th style="text-align:left">${w.feedback}</th></tr></thead>` +
    `<tbody>${rows.join("")}</tbody>` +
    `<tfoot><tr><th style="text-align:left">${w.total}</th><th style="text-align:right">${report.score}/${report.max}</th><td colspan="2" style="text-align:left"><small>${esc(report.hidden ? w.hidden : w.visible)} · ${report.executionTime.toFixed(1)} s</small></td></tr></tfoot>` +
    `</table>`
  );
}

