import { argvOf, dockerignoreMatcher, envPairs, parseDockerfile, splitFlags } from "../helpers/dockerfile.js";

// The reader dockerfile.test.ts runs the real Dockerfile with: if it misread a
// line, that test would run something other than what Docker runs.

describe("the Dockerfile reader used by the process tests", () => {
  it("joins continued lines, drops comments inside them, and substitutes global ARGs into FROM", () => {
    const text = [
      "# syntax=docker/dockerfile:1",
      "ARG NODE_VERSION=22",
      "FROM node:${NODE_VERSION}-slim AS deps",
      "RUN apt-get update \\",
      "# a comment inside the continuation",
      " && apt-get install -y g++",
      "FROM node:${NODE_VERSION}-slim",
      'CMD ["node", "dist/main.js"]',
    ].join("\n");

    const parsed = parseDockerfile(text);

    expect(parsed.args).toEqual({ NODE_VERSION: "22" });
    expect(parsed.stages.map((s) => [s.name, s.image])).toEqual([["deps", "node:22-slim"], ["1", "node:22-slim"]]);
    expect(parsed.stages[0]?.instructions).toEqual([{ keyword: "RUN", text: "apt-get update  && apt-get install -y g++", line: 4 }]);
  });

  it("reads flags, exec and shell forms, and ENV pairs", () => {
    expect(splitFlags("--mount=type=cache,target=/root/.npm npm ci")).toEqual({ flags: { mount: "type=cache,target=/root/.npm" }, rest: "npm ci" });
    expect(splitFlags("--from=build /app/dist ./dist").flags).toEqual({ from: "build" });
    expect(argvOf('["node", "-e", "process.exit(0)"]')).toEqual(["node", "-e", "process.exit(0)"]);
    expect(argvOf("npm run build")).toEqual(["/bin/sh", "-c", "npm run build"]);
    expect(envPairs('NODE_ENV=production HOST=0.0.0.0 GREETING="hello there"')).toEqual({ NODE_ENV: "production", HOST: "0.0.0.0", GREETING: "hello there" });
    expect(envPairs("LEGACY some value")).toEqual({ LEGACY: "some value" });
  });

  it("matches .dockerignore as Docker does: from the context root, folders with their contents, ** anywhere, ! exceptions", () => {
    const ignored = dockerignoreMatcher(["node_modules", "**/*.pem", "*.tgz", "docs", "!docs/keep.md", "# a comment"].join("\n"));

    expect(ignored("node_modules/re2/re2.js")).toBe(true);
    expect(ignored("src/node_modules")).toBe(false);
    expect(ignored("key.pem")).toBe(true);
    expect(ignored("deep/in/key.pem")).toBe(true);
    expect(ignored("review-reviewer-0.1.0.tgz")).toBe(true);
    expect(ignored("dist/x.tgz")).toBe(false);
    expect(ignored("docs/other.md")).toBe(true);
    expect(ignored("docs/keep.md")).toBe(false);
    expect(ignored("src/main.ts")).toBe(false);
  });
});
