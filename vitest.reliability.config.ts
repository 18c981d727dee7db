import { defineConfig } from "vitest/config";

/** `npm run test:reliability`: the slow, process-killing tests the default run leaves out. */
export default defineConfig({
  test: {
    pool: "forks",
    include: ["test/reliability/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
