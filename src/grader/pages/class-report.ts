/**
 * OUT/report.html, the TA's page: what the last run did (and what it did not finish), the problems
 * to fix, the score distribution and per-exercise rates (plotly, inline: it opens offline), every
 * part's pass rate among the students who attempted its exercise, and the students — score, written
 * answers, late work, final, per exercise, and the flags to act on — with links to both feedback pages.
 */
import * as fs from "node:fs";
import { inLang, text, type Lang, type Text } from "../i18n";
import { EXERCISES, inNotebookOrder, notebookNumber } from "../manifest";
import type { RunLog } from "../gradebook/book";
import type { Row } from "../gradebook/rows";
import type { RosterEntry } from "../export/roster";
import { esc, page, said, say, scriptJson, shortList, when, who } from "./html";

export interface ReportContext {
  lang: Lang;
  lastRun: RunLog | null;
  /** Problems to show at the top (unreadable records, roster and manual-points warnings, skipped entries). */
  problems: readonly Text[];
  missing: readonly RosterEntry[];
  writtenMax: number;
  /** Files written beside the report, to link. */
  files: readonly { href: string; what: Text }[];
  policy: string | null;
}

export interface PartRate {
  exercise: string;
  number: string;
  title: Text;
  points: number;
  hidden: boolean;
  passed: number;
  attempted: number;
}

/** Each part's passes among the students whose file for its exercise differs from the stub. */
export function partRates(rows: readonly Row[]): PartRate[] {
  const out: PartRate[] = [];
  for (const e of EXERCISES) {
    const attempted = rows.filter((r) => r.record.exercises[e.id]?.state === "edited");
    const results = attempted.map((r) => r.record.report.exercises.find((x) => x.id === e.id));
    for (const p of e.parts) {
      const parts = results.map((x) => x?.parts.find((q) => q.key === p.key)).filter((q) => !!q);
      const number = parts[0]?.number ?? "";
      out.push({ exercise: e.id, number, title: p.title, points: p.points, hidden: !!p.hidden, passed: parts.filter((q) => q!.status === "passed").length, attempted: attempted.length });
    }
  }
  return out;
}

const pct = (a: number, b: number) => (b ? `${Math.round((100 * a) / b)}%` : "–");

function runBanner(run: RunLog | null, rows: number, lang: Lang): string {
  if (!run) return "";
  if (run.interrupted || !run.finished) {
    const stopped = run.interrupted ?? "?";
    return (
      `<div class="banner stop"><b>${say(text(`上一次运行被中断（${stopped}）`, `The last run was interrupted (${stopped})`), lang)}</b>: ` +
      `${say(text(`${run.unfinished.length} 个学生没有评完：`, `${run.unfinished.length} student${run.unfinished.length === 1 ? "" : "s"} not graded:`), lang)} ${who(shortList(run.unfinished, 12, lang))}. ` +
      `${say(text("用同样的命令加上 --resume 再运行一次，只会评还没评完或有改动的学生。", "Run the same command again with --resume: it grades only the students not finished or changed."), lang)}</div>`
    );
  }
  const kept = Math.max(0, rows - run.graded.length);
  return `<p class="dim">${say(text(`上一次运行：评了 ${run.graded.length} 个学生，其余 ${kept} 行保留原成绩（其中 ${run.unchanged} 个没有改动）（${when(run.finished!)}）。`, `Last run: ${run.graded.length} graded; the other ${kept} rows kept as they were (${run.unchanged} of them unchanged) (${when(run.finished!)}).`), lang)}</p>`;
}

export function classReport(rows: readonly Row[], ctx: ReportContext): string {
  const { lang } = ctx;
  const plotly = fs.readFileSync(require.resolve("plotly.js-dist-min"), "utf8").replace(/<\/script/gi, "<\\/script");
  const n = rows.length;
  const scores = rows.map((r) => r.score).sort((a, b) => a - b);
  const maxScore = rows[0]?.max ?? 0;
  const mean = n ? scores.reduce((a, b) => a + b, 0) / n : 0;
  const median = n === 0 ? 0 : n % 2 ? scores[(n - 1) / 2] : (scores[n / 2 - 1] + scores[n / 2]) / 2;
  const exStats = EXERCISES.map((e) => {
    const attempted = rows.filter((r) => r.record.exercises[e.id]?.state === "edited");
    const res = attempted.map((r) => r.record.report.exercises.find((x) => x.id === e.id)!).filter(Boolean);
    const max = rows[0]?.record.report.exercises.find((x) => x.id === e.id)?.max ?? 0;
    return { id: e.id, max, attempted: attempted.length, passed: res.filter((x) => x.status === "passed").length, mean: res.length && max ? res.reduce((s, x) => s + x.score, 0) / (res.length * max) : 0 };
  });
  const L = (t: Text) => inLang(t, lang);
  const histogram = {
    data: [{ type: "histogram", x: rows.map((r) => Math.min(99.999, r.max ? (100 * r.score) / r.max : 0)), xbins: { start: 0, end: 100, size: 10 }, marker: { color: "#0969da" }, hovertemplate: "%{x}%: %{y}<extra></extra>" }],
    layout: { title: { text: L(text(`成绩分布（${n} 个学生，满分 ${maxScore}）`, `Score distribution (${n} students, max ${maxScore} points)`)) }, xaxis: { title: { text: L(text("得分（占满分的 %）", "score (% of max)")) }, range: [0, 100] }, yaxis: { title: { text: L(text("学生数", "students")) } }, bargap: 0.05, height: 360 },
  };
  const rates = {
    data: [
      { type: "bar", name: L(text("满分（作答者中）", "full marks (of attempted)")), x: exStats.map((e) => e.id), y: exStats.map((e) => (e.attempted ? (100 * e.passed) / e.attempted : 0)), marker: { color: "#1a7f37" } },
      { type: "bar", name: L(text("平均得分（作答者中）", "mean score (of attempted)")), x: exStats.map((e) => e.id), y: exStats.map((e) => 100 * e.mean), marker: { color: "#9a6700" } },
      { type: "bar", name: L(text("作答率", "attempted")), x: exStats.map((e) => e.id), y: exStats.map((e) => (n ? (100 * e.attempted) / n : 0)), marker: { color: "#8c959f" } },
    ],
    layout: { title: { text: L(text("每道练习", "Per exercise")) }, yaxis: { title: { text: "%" }, range: [0, 100] }, barmode: "group", height: 400 },
  };
  const exRows = exStats.map((e) => `<tr><td>${esc(e.id)}</td><td class="num">${e.max}</td><td class="num">${e.attempted}/${n}</td><td class="num">${pct(e.passed, e.attempted)}</td><td class="num">${Math.round(100 * e.mean)}%</td></tr>`).join("");
  const partRows = partRates(rows)
    .map((p) => `<tr><td class="num">${esc(p.number)}</td><td>${esc(p.exercise)}</td><td>${said(p.title, lang)}${p.hidden ? ` <span class="tag">${say(text("隐藏", "hidden"), lang)}</span>` : ""}</td><td class="num">${p.points}</td><td class="num">${p.attempted ? `${pct(p.passed, p.attempted)} <small>(${p.passed}/${p.attempted})</small>` : "–"}</td></tr>`)
    .join("");
  const roster = rows.some((r) => r.roster);
  // The exercise columns numbered and ordered as the notebook of the report's language numbers them.
  const inOrder = inNotebookOrder(EXERCISES, lang).map((e) => e.id);
  const studentRows = rows
    .map((r) => {
      const href = `students/${encodeURIComponent(r.record.dir)}`;
      const rosterCells = roster ? `<td>${esc(r.roster?.id ?? "")}</td><td>${esc(r.roster?.name ?? "")}</td>` : "";
      const written = r.written ? `${r.written.points}` : "";
      const late = r.late ? (r.late.penalty ? `−${Math.round(r.late.penalty * 100)}%` : say(text("迟交", "late"), lang)) : "";
      return (
        `<tr><td>${who(r.record.id)}<br><small class="nowrap"><a href="${href}/feedback-full.html">${say(text("完整", "full"), lang)}</a> · <a href="${href}/feedback-visible.html">${say(text("可先发", "send now"), lang)}</a></small></td>${rosterCells}` +
        `<td class="num">${r.score}/${r.max}</td><td class="num">${written}</td><td class="num">${late}</td><td class="num"><b>${r.final}</b></td>` +
        inOrder.map((id) => r.record.report.exercises.find((e) => e.id === id)).map((e) => (e ? `<td class="num">${r.record.exercises[e.id]?.state === "edited" ? e.score : `<span class="dim">${e.score}</span>`}</td>` : "<td></td>")).join("") +
        `<td>${r.flags.map((f) => `<span class="flag">${say(f.text, lang)}</span>`).join(" ")}</td></tr>`
      );
    })
    .join("\n");
  const missing = ctx.missing.length
    ? `<h2>${say(text("名单上没有提交的学生", "On the roster, no submission"), lang)}</h2><p>${ctx.missing.map((m) => `${who(m.folder)} <small>(${esc(m.id)} ${esc(m.name)})</small>`).join(", ")}</p>`
    : "";
  const flagged = rows.filter((r) => r.flags.length).length;
  const title = inLang(text("评分报告——汇聚层（d2l.ai 6.5）", "Grading report — Pooling (d2l.ai 6.5)"), lang);
  const body = `<h1>${esc(title)}</h1>
${runBanner(ctx.lastRun, rows.length, lang)}
<p>${say(text(`${n} 份提交 · 平均 ${mean.toFixed(1)} · 中位数 ${median} · 最低 ${scores[0] ?? 0} · 最高 ${scores[n - 1] ?? 0}（满分 ${maxScore}，含隐藏测试）· ${flagged} 个需要查看`, `${n} submissions · mean ${mean.toFixed(1)} · median ${median} · min ${scores[0] ?? 0} · max ${scores[n - 1] ?? 0} (of ${maxScore} points, hidden tests included) · ${flagged} flagged`), lang)}${ctx.policy ? ` · ${esc(ctx.policy)}` : ""}</p>
<p>${ctx.files.map((f) => `<a href="${esc(f.href)}">${esc(f.href)}</a> <small>${say(f.what, lang)}</small>`).join(" · ")}</p>
${ctx.problems.length ? `<h2>${say(text("需要处理的问题", "Problems"), lang)}</h2><ul>${ctx.problems.map((p) => `<li>${say(p, lang)}</li>`).join("")}</ul>` : ""}
<h2>${say(text("学生", "Students"), lang)}</h2>
<p class="dim">${say(text("练习列（按中文笔记本的编号）：", "Exercise columns (as the English notebook numbers them):"), lang)} ${inOrder.map((id) => `${notebookNumber({ id }, lang)} = ${esc(id)}`).join(" · ")}. ${say(text("灰色：没有作答（文件缺失或与模板相同）。", "Grey: not attempted (no file, or the stub unchanged)."), lang)}</p>
<table><tr><th>${say(text("学生", "student"), lang)}</th>${roster ? `<th>id</th><th>${say(text("姓名", "name"), lang)}</th>` : ""}<th class="num">${say(text("自动评分", "autograded"), lang)}</th><th class="num">${say(text("书面", "written"), lang)}${ctx.writtenMax ? ` /${ctx.writtenMax}` : ""}</th><th class="num">${say(text("迟交", "late"), lang)}</th><th class="num">${say(text("最终", "final"), lang)}</th>${inOrder.map((id) => `<th class="num" title="${esc(id)}">${notebookNumber({ id }, lang)}</th>`).join("")}<th class="flags">${say(text("需要查看", "flags"), lang)}</th></tr>
${studentRows}</table>
${missing}
<div id="histogram"></div>
<div id="rates"></div>
<h2>${say(text("练习", "Exercises"), lang)}</h2>
<p class="dim">${say(text("作答 = 提交的文件与发布的模板不同。通过率和平均分只算作答的学生。", "Attempted = a file that differs from the released stub. Pass rates and means count the students who attempted it."), lang)}</p>
<table><tr><th>${say(text("练习", "exercise"), lang)}</th><th class="num">${say(text("分值", "points"), lang)}</th><th class="num">${say(text("作答", "attempted"), lang)}</th><th class="num">${say(text("满分率", "full marks"), lang)}</th><th class="num">${say(text("平均", "mean"), lang)}</th></tr>${exRows}</table>
<h2>${say(text("每个测试的通过率", "Pass rate per part"), lang)}</h2>
<table><tr><th class="num">#</th><th>${say(text("练习", "exercise"), lang)}</th><th>${say(text("测试", "part"), lang)}</th><th class="num">${say(text("分值", "points"), lang)}</th><th class="num">${say(text("通过（作答者中）", "passed (of attempted)"), lang)}</th></tr>${partRows}</table>
<script>
var histogram = ${scriptJson(histogram)};
var rates = ${scriptJson(rates)};
Plotly.newPlot("histogram", histogram.data, histogram.layout, { responsive: true, displaylogo: false });
Plotly.newPlot("rates", rates.data, rates.layout, { responsive: true, displaylogo: false });
</script>`;
  return page({ lang, title, body, head: `<style>body{max-width:110rem}th.flags{min-width:24rem}</style><script>${plotly}</script>` });
}
