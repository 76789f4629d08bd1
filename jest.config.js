/** @type {import('jest').Config} */
export default {
  testEnvironment: "node",
  extensionsToTreatAsEsm: [".ts"],
  transform: { "^.+\\.ts$": "@swc/jest" },
  moduleNameMapper: { "^(\\.{1,2}/.*)\\.js$": "$1" },
  testMatch: ["<rootDir>/test/**/*.test.ts"],
  setupFilesAfterEnv: ["<rootDir>/test/helpers/setup-nock.ts"],
  testTimeout: 30000,
  // nock keeps its interceptor on the global scope across files.
  testEnvironmentOptions: { globalsCleanup: "off" },
};
