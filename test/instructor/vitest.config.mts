import { defineConfig } from "vitest/config";

// The instructor's suites (npm run test:instructor): hostile submissions, the student release and
// the Gradescope bundle. They grade whole batches in child processes, so they take minutes, not
// seconds, and are kept out of `npm test`.
export default defineConfig({
  test: {
    // Run from the project root (npm run test:instructor).
    root: process.cwd(),
    include: ["test/instructor/**/*.suite.ts"],
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 900_000,
  },
});
