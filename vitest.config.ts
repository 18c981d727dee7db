import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    pool: "forks",
    include: ["test/**/*.test.ts"],
    exclude: ["test/reliability/**"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
