/** Jest runs the TypeScript sources as ES modules (the @actions/* packages are ESM-only). */
export default {
  testEnvironment: "node",
  extensionsToTreatAsEsm: [".ts"],
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  moduleNameMapper: { "^(\\.{1,2}/.*)\\.js$": "$1" },
  transform: {
    "^.+\\.ts$": ["ts-jest", { useESM: true, tsconfig: "tsconfig.json", diagnostics: { ignoreCodes: [151002] } }],
  },
  testTimeout: 60000,
  // One temporary folder per run, removed at the end (__tests__/global/).
  globalSetup: "<rootDir>/__tests__/global/temp-setup.js",
  globalTeardown: "<rootDir>/__tests__/global/temp-teardown.js",
};
