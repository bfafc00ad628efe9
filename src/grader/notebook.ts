/**
 * The chapter notebooks' last cell:
 *
 *   import { showGrade } from "d2l-pooling/grader";
 *   await showGrade();           // { lang: "zh" | "en" }; default from the folder (notebooks/zh → zh)
 *
 * Asks the copy's warm grader (./warm/, the same one `npm run grade` uses: the first grade starts it,
 * the next ones answer in about a second) — or, for an instructor's options, runs the grader afresh
 * (dist/grader/cli.js --json in a child process); the kernel never loads a spec or vitest. Writes
 * grade/results.json and shows the table as HTML in the notebook, in the notebook's language, with
 * each failing part's feedback under "details". Outside a tslab kernel (a script, a test) it prints
 * the text table instead. The project root is found from this file's location, so it works whatever
 * the kernel's working folder (notebooks/zh, notebooks/en, ...).
 */
import { spawn } from "node:child_process";
import * as path from "node:path";
import { inspect } from "node:util";
import type { GradeReport } from "./grade";
import { projectRoot } from "./paths";
import { htmlTable, textTable, toGradescope } from "./results";
import * as fs from "node:fs";
import { EXERCISES } from "./manifest";
import { GraderError, selectExercises } from "./grade";
import { displayPath } from "./paths";
import { gradeWarm, warmEnabled } from "./warm/client";
import { inLanguage } from "./scoring";
import { escapeHtml } from "../html/escape";

export interface ShowGradeOptions {
  /**
   * Table language and exercise numbering: d2l-zh's or d2l-en's. Default: "zh" when the kernel runs
   * in a folder named zh (notebooks/zh), else "en".
   */
  lang?: "zh" | "en";
  /** Folder with the exercise files (default: the project's exercises/). */
  target?: string;
  /** Only these exercises (file names without .ts). */
  exercises?: string[];
  /** Include the instructor-only hidden tests. */
  hidden?: boolean;
  /** Stop the run after this many seconds (default 300). */
  timeoutSeconds?: number;
}

/** What `showGrade` resolves to: the report, shown by tslab/console.log as one line. */
export type GradeSummary = GradeReport & { [inspect.custom](): string };

interface Display {
  html(s: string): void;
}

/** A tslab display that can be updated in place, or null outside a running kernel. */
function notebookDisplay(): Display | null {
  try {
    // tslab is the kernel's own module; its display works only inside a running kernel.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const tslab = require("tslab") as { newDisplay(): Display };
    const d = tslab.newDisplay();
    d.html("<i>grading… / 正在评分…</i>");
    return d;
  } catch {
    return null;
  }
}

function runCli(args: string[], timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(__dirname, "cli.js"), ...args], {
      cwd: projectRoot(),
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, NO_COLOR: "1" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    // The CLI has its own kill timer; this one only guards against the CLI itself hanging.
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs + 30_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export async function showGrade(options: ShowGradeOptions = {}): Promise<GradeSummary> {
  const lang = options.lang ?? (path.basename(process.cwd()) === "zh" ? "zh" : "en");
  const timeout = options.timeoutSeconds ?? 300;
  const args = ["--json", "--timeout", String(timeout), "--lang", lang];
  if (options.target) args.push("--target", path.resolve(projectRoot(), options.target));
  if (options.hidden) args.push("--hidden");
  if (options.exercises?.length) args.push("--exercise", ...options.exercises);
  const display = notebookDisplay();
  const failed = (message: string): never => {
    display?.html(`<pre style="color:#cf222e;white-space:pre-wrap">${escapeHtml(message)}</pre>`);
    throw new Error(message);
  };
  let report: GradeReport | null = null;
  if (!options.hidden && options.timeoutSeconds === undefined && warmEnabled()) {
    const target = path.resolve(projectRoot(), options.target ?? process.env.GRADE_TARGET ?? "exercises");
    try {
      const exercises = options.exercises?.length ? selectExercises(options.exercises) : EXERCISES;
      report = await gradeWarm({ target, display: displayPath(target), exercises: exercises.map((e) => e.id), typecheck: true });
      const out = path.join(projectRoot(), "grade", "results.json");
      fs.mkdirSync(path.dirname(out), { recursive: true });
      fs.writeFileSync(out, `${JSON.stringify(toGradescope(report, { lang }), null, 2)}\n`);
    } catch (e) {
      if (e instanceof GraderError) failed(e.message);
      report = null; // the warm grader could not answer: grade afresh below
    }
  }
  if (!report) {
    const { code, stdout, stderr } = await runCli(args, timeout * 1000);
    if (code !== 0) failed(stderr.trim() || `the grader exited with code ${code}`);
    report = JSON.parse(stdout) as GradeReport;
  }
  const shown = inLanguage(report!, lang);
  if (display) display.html(htmlTable(shown, lang));
  else console.log(textTable(shown, { width: 160, lang }));
  return Object.assign(report!, {
    [inspect.custom]: () => `${lang === "zh" ? "总分" : "score"} ${report!.score}/${report!.max} (grade/results.json)`,
  });
}
