#!/usr/bin/env node
/**
 * The student's grader:  npm run grade  (= node dist/grader/cli.js)
 *
 * Grades the working copy's exercises/ with the graded specs in test/exercises/, prints a progress
 * line per exercise, a table (exercise, points, status, first feedback line), the total and the
 * full feedback of each exercise's first failing part, and writes grade/results.json in Gradescope's
 * format. Exit code 0 whatever the score; 2 when the grader itself cannot run.
 *
 *   npm run grade                              # a student: visible tests, exercises/
 *   npm run grade -- --exercise min-pool       # one exercise
 *   npm run grade -- --hidden --target DIR     # an instructor: hidden tests too, another folder
 *   node dist/grader/cli.js --json             # the report as JSON on stdout (the notebooks use this)
 *
 *   npm run grade -- --submissions DIR --out OUT [--jobs N] [--timeout SECONDS]
 *                                              # an instructor grades a class (./batch.ts)
 *
 * Student code never runs in the grader's processes: each submission runs in a sandbox process
 * (./sandbox/) with Node's permission model and time and memory limits.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Command, InvalidArgumentError } from "commander";
import { MultiBar, Presets } from "cli-progress";
import { runBatch } from "./batch-cli";
import { DEFAULTS, grade, GraderError, selectExercises, type ExerciseResult, type GradeReport } from "./grade";
import { langFromEnv, parseLang, type Lang } from "./i18n";
import { EXERCISES, exerciseByName, exerciseLabel, inNotebookOrder } from "./manifest";
import { projectRoot, displayPath } from "./paths";
import { details, textTable, toGradescope, WORDS } from "./results";
import { inLanguage } from "./scoring";
import { gradeWarm, warmEnabled } from "./warm/client";
import { safeLine, safeText } from "./terminal";

interface CliOptions {
  target?: string;
  hidden: boolean;
  json: boolean;
  out: string;
  write: boolean;
  exercise?: string[];
  timeout: number;
  details: boolean;
  color?: boolean;
  submissions?: string;
  jobs: number;
  callTimeout?: number;
  memory?: number;
  typecheck: boolean;
  all: boolean;
  seed?: number;
  lang: Lang;
  warm: boolean;
  resume?: boolean;
  refresh?: boolean;
  students?: string[];
  roster?: string;
  deadline?: string;
  latePolicy?: string;
  grace?: number;
  assignment?: string;
}

function lang(value: string): Lang {
  try {
    return parseLang(value);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
}

/** What the student's terminal says around the table, in each language. */
const SAY = {
  zh: {
    grading: (dir: string) => `正在评分 ${dir}/ …`,
    results: (file: string) => `结果：${file}（Gradescope 格式；每个部分的反馈都在里面）`,
    exercise: (n: string, id: string) => `练习 ${n} 是 ${id}`,
  },
  en: {
    grading: (dir: string) => `Grading ${dir}/ …`,
    results: (file: string) => `Results: ${file} (Gradescope format; every part's feedback is there)`,
    exercise: (n: string, id: string) => `exercise ${n} is ${id}`,
  },
} as const;

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError("give a positive number of seconds");
  return n;
}

function wholeNumber(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError("give a whole number ≥ 0");
  return n;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError("give a positive whole number");
  return n;
}

/** "[1/8] 练习 1  avg-pool-as-conv   12/12  通过": the notebook's number first, as the table has it. */
function progressLine(e: ExerciseResult, done: number, total: number, idWidth: number, lang: Lang): string {
  const label = exerciseLabel(e, lang).padEnd(lang === "zh" ? 5 : 11);
  return `[${done}/${total}] ${label} ${e.id.padEnd(idWidth)} ${`${e.score}/${e.max}`.padStart(7)}  ${WORDS[lang][e.status]}`;
}

export async function main(argv: string[] = process.argv): Promise<number> {
  const program = new Command()
    .name("grade")
    .description("Grade the Pooling exercises (d2l.ai 6.5) in exercises/ and write grade/results.json (Gradescope format).")
    .option("-t, --target <dir>", "folder with the exercise files (default: exercises/ of this project, or $GRADE_TARGET)")
    .option("-e, --exercise <ids...>", "grade only these exercises: file names without .ts, or their numbers in your notebook (练习 5 with --lang zh, Exercise 5 with --lang en)")
    .option("--hidden", "also run the instructor-only hidden tests")
    .option("--json", "print the full report as JSON on stdout (no progress, no table)")
    .option("-o, --out <file>", "where to write the Gradescope results.json", "grade/results.json")
    .option("--no-write", "do not write results.json")
    .option("--no-details", "do not print the feedback of failing parts under the table")
    .option("-a, --all", "print the feedback of every failing part and every type error (without it: the first failing part of each exercise)")
    .option("--no-color", "no colours")
    .option("--timeout <seconds>", "wall-clock limit for all of a submission's code", seconds, DEFAULTS.timeoutMs / 1000)
    .option("--lang <zh|en>", "the language of the feedback, and of a gradebook's pages and messages (default: the locale's — zh for a zh_* LC_ALL, LC_MESSAGES or LANG, else en)", lang)
    .option("-s, --submissions <dir>", "instructor: grade every DIR/<student>/ folder (hidden tests count); needs --out OUT")
    .option("-j, --jobs <n>", "with --submissions: submissions graded at the same time (the default is the number of cores)", positiveInt, Math.max(1, os.availableParallelism?.() ?? os.cpus().length))
    .option("--call-timeout <seconds>", `limit of one call into a submission (default ${DEFAULTS.callTimeoutMs / 1000})`, seconds)
    .option("--memory <MB>", `heap limit of a submission's process (default ${DEFAULTS.memoryMb}; the process is stopped above twice that)`, positiveInt)
    .option("--no-typecheck", "skip the TypeScript type check (its errors are feedback, never points)")
    .option("--no-warm", "grade in a fresh grader instead of the copy's warm one (which the first grade starts and later ones reuse)")
    .option(
      "--seed <n>",
      "grading seed: random parts and fresh cases drawn from it (an instructor's grading picks one and records it in results.json; give it to reproduce a grade)",
      wholeNumber,
    )
    .option("--resume", "with --submissions: grade only the students whose files or settings changed since their row was graded (and those not finished)")
    .option("--students <names...>", "with --submissions: grade only these students (folder or zip names) into the gradebook")
    .option("--refresh", "with --out: grade nobody; make the gradebook's pages and sheets again (manual points, roster, late policy)")
    .option("--roster <file>", "a roster CSV: folder → student id, name, email (and submitted_at); kept in the gradebook")
    .option("--deadline <time>", "the deadline, e.g. 2026-12-01T23:59+08:00; with the roster's submitted_at it marks late work")
    .option("--late-policy <policy>", "none (mark only), zero, or a percentage off per day late such as 10%")
    .option("--grace <minutes>", "minutes after the deadline still on time", wholeNumber)
    .option("--assignment <name>", "the assignment's name in canvas.csv and moodle.csv")
    .showHelpAfterError()
    .exitOverride();
  let opts: CliOptions;
  try {
    program.parse(argv);
    opts = program.opts<CliOptions>();
    opts.lang ??= langFromEnv();
    opts.hidden ??= false;
    opts.json ??= false;
    opts.all ??= false;
  } catch (e) {
    const code = (e as { exitCode?: number }).exitCode;
    return code === 0 ? 0 : 2;
  }

  if (opts.submissions !== undefined || opts.refresh) return batchMain(program, opts);

  const root = projectRoot();
  const target = path.resolve(process.cwd(), opts.target || process.env.GRADE_TARGET || path.join(root, "exercises"));
  const color = opts.color !== false && !!process.stdout.isTTY && !process.env.NO_COLOR;
  const tty = !!process.stderr.isTTY && !opts.json;
  let bar: MultiBar | null = null;
  const idWidth = Math.max(...EXERCISES.map((e) => e.id.length));

  try {
    const say = SAY[opts.lang];
    // Names or the notebook's numbers; an unknown one fails before any output.
    const named = opts.exercise?.map((n) => {
      try {
        return exerciseByName(n, opts.lang);
      } catch (e) {
        throw new GraderError((e as Error).message);
      }
    });
    const selected = selectExercises(named?.map((e) => e.id));
    if (!opts.json) {
      for (const [i, n] of (opts.exercise ?? []).entries()) if (/^\d+$/.test(n)) process.stdout.write(`${say.exercise(n, named![i].id)}\n`);
      process.stdout.write(`${say.grading(safeLine(displayPath(target)))}\n`);
    }
    if (tty) {
      bar = new MultiBar({ format: " {bar} {value}/{total} exercises graded", hideCursor: true, clearOnComplete: true, stream: process.stderr }, Presets.shades_classic);
    }
    const progress = bar?.create(selected.length, 0);
    // A student's run with the usual limits goes to the copy's warm grader (./warm/); an instructor's
    // run (hidden tests, a seed, other limits) is graded afresh.
    const usual = !opts.hidden && opts.seed === undefined && opts.timeout * 1000 === DEFAULTS.timeoutMs && opts.callTimeout === undefined && opts.memory === undefined;
    let report: GradeReport | null = null;
    if (usual && opts.warm && warmEnabled()) {
      try {
        report = await gradeWarm({ target, display: displayPath(target), exercises: selected.map((e) => e.id), typecheck: opts.typecheck });
        // All at once, in the order of the student's notebook (and of the table below).
        if (!opts.json) inNotebookOrder(report.exercises, opts.lang).forEach((e, i) => (progress ? bar!.log(`${progressLine(e, i + 1, selected.length, idWidth, opts.lang)}\n`) : process.stdout.write(`${progressLine(e, i + 1, selected.length, idWidth, opts.lang)}\n`)));
      } catch (e) {
        process.stderr.write(`grade: ${safeText((e as Error).message)} — grading without it\n`);
      }
    }
    report ??= await grade({
      target,
      hidden: opts.hidden,
      exercises: selected.map((e) => e.id),
      timeoutMs: opts.timeout * 1000,
      callTimeoutMs: opts.callTimeout !== undefined ? opts.callTimeout * 1000 : undefined,
      memoryMb: opts.memory,
      typecheck: opts.typecheck,
      seed: opts.seed,
      onExercise: (e, done, total) => {
        if (opts.json) return;
        if (progress) {
          progress.setTotal(total);
          progress.update(done);
          bar!.log(`${progressLine(e, done, total, idWidth, opts.lang)}\n`);
        } else {
          process.stdout.write(`${progressLine(e, done, total, idWidth, opts.lang)}\n`);
        }
      },
    });
    if (bar) {
      bar.update(); // flush the last progress line, then remove the bar
      bar.stop();
    }

    let written: string | null = null;
    if (opts.write) {
      written = path.resolve(root, opts.out);
      fs.mkdirSync(path.dirname(written), { recursive: true });
      fs.writeFileSync(written, `${JSON.stringify(toGradescope(report, { lang: opts.lang }), null, 2)}\n`);
    }
    if (opts.json) {
      process.stdout.write(`${JSON.stringify(report)}\n`);
      return 0;
    }
    // Cut feedback lines to a terminal's width; a log or a pipe gets them whole.
    const width = process.stdout.isTTY ? (process.stdout.columns ?? 120) : 400;
    const shown = inLanguage(report, opts.lang);
    const w = WORDS[opts.lang];
    process.stdout.write(`\n${textTable(shown, { color, width, lang: opts.lang })}\n`);
    for (const n of shown.notes) process.stdout.write(`\n${w.note}: ${safeText(n)}\n`);
    for (const x of shown.warnings) process.stdout.write(`\n${w.warning}: ${safeText(x)}\n`);
    const more = opts.details ? details(shown, { color, all: opts.all, moreHint: "npm run grade -- --all", lang: opts.lang }) : "";
    if (more) process.stdout.write(`\n${more}\n`);
    if (written) process.stdout.write(`\n${say.results(displayPath(written))}\n`);
    return 0;
  } catch (e) {
    bar?.stop();
    return failed(e);
  }
}

/** The grader could not run: say why on stderr (terminal-safe), exit code 2. */
function failed(e: unknown): number {
  if (e instanceof GraderError) process.stderr.write(`grade: ${safeText(e.message)}\n`);
  else process.stderr.write(`grade: the grader failed: ${safeText(e instanceof Error ? (e.stack ?? e.message) : String(e))}\n`);
  return 2;
}

async function batchMain(program: Command, opts: CliOptions): Promise<number> {
  if (program.getOptionValueSource("out") !== "cli") {
    process.stderr.write("grade: --submissions and --refresh need --out OUT, the gradebook folder (OUT/report.html, OUT/grades.csv, OUT/students/<student>/…)\n");
    return 2;
  }
  try {
    await runBatch({
      submissions: opts.submissions,
      refresh: opts.refresh,
      out: opts.out,
      jobs: opts.jobs,
      timeoutSeconds: opts.timeout,
      callTimeoutSeconds: opts.callTimeout,
      memoryMb: opts.memory,
      typecheck: opts.typecheck,
      seed: opts.seed,
      resume: opts.resume,
      students: opts.students,
      roster: opts.roster,
      deadline: opts.deadline,
      latePolicy: opts.latePolicy,
      graceMinutes: opts.grace,
      assignment: opts.assignment,
      lang: opts.lang,
    });
    return 0;
  } catch (e) {
    return failed(e);
  }
}

if (require.main === module) {
  main().then((code) => process.exit(code));
}
