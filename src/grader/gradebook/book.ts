/**
 * The --out folder as a gradebook: OUT/gradebook.json marks it and keeps what holds for the whole
 * class — the grading seed, the roster, the deadline and late policy, each run's log — and
 * OUT/students/<dir>/record.json each student's row (./record.ts). A run grades some students, writes
 * their records, and makes every page and sheet again from all records (./publish.ts).
 *
 * A folder that is not empty and has no gradebook.json is refused: it is someone's other files. Two
 * runs on one gradebook at the same time are refused too (OUT/.lock, with the pid of the run).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { refuse } from "../text-error";
import type { RosterEntry } from "../export/roster";
import type { LateRule } from "../export/late";
import { writeFileAtomic } from "./record";

export const GRADEBOOK_FILE = "gradebook.json";
const LOCK_FILE = ".lock";
const FORMAT = "d2l-pooling gradebook";

export interface RunLog {
  started: string;
  finished: string | null;
  /** "SIGINT"/"SIGTERM" when stopped, else null. */
  interrupted: string | null;
  graded: string[];
  /** Students this run was to grade and did not finish. */
  unfinished: string[];
  /** Students found unchanged and not graded (--resume). */
  unchanged: number;
  seed: number | null;
}

export interface GradebookFile {
  format: typeof FORMAT;
  version: 1;
  created: string;
  /** The class's grading seed: used by every run unless --seed says otherwise. */
  seed: number | null;
  roster: RosterEntry[] | null;
  late: LateRule | null;
  /** The assignment's name in an LMS export (Canvas's column header). */
  assignment: string;
  /** The last runs, newest last (at most 50). */
  runs: RunLog[];
}

export const DEFAULT_ASSIGNMENT = "Pooling (d2l.ai 6.5)";

export class Gradebook {
  private constructor(
    readonly dir: string,
    public data: GradebookFile,
    readonly isNew: boolean,
  ) {}

  /**
   * Opens OUT as a gradebook: a new or empty folder becomes one; a folder with gradebook.json is one;
   * anything else is refused, with what to do.
   */
  static open(dir: string, shownAs: string): Gradebook {
    const file = path.join(dir, GRADEBOOK_FILE);
    if (fs.existsSync(file)) {
      let data: GradebookFile;
      try {
        data = JSON.parse(fs.readFileSync(file, "utf8")) as GradebookFile;
      } catch (e) {
        throw refuse(`无法读取 ${shownAs}/${GRADEBOOK_FILE}（${(e as Error).message}）：请从备份恢复，或评分到一个新文件夹`, `${shownAs}/${GRADEBOOK_FILE} cannot be read (${(e as Error).message}): restore it from a backup, or grade into a new folder`);
      }
      if (data.format !== FORMAT || data.version !== 1) throw refuse(`${shownAs}/${GRADEBOOK_FILE} 不是本评分器的成绩册（格式 ${JSON.stringify(data.format)}）：请评分到一个新文件夹`, `${shownAs}/${GRADEBOOK_FILE} is not a gradebook of this grader (format ${JSON.stringify(data.format)}): grade into a new folder`);
      return new Gradebook(dir, { ...data, assignment: data.assignment ?? DEFAULT_ASSIGNMENT, runs: data.runs ?? [] }, false);
    }
    if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory()) throw refuse(`--out ${shownAs} 是一个文件：请给成绩册一个文件夹`, `--out ${shownAs} is a file: give a folder for the gradebook`);
    if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) {
      throw refuse(
        `--out ${shownAs} 不是空文件夹，也不是成绩册（其中没有 ${GRADEBOOK_FILE}）：请给一个新的或空的文件夹，或者以前评分用的文件夹。没有写入任何东西。`,
        `--out ${shownAs} is not empty and is not a gradebook (it has no ${GRADEBOOK_FILE}): give a new or empty folder, or the folder of an earlier grading. Nothing was written.`,
      );
    }
    const data: GradebookFile = { format: FORMAT, version: 1, created: new Date().toISOString(), seed: null, roster: null, late: null, assignment: DEFAULT_ASSIGNMENT, runs: [] };
    return new Gradebook(dir, data, true);
  }

  /** Creates the folder and takes the lock; throws when another run holds it. Returns the release. */
  lock(shownAs: string): () => void {
    fs.mkdirSync(path.join(this.dir, "students"), { recursive: true });
    const lock = path.join(this.dir, LOCK_FILE);
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        fs.writeFileSync(lock, `${process.pid}\n`, { flag: "wx" });
        const release = () => {
          try {
            if (fs.readFileSync(lock, "utf8").trim() === String(process.pid)) fs.rmSync(lock);
          } catch {
            // gone already
          }
        };
        process.once("exit", release);
        return release;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw refuse(`无法写入 ${shownAs}：${(e as Error).message}`, `cannot write to ${shownAs}: ${(e as Error).message}`);
        const pid = Number(fs.readFileSync(lock, "utf8").trim());
        if (Number.isInteger(pid) && pid > 0 && alive(pid)) {
          throw refuse(`另一次评分（进程 ${pid}）正在写 ${shownAs}：请等它结束，或者停掉它（Ctrl-C）后加 --resume 再运行`, `another grading (process ${pid}) is writing to ${shownAs} now: wait for it to finish, or stop it (Ctrl-C) and run again with --resume`);
        }
        fs.rmSync(lock, { force: true }); // left by a run that was killed
      }
    }
    throw refuse(`无法锁定 ${shownAs}`, `cannot lock ${shownAs}`);
  }

  save(): void {
    this.data.runs = this.data.runs.slice(-50);
    writeFileAtomic(path.join(this.dir, GRADEBOOK_FILE), `${JSON.stringify(this.data, null, 2)}\n`);
  }

  get lastRun(): RunLog | null {
    return this.data.runs[this.data.runs.length - 1] ?? null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}
