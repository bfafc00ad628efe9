/**
 * The reaper: a tiny process a grading run starts (detached: a session and process group of its
 * own, no stdin, no terminal) and talks to over IPC. If the grader goes away without saying "done" —
 * it crashed, ran out of memory, was killed with SIGKILL — the reaper kills what the run started
 * (the process groups it was told of, and every process carrying the run's marker in its
 * environment, see ./lifetime.ts) and removes the run's work folder. Then it exits.
 *
 *   node dist/grader/reaper.js        (with an IPC channel; messages: ReaperMessage)
 */
import * as fs from "node:fs";

export type ReaperMessage =
  | { type: "watch"; marker: string; work: string | null; groups: number[] }
  | { type: "done" };

/** Pids of the processes whose environment holds `NAME=value` exactly (Linux /proc). */
export function markedProcesses(entry: string): number[] {
  const pids: number[] = [];
  for (const name of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      if (fs.readFileSync(`/proc/${name}/environ`, "latin1").split("\0").includes(entry)) pids.push(Number(name));
    } catch {
      // gone, or not ours to read
    }
  }
  return pids;
}

function reap(state: Extract<ReaperMessage, { type: "watch" }>): void {
  for (const g of state.groups) {
    try {
      process.kill(-g, "SIGKILL");
    } catch {
      // gone
    }
  }
  // Twice: a process may be starting one more as the first round kills its parent.
  for (let round = 0; round < 2; round++) {
    for (const pid of markedProcesses(`D2L_GRADE_RUN=${state.marker}`)) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // gone
      }
    }
  }
  if (state.work) fs.rmSync(state.work, { recursive: true, force: true });
}

if (require.main === module) {
  let state: Extract<ReaperMessage, { type: "watch" }> | null = null;
  let done = false;
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => undefined);
  process.on("message", (m: ReaperMessage) => {
    if (m.type === "watch") state = m;
    else if (m.type === "done") done = true;
  });
  process.on("disconnect", () => {
    if (!done && state) reap(state);
    process.exit(0);
  });
}
