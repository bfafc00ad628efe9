import { defineConfig } from "vitest/config";

// Time limits only catch hangs; TEST_TIME_SCALE stretches them for a slow machine (as test/helpers/hang.ts).
const hang = (ms: number) => Math.round(ms * (Number(process.env.TEST_TIME_SCALE) || 1));

// The instructor's suites (npm run test:instructor): hostile submissions, the student release and
// the Gradescope bundle. They grade whole batches in child processes, so they take minutes, not
// seconds, and are kept out of `npm test`.
export default defineConfig({
  test: {
    // The grader's warm process (src/grader/warm/) is started only by the tests that test it.
    env: { D2L_GRADE_WARM: "0" },
    // Run from the project root (npm run test:instructor).
    root: process.cwd(),
    include: ["test/instructor/**/*.suite.ts"],
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: hang(1_800_000),
    hookTimeout: hang(1_800_000),
  },
});
