import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Property tests and fixture sweeps are CPU-bound; two workers match the 2-core machines.
    maxWorkers: 2,
    // The graded specs call GRADE_TARGET's modules through the grader's sandbox (prepared once here).
    globalSetup: ["src/grader/spec/global-setup.ts"],
    // toEqual on tensors compares their values (held behind a getter, which structural equality skips).
    setupFiles: ["test/helpers/tensor-equality.ts"],
  },
});
