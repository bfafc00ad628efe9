/**
 * The instructor's side of `npm run grade` (--submissions, --refresh): runs ./batch.ts with a
 * progress bar (a line per student when the output is not a terminal) and says what the run did to
 * the gradebook, in the TA's language (--lang, default the locale).
 */
import { SingleBar, Presets } from "cli-progress";
import { gradeBatch, type BatchRunOptions } from "./batch";
import { displayPath } from "./paths";
import { inLang, text, type Lang } from "./i18n";
import { safeLine, safeText } from "./terminal";
import { GraderError } from "./errors";
import { errorIn, TextError } from "./text-error";

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export async function runBatch(o: Omit<BatchRunOptions, "onStart" | "onProgress" | "onInterrupt"> & { lang: Lang }): Promise<void> {
  const say = (zh: string, en: string) => inLang(text(zh, en), o.lang);
  const tty = !!process.stderr.isTTY;
  let bar: SingleBar | null = null;
  const where = o.submissions ? safeLine(o.submissions) : "";
  try {
    const summary = await gradeBatch({
      ...o,
      onStart: ({ toGrade, unchanged }) => {
        if (o.refresh) return;
        const kept = unchanged ? say(`（${unchanged} 份自上次评分以来没有改动，保留原成绩）`, ` (${plural(unchanged, "submission", "submissions")} unchanged since graded: kept)`) : "";
        process.stdout.write(
          toGrade === 0
            ? `${say(`没有需要评分的提交${kept}。`, `Nothing to grade${kept}.`)}\n`
            : `${say(`正在评分 ${where} 中的 ${toGrade} 份提交${kept}，每次 ${o.jobs} 份（含隐藏测试）…`, `Grading ${plural(toGrade, "submission", "submissions")} in ${where}${kept}, ${o.jobs} at a time (hidden tests count) …`)}\n`,
        );
        if (tty && toGrade > 0) {
          bar = new SingleBar({ format: ` {bar} {value}/{total} | ${say("剩余", "left")} {eta_formatted} | {student} {score}`, hideCursor: true, clearOnComplete: true, stream: process.stderr, etaBuffer: 20 }, Presets.shades_classic);
          bar.start(toGrade, 0, { student: "", score: "" });
        }
      },
      onProgress: (done, total, last) => {
        const who = safeLine(last.id);
        if (bar) (bar as SingleBar).update(done, { student: who, score: `${last.score}/${last.max}` });
        else process.stdout.write(`[${done}/${total}] ${who} ${last.score}/${last.max}\n`);
      },
      onInterrupt: ({ signal, graded, unfinished }) => {
        (bar as SingleBar | null)?.stop();
        process.stderr.write(
          `\n${say(
            `评分被中断（${signal}）：本次评完 ${graded.length} 份，还有 ${unfinished.length} 份没有评完。grades.csv 和 report.html 已按已评完的写好。用同样的命令加 --resume 继续。`,
            `grade: stopped (${signal}): ${graded.length} graded in this run, ${unfinished.length} not finished. grades.csv and report.html cover what finished. Run the same command with --resume to finish.`,
          )}\n`,
        );
      },
    });
    (bar as SingleBar | null)?.stop();
    const out = safeLine(displayPath(summary.outDir));
    const lines: string[] = [];
    const time = summary.seconds.toFixed(1);
    if (o.refresh) lines.push(say(`已按成绩册重新生成页面和表格（没有评分），用时 ${time} 秒。`, `Pages and sheets made again from the gradebook (nothing graded) in ${time} s.`));
    else lines.push(say(`已评分 ${summary.graded.length} 份提交，用时 ${time} 秒。`, `Graded ${plural(summary.graded.length, "submission", "submissions")} in ${time} s.`));
    if (summary.typechecked.length) lines.push(say(`${summary.typechecked.length} 份提交的类型检查在上次运行中断时没有完成，现在补上了。`, `Type-checked ${plural(summary.typechecked.length, "submission", "submissions")} whose check the stopped run had not finished.`));
    if (summary.unchanged.length) lines.push(say(`${summary.unchanged.length} 份没有改动，保留原成绩。`, `${plural(summary.unchanged.length, "submission", "submissions")} unchanged, kept as graded.`));
    if (summary.kept && !o.refresh) lines.push(say(`成绩册中另有 ${summary.kept} 行这次没有评分，保留原成绩。`, `${plural(summary.kept, "other row", "other rows")} of the gradebook not graded in this run, kept as they were.`));
    lines.push(say(`成绩册共 ${summary.rows} 行，平均 ${summary.mean.toFixed(1)}/${summary.maxScore}。`, `The gradebook has ${plural(summary.rows, "row", "rows")}, mean ${summary.mean.toFixed(1)}/${summary.maxScore}.`));
    if (summary.seed !== null) lines.push(say(`评分种子 ${summary.seed}（已记在成绩册中；--seed ${summary.seed} 可重现）。`, `Grading seed ${summary.seed} (kept in the gradebook; --seed ${summary.seed} draws the same cases).`));
    if (summary.seedBefore !== null) lines.push(say(`注意：成绩册原来的种子是 ${summary.seedBefore}；用旧种子评的学生保留原成绩，--resume 会用新种子重评他们。`, `Note: the gradebook's seed was ${summary.seedBefore}; rows graded with it are kept, and --resume grades them again with the new one.`));
    if (summary.manualRowsAdded) lines.push(say(`manual-points.csv 新增了 ${summary.manualRowsAdded} 行（书面回答的人工评分）。`, `manual-points.csv: ${plural(summary.manualRowsAdded, "row", "rows")} added for written answers to grade by hand.`));
    process.stdout.write(`${lines.join("\n")}\n  ${out}/report.html\n  ${out}/grades.csv\n  ${out}/written-answers.html, ${out}/manual-points.csv\n  ${out}/students/<student>/feedback-visible.html ${say("（可在公布成绩前发）", "(send now)")}, feedback-full.html ${say("（公布成绩后发）", "(after publishing)")}, results.json\n`);
    for (const p of summary.problems) process.stdout.write(`${say("问题", "problem")}: ${safeText(inLang(p, o.lang))}\n`);
  } catch (e) {
    // The TA's language for the grader's own refusals (./text-error.ts).
    throw e instanceof TextError ? new GraderError(errorIn(e, o.lang)) : e;
  } finally {
    (bar as SingleBar | null)?.stop();
  }
}
