/**
 * Nothing of a grading run outlives it, on any exit.
 *
 * - Every process the run starts carries the run's marker in its environment,
 *   `D2L_GRADE_RUN=<grader pid>.<random>` (the spec runner and its vitest workers inherit it, each
 *   sandbox and the type checker get it): "the processes of this grading" is exactly that set, never a
 *   guess by name (other graders, kernels and tests may run on the same machine).
 * - A normal end, an error, Ctrl-C (SIGINT/SIGTERM) and an uncaught exception (`exit` handlers) stop
 *   the spec runner's process group and the type checker and remove the work folder, here.
 * - A grader that dies without running any handler (SIGKILL, out of memory) is covered by the reaper
 *   (./reaper.ts), a separate process that notices the grader is gone and does the same.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as path from "node:path";
import { builtGraderDir } from "./paths";
import type { ReaperMessage } from "./reaper";

export const MARKER_VAR = "D2L_GRADE_RUN";

/** This grader's marker, set in its own environment so every process it starts inherits it. */
export function runMarker(): string {
  return (process.env[MARKER_VAR] ??= `${process.pid}.${randomBytes(6).toString("hex")}`);
}

export class RunGuard {
  private readonly cleanups = new Set<() => void>();
  private reaper: ChildProcess | null = null;
  private readonly groups = new Set<number>();
  private readonly onExit = () => this.runCleanups();
  private readonly onSignal = () => {
    this.runCleanups();
    process.exit(130);
  };

  private work: string | null = null;

  constructor() {
    runMarker();
    process.on("exit", this.onExit);
    process.once("SIGINT", this.onSignal);
    process.once("SIGTERM", this.onSignal);
    try {
      const reaper = spawn(process.execPath, [path.join(builtGraderDir(), "reaper.js")], {
        detached: true,
        stdio: ["ignore", "ignore", "ignore", "ipc"],
        env: {}, // not marked: it must not reap itself
      });
      reaper.on("error", () => undefined);
      reaper.unref();
      (reaper.channel as unknown as { unref?: () => void } | undefined)?.unref?.();
      this.reaper = reaper;
      this.tellReaper();
    } catch {
      // no reaper: the handlers above still cover every exit but SIGKILL
    }
  }

  /** Something to stop or remove on any exit of the grader (run once). */
  onCleanup(fn: () => void): void {
    this.cleanups.add(fn);
  }

  /** The run's work folder (the reaper removes it if the grader dies). */
  watchWork(dir: string): void {
    this.work = dir;
    this.tellReaper();
  }

  /** A process group the run started (the reaper kills it if the grader dies). */
  watchGroup(pgid: number | undefined): void {
    if (!pgid) return;
    this.groups.add(pgid);
    this.tellReaper();
  }

  private tellReaper(): void {
    const message: ReaperMessage = { type: "watch", marker: runMarker(), work: this.work, groups: [...this.groups] };
    try {
      this.reaper?.send(message);
    } catch {
      // the reaper is gone
    }
  }

  private runCleanups(): void {
    for (const fn of this.cleanups) {
      try {
        fn();
      } catch {
        // keep going: the others must run
      }
    }
    this.cleanups.clear();
  }

  /** The run is over: clean up now, and tell the reaper it has nothing to do. */
  end(): void {
    this.runCleanups();
    process.removeListener("exit", this.onExit);
    process.removeListener("SIGINT", this.onSignal);
    process.removeListener("SIGTERM", this.onSignal);
    const reaper = this.reaper;
    this.reaper = null;
    if (!reaper) return;
    try {
      reaper.send({ type: "done" } satisfies ReaperMessage, () => reaper.disconnect());
    } catch {
      // gone
    }
  }
}
