import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Property tests and fixture sweeps are CPU-bound; two workers match the 2-core machines.
    maxWorkers: 2,
  },
});
