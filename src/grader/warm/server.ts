/**
 * A copy's warm grader: `node dist/grader/warm/server.js ROOT VERSION` (./client.ts starts it, in
 * the background, the first time a student grades). It prepares the work folder once, then runs
 * one vitest worker (../run-specs.ts, as a batch does) whose only test is ../spec/warm.ts `serveWarm`:
 * it answers grading requests on the copy's socket (./place.ts) until nobody has asked for
 * `IDLE_MS`, or until the copy is rebuilt. Everything it started stops with it (../lifetime.ts).
 */
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { DEFAULTS, expectedSource } from "../grade";
import { RunGuard } from "../lifetime";
import type { RunRequest } from "../protocol";
import { SpecRunner } from "../runner";
import { WorkFolder } from "../work";
import { warmPlace } from "./place";
import type { WarmConfig } from "./protocol";

/** A warm grader stops after 20 minutes without a request. */
export const IDLE_MS = 20 * 60 * 1000;

/** Whether a grader already answers on `socket`. */
export function answers(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const c = net.connect(socket);
    c.once("connect", () => {
      c.destroy();
      resolve(true);
    });
    c.once("error", () => resolve(false));
  });
}

async function main(): Promise<void> {
  const [root, version] = process.argv.slice(2);
  const { socket, pid } = warmPlace(root);
  if (await answers(socket)) return; // another start won the race: that one serves
  fs.writeFileSync(pid, String(process.pid));
  const guard = new RunGuard();
  const runner = new SpecRunner();
  guard.onCleanup(() => runner.kill());
  try {
    const work = WorkFolder.create(root);
    guard.watchWork(work.dir);
    guard.onCleanup(() => work.remove());
    await work.preflight(DEFAULTS.memoryMb);
    const config: WarmConfig = {
      root,
      socket,
      workDir: work.dir,
      version,
      idleMs: Number(process.env.D2L_GRADE_IDLE_MS) || IDLE_MS,
      timeoutMs: DEFAULTS.timeoutMs,
      callTimeoutMs: DEFAULTS.callTimeoutMs,
      retryTimeoutMs: DEFAULTS.retryTimeoutMs,
      memoryMb: DEFAULTS.memoryMb,
    };
    const entry = path.join(root, "src", "grader", "spec", "warm.ts");
    fs.writeFileSync(
      path.join(work.specsDir, "warm.grade.ts"),
      `// Written by src/grader/warm/server.ts: the warm grader's one test, which serves until idle.\n` +
        `import { test } from "vitest";\nimport { serveWarm } from ${JSON.stringify(entry)};\n\n` +
        `test("serve", () => serveWarm(${JSON.stringify(config)}));\n`,
    );
    const forever = 2 ** 31 - 1;
    const request: RunRequest = { root, specsDir: work.specsDir, testTimeout: forever, hookTimeout: forever, maxWorkers: 1, expected: expectedSource(root) };
    const { stoppedBy } = await runner.run(request, () => undefined, forever, (group) => guard.watchGroup(group), work.tmpDir);
    if (stoppedBy) process.stderr.write(`warm grader stopped: ${stoppedBy.en}\n`);
  } finally {
    guard.end();
    if (fs.existsSync(pid) && fs.readFileSync(pid, "utf8") === String(process.pid)) fs.rmSync(pid, { force: true });
  }
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (e) => {
      process.stderr.write(`warm grader failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exit(1);
    },
  );
}
