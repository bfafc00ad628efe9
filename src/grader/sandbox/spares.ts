/**
 * Warm spare processes. Spawning a sandbox costs Node's start-up (~0.1–0.2 s of CPU here), so in a
 * batch each worker keeps one process started ahead for its next submission. A spare has loaded the
 * library and nothing else, and may read only its own, still empty, folder: the submission's
 * compiled files are copied there when it is taken.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { launch, type Proc } from "./launch";

const spares = new Map<string, Proc>();
let slotCounter = 0;

const keyOf = (libDir: string, memoryMb: number) => `${libDir}|${memoryMb}`;

/** Starts a warm process for this worker's next submission (at most one per library and memory cap). */
export function warmSpare(libDir: string, memoryMb: number): void {
  const key = keyOf(libDir, memoryMb);
  if (spares.has(key)) return;
  const dir = path.join(path.dirname(libDir), "slots", `${process.pid}-${++slotCounter}`);
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
    fs.chmodSync(dir, 0o755);
  } catch {
    return;
  }
  const proc = launch(libDir, dir, memoryMb);
  // A spare must not keep the worker alive.
  proc.child.unref();
  (proc.child.stderr as unknown as { unref?: () => void }).unref?.();
  (proc.channel as unknown as { unref?: () => void }).unref?.();
  spares.set(key, proc);
  proc.child.on("exit", () => {
    if (spares.get(key) === proc) spares.delete(key);
  });
}

/** The warm process, if there is a live one, with its files copied from `runDir`; else null. */
export function takeSpare(libDir: string, memoryMb: number, runDir: string): Proc | null {
  const key = keyOf(libDir, memoryMb);
  const proc = spares.get(key) ?? null;
  spares.delete(key);
  if (!proc || proc.child.exitCode !== null || proc.child.signalCode !== null) return null;
  proc.child.ref();
  (proc.channel as unknown as { ref?: () => void }).ref?.();
  for (const f of fs.readdirSync(runDir)) fs.copyFileSync(path.join(runDir, f), path.join(proc.dir, f));
  return proc;
}

/** Stops the warm spare processes of this worker (the end of a run kills them in any case). */
export function stopSpares(): void {
  for (const proc of spares.values()) proc.child.kill("SIGKILL");
  spares.clear();
}
