/**
 * The grader's work folder (a fresh `d2l-grade-*` in the temp folder): the library copy the sandboxes
 * read, each submission's copied and compiled files, the test files of the run. Everything a sandbox
 * may read is here, and the folder is removed when the run ends.
 */
import { text } from "./i18n";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { GraderError } from "./errors";
import { EXERCISES } from "./manifest";
import { prepareLibrary, prepareSubmission, type PreparedSubmission } from "./sandbox/prepare";
import { Sandbox } from "./sandbox/sandbox";

export class WorkFolder {
  readonly dir: string;
  readonly libDir: string;
  readonly specsDir: string;
  /** The temp folder of the run's processes (vitest's caches): gone with the work folder. */
  readonly tmpDir: string;

  private constructor(dir: string) {
    this.dir = dir;
    this.libDir = path.join(dir, "lib");
    this.specsDir = path.join(dir, "specs");
    this.tmpDir = path.join(dir, "tmp");
  }

  /** A new work folder with the library copy in it (`root`: the project, whose dist/ is copied). */
  static create(root: string): WorkFolder {
    const work = new WorkFolder(fs.mkdtempSync(path.join(os.tmpdir(), "d2l-grade-")));
    fs.chmodSync(work.dir, 0o755);
    prepareLibrary(root, work.libDir);
    fs.mkdirSync(work.specsDir);
    fs.mkdirSync(work.tmpDir);
    return work;
  }

  /** The work folder another process made (the warm grader's vitest worker uses its server's). */
  static open(dir: string): WorkFolder {
    return new WorkFolder(dir);
  }

  /**
   * Copies and compiles submission number `index` (its folder is untrusted). Never throws: a
   * submission that cannot be copied is graded as empty, and its notes say why.
   */
  prepare(index: number, from: string): PreparedSubmission {
    const into = path.join(this.dir, "subs", String(index));
    try {
      return prepareSubmission(from, into, EXERCISES.map((e) => `${e.id}.ts`));
    } catch (e) {
      fs.rmSync(into, { recursive: true, force: true });
      const empty = prepareSubmission(path.join(this.dir, "nothing"), into);
      const why = (e as Error).message;
      return { ...empty, notes: [text(`提交无法复制：${why}`, `the submission could not be copied: ${why}`)] };
    }
  }

  /** Starts one sandbox on an empty submission: if that fails, the grader cannot run here (exit 2). */
  async preflight(memoryMb: number): Promise<void> {
    const empty = prepareSubmission(path.join(this.dir, "nothing"), path.join(this.dir, "preflight"));
    const sandbox = new Sandbox({ runDir: empty.runDir, libDir: this.libDir, display: "exercises", callTimeoutMs: 30_000, memoryMb });
    try {
      const reply = await sandbox.endpoint("nothing").get("nothing");
      if (reply.ok || reply.failure.kind !== "load") {
        throw new GraderError(`the sandbox for student code does not work here: ${reply.ok ? "unexpected answer" : reply.failure.message.en}`);
      }
    } finally {
      await sandbox.close();
    }
  }

  remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
