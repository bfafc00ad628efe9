/**
 * An instructor grades a class into a gradebook:
 *
 *   npm run grade -- --submissions DIR --out OUT [--resume] [--students A B] [--roster R.csv] …
 *   npm run grade -- --out OUT --refresh           # no grading: pages and sheets again (manual points, roster)
 *
 * 1. the students of DIR (folders and zips, ./collect/class.ts) are collected — their files found
 *    wherever they put them, what is not graded noted (./collect/);
 * 2. OUT is opened as a gradebook (./gradebook/book.ts: a non-empty folder that is not one is refused,
 *    the class's seed is kept there) and locked;
 * 3. the students to grade are every one found — or, with --resume, those whose files or settings
 *    changed since their row was graded, and those never graded or not finished;
 * 4. they are graded (./grade.ts: each in its own sandbox, `jobs` at a time), each one's record
 *    written the moment it is graded (./gradebook/record.ts);
 * 5. every page and sheet is made again from all records (./gradebook/publish.ts): other students'
 *    rows are kept as they were.
 *
 * Ctrl-C or SIGTERM during 4: the records of the students graded so far stay, grades.csv and
 * report.html are made from them with a note of who was not graded, and --resume finishes the rest.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DEFAULTS, gradeSubmissions, gradingSeed } from "./grade";
import { refuse } from "./text-error";
import { projectRoot } from "./paths";
import { listClass, type ClassMember } from "./collect/class";
import { plainName } from "./collect/names";
import { collectStudent, loadStubs, type Collected } from "./collect/collect";
import type { FileNote } from "./collect/tree";
import { Gradebook } from "./gradebook/book";
import { publish, type Published } from "./gradebook/publish";
import { readRecords, studentDirName, writeRecord, type StudentRecord } from "./gradebook/record";
import { graderFingerprint, settingsHash, type GradeSettings } from "./gradebook/settings";
import { readRoster } from "./export/roster";
import { parsePolicy, parseTime, type LateRule } from "./export/late";
import { langFromEnv, same, text, type Lang, type Text } from "./i18n";
import type { GradeReport } from "./scoring";
import { typecheckSubmissions } from "./typecheck";
import { RunGuard } from "./lifetime";

export interface BatchRunOptions {
  /** The class's submissions (not needed with `refresh`). */
  submissions?: string;
  out: string;
  jobs: number;
  /** Wall-clock limit for each submission's code, seconds. */
  timeoutSeconds?: number;
  callTimeoutSeconds?: number;
  memoryMb?: number;
  /** Run the type check (default true). */
  typecheck?: boolean;
  /** The grading seed (default: the gradebook's, else one chosen now). */
  seed?: number;
  /** Grade only students whose files or settings changed since their row was graded. */
  resume?: boolean;
  /** Grade only these students of the submissions folder. */
  students?: readonly string[];
  /** Grade nobody: make the pages and sheets again (manual points, roster, late policy). */
  refresh?: boolean;
  /** A roster CSV (./export/roster.ts), kept in the gradebook. */
  roster?: string;
  /** The deadline (ISO time) and late policy (none, zero, N%), kept in the gradebook. */
  deadline?: string;
  latePolicy?: string;
  graceMinutes?: number;
  /** The assignment's name in the LMS exports. */
  assignment?: string;
  /** The language of the pages (default: the locale). */
  lang?: Lang;
  /** Called once the students are listed and compared with the gradebook, before grading starts. */
  onStart?: (plan: { toGrade: number; unchanged: number; found: number }) => void;
  onProgress?: (done: number, total: number, last: { id: string; score: number; max: number }) => void;
  /** Called in a signal handler when the run is stopped, after the gradebook was written: say what happened. */
  onInterrupt?: (summary: { signal: string; graded: string[]; unfinished: string[] }) => void;
}

export interface BatchSummary {
  outDir: string;
  seconds: number;
  /** Students graded by this run. */
  graded: string[];
  /** Students found unchanged and not graded again (--resume). */
  unchanged: string[];
  /** Students whose type check a stopped run did not finish, checked now (--resume). */
  typechecked: string[];
  /** Rows of the gradebook this run neither graded nor found unchanged, kept as they were. */
  kept: number;
  rows: number;
  /** The seed of this run (null in a student copy), and the gradebook's seed before it when --seed changed it. */
  seed: number | null;
  seedBefore: number | null;
  problems: Text[];
  manualRowsAdded: number;
  /** Mean and maximum score over the gradebook's rows. */
  mean: number;
  maxScore: number;
}

function inside(child: string, parent: string): boolean {
  const rel = path.relative(real(parent), real(child));
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

/** The path with every link resolved (a folder not made yet: its nearest existing parent's). */
function real(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    const parent = path.dirname(p);
    return parent === p ? p : path.join(real(parent), path.basename(p));
  }
}

/** Where a student's pages and record are: OUT/students/<dir>/ (never one of the gradebook's own files). */
export function studentDir(outDir: string, id: string): string {
  return path.join(outDir, "students", studentDirName(id));
}

function checkOut(outDir: string, o: BatchRunOptions, submissionsDir: string | null): void {
  if (submissionsDir && inside(outDir, submissionsDir)) throw refuse(`--out ${o.out} 在 --submissions ${o.submissions} 里面：请把结果写到别处`, `--out ${o.out} is inside --submissions ${o.submissions}: write the results somewhere else`);
  const root = projectRoot();
  for (const d of ["solutions", "test", "src", "exercises"]) {
    if (inside(outDir, path.join(root, d))) throw refuse(`--out ${o.out} 在项目的 ${d}/ 文件夹里：请把结果写到别处`, `--out ${o.out} is inside the project's ${d}/ folder: write the results somewhere else`);
  }
}

/** The roster and the late rule given on this run, kept in the gradebook (they hold for later runs). */
function applyClassOptions(book: Gradebook, o: BatchRunOptions): Text[] {
  const problems: Text[] = [];
  if (o.roster) {
    const roster = readRoster(o.roster);
    book.data.roster = roster.entries;
    problems.push(...roster.warnings.map(same));
  }
  if (o.deadline !== undefined || o.latePolicy !== undefined || o.graceMinutes !== undefined) {
    const before = book.data.late;
    const deadline = o.deadline ?? before?.deadline;
    if (!deadline) throw refuse("--late-policy 和 --grace 需要截止时间：请加上 --deadline 2026-12-01T23:59+08:00", "--late-policy and --grace need a deadline: add --deadline 2026-12-01T23:59+08:00");
    const rule: LateRule = {
      deadline: parseTime(deadline, "--deadline").toISOString(),
      policy: o.latePolicy !== undefined ? parsePolicy(o.latePolicy) : (before?.policy ?? { kind: "none" }),
      graceMinutes: o.graceMinutes ?? before?.graceMinutes ?? 0,
    };
    book.data.late = rule;
  }
  if (book.data.late && !book.data.roster?.some((r) => r.submittedAt)) {
    problems.push(text("设了截止时间，但名单（roster）里没有提交时间（submitted_at 列）：无法判断迟交", "a deadline is set but the roster has no submission times (a submitted_at column): late work cannot be told"));
  }
  if (o.assignment) book.data.assignment = o.assignment;
  return problems;
}

interface Planned {
  member: ClassMember;
  collected: Collected;
  previous: StudentRecord | null;
}

export async function gradeBatch(o: BatchRunOptions): Promise<BatchSummary> {
  const started = Date.now();
  const root = projectRoot();
  const lang = o.lang ?? langFromEnv();
  const outDir = path.resolve(o.out);
  const submissionsDir = o.refresh ? null : path.resolve(o.submissions ?? "");
  if (!o.refresh && !o.submissions) throw refuse("请给出 --submissions DIR（全班的文件夹和 zip），或用 --refresh 重新生成已有成绩册的页面", "give --submissions DIR (the class's folders and zips), or --refresh to remake the pages of an existing gradebook");
  checkOut(outDir, o, submissionsDir);
  const book = Gradebook.open(outDir, o.out);
  if (o.refresh && book.isNew) throw refuse(`--refresh：${o.out} 还不是成绩册——请先把一个班评分到这里（--submissions DIR）`, `--refresh: ${o.out} is not a gradebook yet — grade a class into it first (--submissions DIR)`);
  const listing = submissionsDir ? listClass(submissionsDir) : { students: [], skipped: [] as FileNote[] };
  let members = listing.students;
  if (o.students?.length) {
    const unknown = o.students.filter((s) => !members.some((m) => m.id === s));
    if (unknown.length) {
      const names = unknown.map((u) => JSON.stringify(u)).join(", ");
      // chen-jing for chen_jing, Ann for ann: the folder that differs only in case or punctuation.
      const near = unknown.map((u) => members.find((m) => plainName(m.id) === plainName(u))?.id).filter((x): x is string => !!x);
      const hint = near.length ? [`（是不是 ${near.join("、")}？）`, ` (did you mean ${near.join(", ")}?)`] : ["", ""];
      throw refuse(`--students：${o.submissions} 里没有名为 ${names} 的提交${hint[0]}`, `--students: no submission named ${names} in ${o.submissions}${hint[1]}`);
    }
    members = members.filter((m) => o.students!.includes(m.id));
  }
  const release = book.lock(o.out);
  // The students' collected files: removed on any exit, and by a reaper if the grader is killed
  // outright (./lifetime.ts) — a copy of a class's work must not stay in the temp folder.
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), "d2l-collect-"));
  const removeStage = () => fs.rmSync(stage, { recursive: true, force: true });
  const guard = new RunGuard();
  guard.watchWork(stage);
  guard.onCleanup(removeStage);
  // Stopped (Ctrl-C, SIGTERM) at any point from here: once grading has started, the students graded
  // so far keep their records and the pages are made from them, with a note of who was not graded;
  // the grading's own handlers (./lifetime.ts, on exit) then stop its processes.
  let stopping: ((signal: NodeJS.Signals) => void) | null = null;
  const onSignal = (signal: NodeJS.Signals) => {
    try {
      stopping?.(signal);
    } finally {
      release();
      removeStage();
      process.exit(signal === "SIGINT" ? 130 : 143);
    }
  };
  process.prependListener("SIGINT", onSignal);
  process.prependListener("SIGTERM", onSignal);
  try {
    const problems = applyClassOptions(book, o);
    const seedBefore = book.data.seed;
    const seed = o.seed !== undefined ? o.seed : (book.data.seed ?? gradingSeed(undefined));
    book.data.seed = seed;
    const settings: GradeSettings = {
      seed,
      timeoutMs: (o.timeoutSeconds ?? DEFAULTS.timeoutMs / 1000) * 1000,
      callTimeoutMs: o.callTimeoutSeconds !== undefined ? o.callTimeoutSeconds * 1000 : null,
      memoryMb: o.memoryMb ?? null,
      typecheck: o.typecheck !== false,
    };
    const hash = settingsHash(settings, graderFingerprint(root));
    const previous = new Map(readRecords(outDir).records.map((r) => [r.id, r]));
    const stubs = loadStubs(root);
    const planned: Planned[] = [];
    for (const [i, member] of members.entries()) {
      planned.push({ member, collected: await collectStudent(member, path.join(stage, String(i)), stubs), previous: previous.get(member.id) ?? null });
    }
    const changed = (p: Planned) => !p.previous || p.previous.filesHash !== p.collected.filesHash || p.previous.settingsHash !== hash;
    const toGrade = o.resume ? planned.filter(changed) : planned;
    // Graded by a run that was stopped before their type check: only the check is run again.
    const checkOnly = o.resume ? planned.filter((p) => !changed(p) && !p.previous!.complete) : [];
    const unchanged = planned.filter((p) => !toGrade.includes(p)).map((p) => p.member.id);
    // --resume replacing a row last graded from another folder (a fix that came by mail, regraded on
    // its own): said, not silent — the class folder may still hold the old files.
    for (const p of o.resume ? toGrade : []) {
      const before = p.previous?.from;
      if (before && submissionsDir && before !== submissionsDir) {
        problems.push(text(
          `${p.member.id}：上次是从 ${before} 评分的；--resume 在 ${submissionsDir} 里找到了不同的文件，按它们重新评了分——如果修改过的文件是单独交来的，请把它也放进这个文件夹，再评一次`,
          `${p.member.id}: last graded from ${before}; --resume found other files for them in ${submissionsDir} and graded those — if a fixed file came separately, put it into this folder too and grade them again`,
        ));
      }
    }
    const hide = [root, outDir, ...(submissionsDir ? [submissionsDir] : []), stage];
    const run = { started: new Date().toISOString(), finished: null as string | null, interrupted: null as string | null, graded: [] as string[], unfinished: toGrade.map((p) => p.member.id), unchanged: unchanged.length, seed };
    if (!o.refresh) book.data.runs.push(run);
    book.save();
    o.onStart?.({ toGrade: toGrade.length, unchanged: unchanged.length, found: planned.length });

    const publishNow = (): Published => publish(book, { lang, root, hide, skipped: listing.skipped, problems });
    stopping = (signal) => {
      run.interrupted = signal;
      book.save();
      publishNow();
      o.onInterrupt?.({ signal, graded: run.graded, unfinished: run.unfinished });
    };
    try {
      if (checkOnly.length > 0) {
        const checked = await typecheckSubmissions(
          root,
          checkOnly.map((p, i) => ({ id: String(i), dir: p.collected.dir })),
          { onProcess: (child) => child && process.once("exit", () => child.kill("SIGKILL")) },
        );
        checkOnly.forEach((p, i) => writeRecord(outDir, { ...p.previous!, complete: true, report: { ...p.previous!.report, typecheck: checked[String(i)] ?? { problem: "the type check gave no answer" } } }));
      }
      if (toGrade.length > 0) {
        const record = (p: Planned, report: GradeReport, syntaxErrors: Record<string, string>, complete: boolean): StudentRecord => ({
          format: 1,
          id: p.member.id,
          dir: studentDirName(p.member.id),
          gradedAt: new Date().toISOString(),
          filesHash: p.collected.filesHash,
          settingsHash: hash,
          seed,
          complete,
          exercises: p.collected.exercises,
          fileNotes: p.collected.notes,
          syntaxErrors,
          // Named "exercises" in every output: no path of the grading machine.
          report: { ...report, target: "exercises" },
          from: submissionsDir ?? undefined,
        });
        const results = await gradeSubmissions(
          toGrade.map((p) => ({ id: p.member.id, dir: p.collected.dir, display: "exercises" })),
          {
            hidden: true,
            jobs: o.jobs,
            timeoutMs: settings.timeoutMs,
            callTimeoutMs: settings.callTimeoutMs ?? undefined,
            memoryMb: settings.memoryMb ?? undefined,
            typecheck: settings.typecheck,
            seed,
            onSubmission: (r, done, total) => {
              const p = toGrade.find((x) => x.member.id === r.id)!;
              // Written at once (the type check comes later), so an interrupted run keeps what it graded.
              writeRecord(outDir, record(p, { ...r.report, typecheck: settings.typecheck ? { problem: "not finished: the run was stopped before the type check" } : null }, r.syntaxErrors, !settings.typecheck));
              run.graded.push(r.id);
              run.unfinished = run.unfinished.filter((id) => id !== r.id);
              o.onProgress?.(done, total, { id: r.id, score: r.report.score, max: r.report.max });
            },
          },
        );
        for (const r of results) writeRecord(outDir, record(toGrade.find((x) => x.member.id === r.id)!, r.report, r.syntaxErrors, true));
      }
    } finally {
      stopping = null;
    }
    run.finished = new Date().toISOString();
    book.save();
    const published = publishNow();
    const ids = new Set([...run.graded, ...unchanged]);
    const scores = published.rows.map((r) => r.score);
    return {
      outDir,
      seconds: (Date.now() - started) / 1000,
      graded: run.graded,
      unchanged,
      typechecked: checkOnly.map((p) => p.member.id),
      kept: published.rows.filter((r) => !ids.has(r.record.id)).length,
      rows: published.rows.length,
      seed,
      seedBefore: seedBefore !== null && seedBefore !== seed ? seedBefore : null,
      problems: published.problems,
      manualRowsAdded: published.manualRowsAdded,
      mean: scores.length ? scores.reduce((a, b) => a + b, 0) / scores.length : 0,
      maxScore: published.rows[0]?.max ?? 0,
    };
  } finally {
    process.removeListener("SIGINT", onSignal);
    process.removeListener("SIGTERM", onSignal);
    release();
    guard.end();
  }
}
