/**
 * What a batch run writes besides results.json: each student's feedback page, the class's grade
 * sheet and the instructor's report (score distribution and per-exercise pass rates, plotly).
 *
 * Everything a submission controls (its folder name, its error messages, its written answers, its
 * type errors) is data here: HTML-escaped, JSON-escaped inside scripts, and CSV-quoted with a guard
 * against spreadsheet formulas.
 */
import * as fs from "node:fs";
import type { ExerciseResult, GradeReport } from "./grade";
import { EXERCISES, exerciseLabel } from "./manifest";
import { STATUS_COLOR, toGradescope, typeErrorsOf, WORDS, type GradescopeResults } from "./results";
import type { Lang } from "./i18n";
import { inLanguage } from "./scoring";
import { escapeHtml as esc } from "../html/escape";
import { safeLine } from "./terminal";

export interface StudentOutcome {
  id: string;
  report: GradeReport;
}


/** JSON that is safe inside an inline <script>. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

// ---------------------------------------------------------------------------------------------
// results.json

/** A student's results.json in a batch: Gradescope's format (./results.ts). */
export function studentResults(o: StudentOutcome, lang: Lang = "en"): GradescopeResults {
  return toGradescope(o.report, lang);
}

// ---------------------------------------------------------------------------------------------
// feedback.html

export function feedbackHtml(o: StudentOutcome, lang: Lang = "en"): string {
  const r = inLanguage(o.report, lang);
  const sections = r.exercises.map((e) => {
    const rows = e.parts
      .map((p) => {
        const mark = p.status === "passed" ? "✓" : "✗";
        const color = p.status === "passed" ? "#1a7f37" : "#cf222e";
        const body = p.status === "passed" ? "" : `<pre>${esc(p.output)}</pre>`;
        const answer = p.answers.length ? `<div class="answer"><b>Written answer</b><pre>${esc(p.answers.join("\n\n"))}</pre></div>` : "";
        return `<tr><td style="color:${color}">${mark}</td><td>${esc(p.title)}${p.hidden ? ' <span class="tag">hidden test</span>' : ""}${body}${answer}</td><td class="num">${p.score}/${p.points}</td></tr>`;
      })
      .join("\n");
    const typeErrors = typeErrorsOf(r)[`${e.id}.ts`];
    const types = typeErrors?.length ? `<div class="types"><b>Type errors (not graded)</b><pre>${esc(typeErrors.join("\n"))}</pre></div>` : "";
    return (
      `<section><h2>${esc(e.id)} <small>${esc(exerciseLabel(e, lang))} — ${esc(e.title)}</small></h2>` +
      `<p><b style="color:${STATUS_COLOR[e.status]}">${esc(e.status)}</b> — ${e.score}/${e.max}</p>` +
      `<table>${rows}</table>${types}</section>`
    );
  });
  const allTypes = typeErrorsOf(r);
  const otherTypes = Object.keys(allTypes)
    .filter((f) => !r.exercises.some((e) => `${e.id}.ts` === f))
    .map((f) => `<pre>${esc(allTypes[f].join("\n"))}</pre>`)
    .join("");
  const typeProblem = r.typecheck && "problem" in r.typecheck ? `<p><b>The type check did not run:</b> ${esc(r.typecheck.problem)}.</p>` : "";
  const notes = [...r.notes.map((n) => `note: ${n}`), ...r.warnings.map((w) => `warning: ${w}`)];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Feedback — ${esc(o.id)}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1f2328}
table{border-collapse:collapse;width:100%}td{vertical-align:top;padding:4px 8px;border-top:1px solid #d0d7de}
td.num{text-align:right;white-space:nowrap}pre{white-space:pre-wrap;background:#f6f8fa;padding:6px;margin:4px 0;font-size:90%}
small{color:#57606a;font-weight:normal}.tag{font-size:75%;background:#ddf4ff;padding:1px 4px;border-radius:3px}
.types pre{background:#fff8c5}
</style></head><body>
<h1>Pooling exercises (d2l.ai 6.5) — ${esc(o.id)}</h1>
<p style="font-size:130%"><b>${r.score}/${r.max}</b> points${r.hidden ? " (hidden tests included)" : ""}</p>
${notes.length ? `<ul>${notes.map((n) => `<li>${esc(n)}</li>`).join("")}</ul>` : ""}
${sections.join("\n")}
${otherTypes ? `<section><h2>Type errors in other files (not graded)</h2>${otherTypes}</section>` : ""}
${typeProblem}
<p><small>${esc(WORDS[lang].typePolicy)}</small></p>
</body></html>
`;
}

// ---------------------------------------------------------------------------------------------
// grades.csv

function csvCell(v: string | number): string {
  // Control characters shown, not sent: the sheet may well be printed on a terminal (./terminal.ts).
  let s = safeLine(String(v));
  // A cell starting with = + - @ (or a control) is a formula to a spreadsheet: keep it text.
  if (typeof v === "string" && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function gradesCsv(outcomes: StudentOutcome[]): string {
  const ids = EXERCISES.map((e) => e.id);
  const lines = [["student", "score", "max_score", ...ids].map(csvCell).join(",")];
  for (const o of outcomes) {
    const per = ids.map((id) => o.report.exercises.find((e) => e.id === id)?.score ?? 0);
    lines.push([o.id, o.report.score, o.report.max, ...per].map(csvCell).join(","));
  }
  return `${lines.join("\n")}\n`;
}

// ---------------------------------------------------------------------------------------------
// report.html

export interface ClassStats {
  students: number;
  mean: number;
  median: number;
  min: number;
  max: number;
  maxScore: number;
  exercises: { id: string; max: number; passRate: number; meanPercent: number; attempted: number }[];
}

export function classStats(outcomes: StudentOutcome[]): ClassStats {
  const scores = outcomes.map((o) => o.report.score).sort((a, b) => a - b);
  const n = scores.length;
  const median = n === 0 ? 0 : n % 2 ? scores[(n - 1) / 2] : (scores[n / 2 - 1] + scores[n / 2]) / 2;
  return {
    students: n,
    mean: n ? scores.reduce((s, x) => s + x, 0) / n : 0,
    median,
    min: n ? scores[0] : 0,
    max: n ? scores[n - 1] : 0,
    maxScore: outcomes[0]?.report.max ?? 0,
    exercises: EXERCISES.map((e) => {
      const rs = outcomes.map((o) => o.report.exercises.find((x) => x.id === e.id)).filter((x): x is ExerciseResult => !!x);
      const max = rs[0]?.max ?? 0;
      return {
        id: e.id,
        max,
        passRate: rs.length ? rs.filter((x) => x.status === "passed").length / rs.length : 0,
        meanPercent: rs.length && max ? rs.reduce((s, x) => s + x.score, 0) / (rs.length * max) : 0,
        attempted: rs.filter((x) => x.status !== "not started").length,
      };
    }),
  };
}

export function reportHtml(outcomes: StudentOutcome[], options: { title?: string; seconds?: number; problems?: string[] } = {}): string {
  const stats = classStats(outcomes);
  const plotly = fs.readFileSync(require.resolve("plotly.js-dist-min"), "utf8").replace(/<\/script/gi, "<\\/script");
  // Bins [0, 10), …, [90, 100]: full marks count in the last one.
  const percent = outcomes.map((o) => Math.min(99.999, o.report.max ? (100 * o.report.score) / o.report.max : 0));
  const histogram = {
    data: [{ type: "histogram", x: percent, xbins: { start: 0, end: 100, size: 10 }, marker: { color: "#0969da" }, name: "students", hovertemplate: "%{x}%: %{y} students<extra></extra>" }],
    layout: { title: { text: `Score distribution (${stats.students} students, max ${stats.maxScore} points)` }, xaxis: { title: { text: "score (% of max)" }, range: [0, 100] }, yaxis: { title: { text: "students" } }, bargap: 0.05, height: 380 },
  };
  const rates = {
    data: [
      { type: "bar", name: "passed (full marks)", x: stats.exercises.map((e) => e.id), y: stats.exercises.map((e) => 100 * e.passRate), marker: { color: "#1a7f37" } },
      { type: "bar", name: "mean score", x: stats.exercises.map((e) => e.id), y: stats.exercises.map((e) => 100 * e.meanPercent), marker: { color: "#9a6700" } },
    ],
    layout: { title: { text: "Per exercise: pass rate and mean score" }, yaxis: { title: { text: "% of students / % of points" }, range: [0, 100] }, barmode: "group", height: 420 },
  };
  const rows = stats.exercises
    .map((e) => `<tr><td>${esc(e.id)}</td><td class="num">${e.max}</td><td class="num">${(100 * e.passRate).toFixed(0)}%</td><td class="num">${(100 * e.meanPercent).toFixed(0)}%</td><td class="num">${e.attempted}</td></tr>`)
    .join("");
  const students = [...outcomes]
    .sort((a, b) => (a.id < b.id ? -1 : 1))
    .map((o) => `<tr><td><a href="students/${esc(encodeURIComponent(o.id))}/feedback.html">${esc(o.id)}</a></td><td class="num">${o.report.score}/${o.report.max}</td>${o.report.exercises.map((e) => `<td class="num">${e.score}</td>`).join("")}</tr>`)
    .join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(options.title ?? "Grading report — Pooling (d2l.ai 6.5)")}</title>
<style>body{font-family:system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem}table{border-collapse:collapse}td,th{padding:3px 8px;border-top:1px solid #d0d7de}td.num{text-align:right}</style>
<script>${plotly}</script></head><body>
<h1>${esc(options.title ?? "Grading report — Pooling (d2l.ai 6.5)")}</h1>
<p>${stats.students} submissions · mean ${stats.mean.toFixed(1)} · median ${stats.median} · min ${stats.min} · max ${stats.max} (of ${stats.maxScore} points, hidden tests included)${options.seconds !== undefined ? ` · graded in ${options.seconds.toFixed(1)} s` : ""}</p>
${options.problems?.length ? `<h2>Problems</h2><ul>${options.problems.map((p) => `<li>${esc(p)}</li>`).join("")}</ul>` : ""}
<div id="histogram" class="chart"></div>
<div id="rates" class="chart"></div>
<h2>Exercises</h2>
<table><tr><th>exercise</th><th>points</th><th>passed</th><th>mean</th><th>attempted</th></tr>${rows}</table>
<h2>Students</h2>
<table><tr><th>student</th><th>score</th>${EXERCISES.map((e) => `<th>${esc(e.id)}</th>`).join("")}</tr>${students}</table>
<script>
var histogram = ${scriptJson(histogram)};
var rates = ${scriptJson(rates)};
Plotly.newPlot("histogram", histogram.data, histogram.layout, { responsive: true, displaylogo: false });
Plotly.newPlot("rates", rates.data, rates.layout, { responsive: true, displaylogo: false });
</script>
</body></html>
`;
}
