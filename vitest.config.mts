import { defineConfig } from "vitest/config";

// Time limits only catch hangs; TEST_TIME_SCALE stretches them for a slow machine (as test/helpers/hang.ts).
const hang = (ms: number) => Math.round(ms * (Number(process.env.TEST_TIME_SCALE) || 1));

export default defineConfig({
  test: {
    // The grader's warm process (src/grader/warm/) is started only by the tests that test it.
    env: { D2L_GRADE_WARM: "0" },
    include: ["test/**/*.test.ts"],
    // Property tests and fixture sweeps are CPU-bound; two workers match the 2-core machines.
    maxWorkers: 2,
    // Time limits only catch hangs (test/helpers/hang.ts): a busy machine must not turn a test red.
    testTimeout: hang(120_000),
    hookTimeout: hang(300_000),
    // The graded specs call GRADE_TARGET's modules through the grader's sandbox (prepared once here).
    globalSetup: ["src/grader/spec/global-setup.ts"],
    // toEqual on tensors compares their values (held behind a getter, which structural equality skips).
    setupFiles: ["test/helpers/tensor-equality.ts"],
  },
});
