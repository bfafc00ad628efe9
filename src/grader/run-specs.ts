/**
 * The spec runner: a child process that runs the graded specs with vitest and reports every test and
 * every submission's test file to its parent (./grade.ts) over IPC. It is started in its own process
 * group, so the parent can kill it, vitest's workers and every sandbox process at once.
 *
 *   node dist/grader/run-specs.js '<RunRequest as JSON>'      (with an IPC channel)
 */
import { pathToFileURL } from "node:url";
import type { RunRequest, RunnerMessage } from "./protocol";
import { readRecord } from "./records";
import { solutionsPlugin } from "./solutions-plugin";

/** import() that TypeScript's CommonJS output leaves alone (vitest is ESM only). */
const importEsm = new Function("specifier", "return import(specifier)") as (specifier: string) => Promise<unknown>;

function send(message: RunnerMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) {
      process.stdout.write(`${JSON.stringify(message)}\n`);
      resolve();
      return;
    }
    process.send(message, undefined, {}, () => resolve());
  });
}

function errorMessage(e: unknown): string {
  if (e && typeof e === "object" && "message" in e) {
    const err = e as { name?: string; message?: unknown };
    const name = err.name && err.name !== "Error" && err.name !== "GradeFailure" ? `${err.name}: ` : "";
    return `${name}${String(err.message)}`;
  }
  return String(e);
}

// Minimal structural types of the vitest reporter API we use (vitest's own types are ESM-only).
interface TestCaseLike {
  id: string;
  module: { moduleId: string };
  meta(): Record<string, unknown>;
}
interface TestModuleLike {
  moduleId: string;
  errors(): ReadonlyArray<unknown>;
  children: { allTests(): Iterable<TestCaseLike> };
}

async function main(): Promise<void> {
  // The grader gone (its IPC channel closed): stop everything of this run, this process group.
  process.on("disconnect", () => {
    try {
      process.kill(-process.pid, "SIGKILL");
    } catch {
      process.exit(1);
    }
  });
  const request = JSON.parse(process.argv[2] ?? "{}") as RunRequest;
  const expected = request.expected;
  if (expected.mode === "recorded") process.env.GRADE_EXPECTED_DIR = expected.dir;
  if (expected.mode === "record") process.env.GRADE_RECORD_DIR = expected.dir;
  const pending: Promise<void>[] = [];
  // Each test's record is sent once: when its result comes, or at its module's end at the latest.
  // vitest may report a module's end before the last of its test results (seen with the first
  // submission of a batch: its hidden parts arrived after the grader had finished it, "not run").
  const sent = new Set<string>();
  const sendRecord = (testCase: TestCaseLike) => {
    if (sent.has(testCase.id)) return;
    // A graded part left its record in the test's meta (./spec/harness.ts); other tests say nothing.
    const record = readRecord(testCase.meta().record);
    if (!record) return;
    sent.add(testCase.id);
    pending.push(send({ type: "part", file: testCase.module.moduleId, record }));
  };
  const reporter = {
    onTestCaseResult(testCase: TestCaseLike) {
      sendRecord(testCase);
    },
    onTestModuleEnd(testModule: TestModuleLike) {
      for (const testCase of testModule.children.allTests()) sendRecord(testCase);
      pending.push(send({ type: "module", file: testModule.moduleId, errors: testModule.errors().map(errorMessage) }));
    },
  };
  const vitestNode = (await importEsm(pathToFileURL(require.resolve("vitest/node", { paths: [request.root] })).href)) as {
    createVitest: (mode: "test", options: Record<string, unknown>, viteOverrides?: Record<string, unknown>) => Promise<{
      start(filters?: string[]): Promise<unknown>;
      close(): Promise<void>;
      state: { getUnhandledErrors(): unknown[] };
    }>;
  };
  const plugins = expected.mode === "solutions" ? [] : [solutionsPlugin({ mode: expected.mode, root: request.root })];
  const vitest = await vitestNode.createVitest(
    "test",
    {
      config: false,
      root: request.root,
      dir: request.specsDir,
      include: ["*.grade.ts"],
      watch: false,
      reporters: [reporter],
      testTimeout: request.testTimeout,
      hookTimeout: request.hookTimeout,
      pool: "forks",
      maxWorkers: request.maxWorkers,
      // One worker grades many submissions, loading the specs once (./spec/submission.ts);
      // no submission code runs in it, so nothing can leak from one submission to the next.
      isolate: false,
      passWithNoTests: true,
      // Profiling the workers (`GRADE_CPU_PROF_DIR=DIR node bench/grading.js`): a CPU profile per worker in DIR.
      ...(process.env.GRADE_CPU_PROF_DIR ? { execArgv: ["--cpu-prof", `--cpu-prof-dir=${process.env.GRADE_CPU_PROF_DIR}`] } : {}),
    },
    { plugins },
  );
  try {
    await vitest.start();
    await Promise.all(pending);
    await send({ type: "done", errors: vitest.state.getUnhandledErrors().map(errorMessage) });
  } finally {
    await vitest.close();
  }
}

main().then(
  () => process.exit(0),
  async (e) => {
    await send({ type: "fatal", message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    process.exit(1);
  },
);
