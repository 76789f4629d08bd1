import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";
import { parseDockerfile } from "../helpers/dockerfile.js";

const REPO = fileURLToPath(new URL("../..", import.meta.url));

describe("the supported Node version", () => {
  it("is the same major in package.json engines, the Docker image and the Actions example", async () => {
    const pkg = JSON.parse(await readFile(join(REPO, "package.json"), "utf8")) as { engines?: { node?: string } };
    const docker = parseDockerfile(await readFile(join(REPO, "Dockerfile"), "utf8"));
    const workflow = parseYaml(await readFile(join(REPO, "examples", "github-actions", "review-reviewer.yml"), "utf8")) as {
      jobs: Record<string, { steps: { uses?: string; with?: Record<string, unknown> }[] }>;
    };
    const setupNode = Object.values(workflow.jobs).flatMap((j) => j.steps).filter((s) => s.uses?.startsWith("actions/setup-node@") === true);

    const engines = /^>=\s*(\d+)(?:\.\d+){0,2}$/.exec(pkg.engines?.node ?? "")?.[1];
    const images = docker.stages.map((s) => /^node:(\d+)(?:[.-]|$)/.exec(s.image)?.[1]);
    const actions = setupNode.map((s) => /^(\d+)/.exec(String(s.with?.["node-version"]))?.[1]);

    expect(engines).toMatch(/^\d+$/);
    expect(images.length).toBeGreaterThan(0);
    expect(images.every((major) => major === engines)).toBe(true);
    expect(actions).toEqual([engines]);
  });
});
