import { readFile } from "node:fs/promises";
import nock from "nock";
import { join } from "node:path";
import { z } from "zod";
import { runCli, type CliIo } from "../../src/cli/main.js";
import { redactSecrets } from "../../src/export/redact.js";
import { FakeGitHub } from "../helpers/fake-github.js";
import { crcComments } from "../helpers/fixtures.js";
import { expectBackfill } from "../helpers/nock-github.js";
import { withTempDir } from "../helpers/signals.js";

const SECRET = "ghp_ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

const io = (env: Record<string, string>): CliIo & { stdout: () => string; stderr: () => string } => {
  let out = "";
  let err = "";
  return { out: (t) => (out += t), err: (t) => (err += t), env, isTty: false, stdout: () => out, stderr: () => err };
};

const DpoLine = z.strictObject({
  prompt: z.string().min(1),
  chosen: z.string(),
  rejected: z.string().min(1),
  meta: z.strictObject({
    repo: z.literal("acme/widgets"),
    pull: z.number().int().positive(),
    commentId: z.number().int(),
    url: z.string().startsWith("https://github.com/acme/widgets/pull/"),
    path: z.string(),
    reviewer: z.string(),
    suggestionApplied: z.boolean().nullable(),
    threadResolved: z.boolean().nullable(),
  }),
});
const SftLine = z.strictObject({
  messages: z.tuple([
    z.strictObject({ role: z.literal("system"), content: z.string().min(1) }),
    z.strictObject({ role: z.literal("user"), content: z.string().min(1) }),
    z.strictObject({ role: z.literal("assistant"), content: z.string().min(1) }),
  ]),
});

describe("backfill and export from the command line", () => {
  it("backfills with GITHUB_TOKEN, then exports valid dpo and sft JSONL with secrets redacted", async () => {
    await withTempDir(async (dir) => {
      const bodies = crcComments().filter((c) => c.user.type !== "Bot").map((c) => c.body);
      bodies[0] = `Never commit credentials like ${SECRET} in code.`;
      const fake = new FakeGitHub({ owner: "acme", name: "widgets", repoId: 4242, pulls: 12, comments: 24, suggestionEvery: 4, bodies, start: new Date("2026-10-01T00:00:00Z") });
      // No config in the repository or its org: the defaults apply.
      nock("https://api.github.com")
        .get("/repos/acme/widgets/contents/.github%2Freview-reviewer.yml")
        .reply(404)
        .get("/repos/acme/.github/contents/.github%2Freview-reviewer.yml")
        .reply(404);
      expectBackfill(fake, { since: "2026-09-01T00:00:00.000Z" });
      const env = { DATA_DIR: dir, GITHUB_TOKEN: "ghs_cli_test" };
      const backfill = io(env);

      const code = await runCli(["backfill", "--repo", "acme/widgets", "--since", "2026-09-01"], backfill);

      expect(code).toBe(0);
      expect(backfill.stdout()).toMatch(/review comments\s+24/);
      // repo + PR page + comment page + issue-comment page + one PR batch + one blob batch
      expect(backfill.stdout()).toMatch(/requests\s+6\n/);
      expect(backfill.stdout()).toMatch(/per 1,000 comments\s+250\n/);
      expect(backfill.stderr()).toMatch(/acme\/widgets comments\s+\[#+\] 1\/1\s+requests \d+/);

      const dpoFile = join(dir, "dpo.jsonl");
      const sftFile = join(dir, "sft.jsonl");
      const exp1 = io(env);
      const exp2 = io(env);
      expect(await runCli(["export", "--format", "dpo", "--out", dpoFile, "--repo", "acme/widgets"], exp1)).toBe(0);
      expect(await runCli(["export", "--format", "sft", "--out", sftFile], exp2)).toBe(0);
      const dpo = (await readFile(dpoFile, "utf8")).trimEnd().split("\n");
      const sft = (await readFile(sftFile, "utf8")).trimEnd().split("\n");

      // Every addressed correction becomes a pair; every human comment an SFT example.
      expect(dpo).toHaveLength(12);
      expect(sft).toHaveLength(24);
      for (const line of dpo) {
        const rec = DpoLine.parse(JSON.parse(line));
        expect(rec.chosen).not.toEqual(rec.rejected);
        expect(rec.chosen).toContain("compute_checked(");
      }
      for (const line of sft) SftLine.parse(JSON.parse(line));
      const all = [...dpo, ...sft].join("\n");
      expect(all).not.toContain(SECRET);
      expect(all).toContain("[REDACTED]");
      expect(exp1.stdout()).toBe(`wrote 12 dpo records to ${dpoFile}\n`);
    });
  });

  it("refuses bad arguments with usage errors", async () => {
    const out = io({});

    expect(await runCli(["backfill", "--repo", "not a repo"], out)).toBe(2);
    expect(await runCli(["backfill", "--repo", "a/b", "--since", "last week"], out)).toBe(2);
    expect(await runCli(["export", "--format", "csv", "--out", "x"], out)).toBe(2);
    expect(out.stderr()).toContain("--since must be a date");
  });
});

describe("redactSecrets", () => {
  it.each([
    ["token ghp_ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 here", "token [REDACTED] here"],
    ["key AKIAIOSFODNN7EXAMPLE", "key [REDACTED]"],
    ['password = "hunter2hunter2"', 'password = "[REDACTED]"'],
    ["API_KEY: sk-ant-api03-abcdefghijklmnopqrstuv", "API_KEY: [REDACTED]"],
    ["https://user:s3cretpass@example.com/x", "[REDACTED]example.com/x"],
    ["-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----", "[REDACTED]"],
  ])("redacts %j", (input, expected) => {
    expect(redactSecrets(input)).toBe(expected);
  });

  it("leaves ordinary review text alone", () => {
    const text = "Please rename `token_count` to `tokens`; the password field is validated elsewhere.";

    expect(redactSecrets(text)).toBe(text);
  });
});
