/**
 * Starts the spec runner (./run-specs.ts: vitest, in a child process of its own process group) and
 * hands its messages on. One kill of the group stops vitest, its workers and every sandbox they
 * started. A kill timer for the whole run is the last resort: every submission has its own limits,
 * so it fires only if the grader itself hangs.
 */
import { text, type Text } from "./i18n";
import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import { builtGraderDir } from "./paths";
import type { RunRequest, RunnerMessage } from "./protocol";
import { GraderError } from "./errors";

export interface RunnerOutcome {
  /** Why the run was stopped before it finished (the kill timer), or null. */
  stoppedBy: Text | null;
}

export class SpecRunner {
  private child: ChildProcess | null = null;

  /** The runner's process group (its pid), while it runs. */
  get group(): number | undefined {
    return this.child?.pid;
  }

  /** Runs the specs; `onGroup` gets the runner's process group as soon as it exists. */
  run(request: RunRequest, onMessage: (m: RunnerMessage) => void, limitMs: number, onGroup?: (pgid: number) => void, tmpDir?: string): Promise<RunnerOutcome> {
    const runner = path.join(builtGraderDir(), "run-specs.js");
    return new Promise<RunnerOutcome>((resolve, reject) => {
      const profile = process.env.GRADE_CPU_PROF_DIR ? ["--cpu-prof", `--cpu-prof-dir=${process.env.GRADE_CPU_PROF_DIR}`] : [];
      const child = spawn(process.execPath, [...profile, runner, JSON.stringify(request)], {
        cwd: request.root,
        detached: true, // its own process group: one kill stops vitest's workers and the sandboxes
        stdio: ["ignore", "pipe", "pipe", "ipc"],
        // The specs' own pooling runs on small tensors: one thread per worker, the cores are for grading.
        // Its temporary files (vitest's) go into the work folder, removed with it whatever happens.
        env: { D2L_POOL_THREADS: "1", ...process.env, FORCE_COLOR: "0", NO_COLOR: "1", ...(tmpDir ? { TMPDIR: tmpDir, TMP: tmpDir, TEMP: tmpDir } : {}) },
      });
      this.child = child;
      if (child.pid) onGroup?.(child.pid);
      let output = "";
      const keep = (chunk: Buffer) => {
        output = (output + chunk.toString()).slice(-20_000);
      };
      child.stdout!.on("data", keep);
      child.stderr!.on("data", keep);
      let done = false;
      let fatal: string | null = null;
      let stoppedBy: Text | null = null;
      const timer = setTimeout(() => {
        const s = Math.round(limitMs / 1000);
        stoppedBy = text(`评分在 ${s} 秒后被中止（评分器对整次运行的上限）`, `grading was stopped after ${s} s (the grader's own limit for the whole run)`);
        this.kill();
      }, limitMs);
      child.on("message", (m: RunnerMessage) => {
        if (m.type === "done") done = true;
        else if (m.type === "fatal") fatal = m.message;
        onMessage(m);
      });
      child.on("exit", () => {
        clearTimeout(timer);
        this.kill(); // leftovers of the group (sandboxes included), if any
        if (stoppedBy || done) resolve({ stoppedBy });
        else reject(new GraderError(`the spec runner failed${fatal ? `: ${fatal}` : ""}\n${output.trim()}`));
      });
      child.on("error", (e) => reject(new GraderError(`cannot start the spec runner: ${e.message}`)));
    });
  }

  /** Kills the runner's whole process group (idempotent). */
  kill(): void {
    const pid = this.child?.pid;
    if (!pid) return;
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}
