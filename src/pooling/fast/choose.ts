/**
 * One thread or all of them? Measured, per kind of job.
 *
 * Two threads halve a kernel's time only when the machine has a second core to give: on a busy
 * machine (other processes on both cores) a worker shares a core with the caller or loses it
 * while holding a chunk, and a two-thread call can take several times as long as one thread
 * (measured on a 2-core VM at load 4–8: max 3×3/s2 4.6 ms against 3.1, global average 0.71
 * against 0.41). So each kind of job — a kernel, its planes, its input size, its scratch — keeps
 * the average time of its recent calls both ways and runs the faster way, trying the other
 * again every 8th call, so the choice follows the machine as it gets busy or quiet.
 */

interface Times {
  one: number; // recent ms per call on the calling thread alone (NaN: not tried yet)
  all: number; // ... shared with the workers
  calls: number;
}

const EXPLORE = 8;
const WEIGHT = 0.3; // of the newest call in the running average
const MAX_KINDS = 256;
const kinds = new Map<string, Times>();

export type Way = "one" | "all";

/** Which way to run the next job of `kind`. */
export function chooseWay(kind: string): Way {
  let t = kinds.get(kind);
  if (!t) {
    if (kinds.size >= MAX_KINDS) kinds.clear();
    kinds.set(kind, (t = { one: NaN, all: NaN, calls: 0 }));
  }
  t.calls++;
  if (Number.isNaN(t.all)) return "all";
  if (Number.isNaN(t.one)) return "one";
  const best: Way = t.one <= t.all ? "one" : "all";
  if (t.calls % EXPLORE === 0) return best === "one" ? "all" : "one";
  return best;
}

/** How long a job of `kind` took the way it ran. */
export function record(kind: string, way: Way, ms: number): void {
  const t = kinds.get(kind);
  if (!t) return;
  t[way] = Number.isNaN(t[way]) ? ms : (1 - WEIGHT) * t[way] + WEIGHT * ms;
}

/** The running averages, for tests and the bench. */
export function wayTimes(kind: string): { one: number; all: number } | undefined {
  const t = kinds.get(kind);
  return t ? { one: t.one, all: t.all } : undefined;
}
