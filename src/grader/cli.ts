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
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Command, InvalidArgumentError } from "commander";
import { MultiBar, Presets } from "cli-progress";
import { grade, GraderError, selectExercises, type ExerciseResult, type GradeReport } from "./grade";
import { EXERCISES } from "./manifest";
import { projectRoot, displayPath } from "./paths";
import { details, textTable, toGradescope } from "./results";

interface CliOptions {
  target?: string;
  hidden: boolean;
  json: boolean;
  out: string;
  write: boolean;
  exercise?: string[];
  timeout: number;
  details: boolean;
  isolate: boolean;
  color?: boolean;
}

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError("give a positive number of seconds");
  return n;
}

function progressLine(e: ExerciseResult, done: number, total: number, idWidth: number): string {
  return `[${done}/${total}] ${e.id.padEnd(idWidth)} ${`${e.score}/${e.max}`.padStart(7)}  ${e.status}`;
}

export async function main(argv: string[] = process.argv): Promise<number> {
  const program = new Command()
    .name("grade")
    .description("Grade the Pooling exercises (d2l.ai 6.5) in exercises/ and write grade/results.json (Gradescope format).")
    .option("-t, --target <dir>", "folder with the exercise files (default: exercises/ of this project, or $GRADE_TARGET)")
    .option("-e, --exercise <ids...>", "grade only these exercises (file names without .ts)")
    .option("--hidden", "also run the instructor-only hidden tests", false)
    .option("--json", "print the full report as JSON on stdout (no progress, no table)", false)
    .option("-o, --out <file>", "where to write the Gradescope results.json", "grade/results.json")
    .option("--no-write", "do not write results.json")
    .option("--no-details", "do not print the feedback of failing parts under the table")
    .option("--no-color", "no colours")
    .option("--timeout <seconds>", "stop the whole run after this long", seconds, 300)
    .option("--isolate", "run every spec file in a fresh worker (slower)", false)
    .showHelpAfterError()
    .exitOverride();
  let opts: CliOptions;
  try {
    program.parse(argv);
    opts = program.opts<CliOptions>();
  } catch (e) {
    const code = (e as { exitCode?: number }).exitCode;
    return code === 0 ? 0 : 2;
  }

  const root = projectRoot();
  const target = path.resolve(process.cwd(), opts.target || process.env.GRADE_TARGET || path.join(root, "exercises"));
  const color = opts.color !== false && !!process.stdout.isTTY && !process.env.NO_COLOR;
  const tty = !!process.stderr.isTTY && !opts.json;
  let bar: MultiBar | null = null;
  const idWidth = Math.max(...EXERCISES.map((e) => e.id.length));

  try {
    const selected = selectExercises(opts.exercise); // an unknown name fails before any output
    if (!opts.json) process.stdout.write(`Grading ${displayPath(target)}/ …\n`);
    if (tty) {
      bar = new MultiBar({ format: " {bar} {value}/{total} exercises graded", hideCursor: true, clearOnComplete: true, stream: process.stderr }, Presets.shades_classic);
    }
    const progress = bar?.create(selected.length, 0);
    const report: GradeReport = await grade({
      target,
      hidden: opts.hidden,
      exercises: opts.exercise,
      timeoutMs: opts.timeout * 1000,
      isolate: opts.isolate,
      onExercise: (e, done, total) => {
        if (opts.json) return;
        if (progress) {
          progress.setTotal(total);
          progress.update(done);
          bar!.log(`${progressLine(e, done, total, idWidth)}\n`);
        } else {
          process.stdout.write(`${progressLine(e, done, total, idWidth)}\n`);
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
      fs.writeFileSync(written, `${JSON.stringify(toGradescope(report), null, 2)}\n`);
    }
    if (opts.json) {
      process.stdout.write(`${JSON.stringify(report)}\n`);
      return 0;
    }
    // Cut feedback lines to a terminal's width; a log or a pipe gets them whole.
    const width = process.stdout.isTTY ? (process.stdout.columns ?? 120) : 400;
    process.stdout.write(`\n${textTable(report, { color, width })}\n`);
    for (const w of report.warnings) process.stdout.write(`\nwarning: ${w}\n`);
    const more = opts.details ? details(report, { color }) : "";
    if (more) process.stdout.write(`\n${more}\n`);
    if (written) process.stdout.write(`\nResults: ${displayPath(written)} (Gradescope format)\n`);
    return 0;
  } catch (e) {
    bar?.stop();
    if (e instanceof GraderError) {
      process.stderr.write(`grade: ${e.message}\n`);
      return 2;
    }
    process.stderr.write(`grade: the grader failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 2;
  }
}

if (require.main === module) {
  main().then((code) => process.exit(code));
}
