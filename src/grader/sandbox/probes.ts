/**
 * What this machine lets a sandbox have: a network namespace of its own, another uid, and how much
 * memory a process uses now. Asked once and remembered.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

let unshareWorks: boolean | null = null;

/** True when `unshare -n` works here (root with CAP_SYS_ADMIN): the sandbox then has no network. */
export function canIsolateNetwork(): boolean {
  if (unshareWorks === null) {
    if (process.platform !== "linux" || process.getuid?.() !== 0) unshareWorks = false;
    else {
      const r = spawnSync("unshare", ["-n", "true"], { stdio: "ignore", timeout: 5000 });
      unshareWorks = r.status === 0;
    }
  }
  return unshareWorks;
}

const traversable = new Map<string, boolean>();

/** Whether another (unprivileged) user can reach files below `dir`: every folder above it is o+x. */
export function reachableByOthers(dir: string): boolean {
  let ok = traversable.get(dir);
  if (ok === undefined) {
    ok = true;
    for (let d = path.resolve(dir); ; d = path.dirname(d)) {
      try {
        if ((fs.statSync(d).mode & 0o001) === 0) ok = false;
      } catch {
        ok = false;
      }
      if (!ok || path.dirname(d) === d) break;
    }
    traversable.set(dir, ok);
  }
  return ok;
}

/**
 * The uid a sandbox drops to when the grader runs as root: one per vitest worker, never root — when
 * that user can reach the work folder (a TMPDIR inside a private folder cannot be reached; the
 * sandbox then keeps the grader's uid, under the same permission model).
 */
export function sandboxUid(workDir: string): number | undefined {
  if (process.getuid?.() !== 0 || !reachableByOthers(workDir)) return undefined;
  return 61000 + (Number(process.env.VITEST_POOL_ID) || 0);
}

/** The resident memory of a process, MB (Linux /proc), or null when unknown. */
export function residentMb(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}
