import { callShapes, synthesizeCheck } from "../../../src/propose/synthesize.js";

const UNRELATED = [
  "const total = items.reduce((a, b) => a + b, 0);",
  "export function load(id: string) {",
  '  logger.info("loaded", { id });',
  "  return fetchWithRetry(url, { retries: 3 });",
  "import { join } from 'node:path';",
  "created = timezone.now()",
  "    return render(request, 'index.html')",
  "}",
];
const sample = Array.from({ length: 200 }, (_, i) => UNRELATED[i % UNRELATED.length] ?? "");

describe("callShapes", () => {
  it("finds member-chain calls, ignoring strings, comments and keywords", () => {
    expect([...callShapes('if (x) console.log("a.b(", y); // foo.bar(\nreturn self.client.get(url)')].sort()).toEqual(["console.log", "self.client.get"]);
  });
});

describe("synthesizeCheck", () => {
  it("finds console.* calls reviewers replaced with the logger, generalizing the method", () => {
    const result = synthesizeCheck(
      [
        { before: '  console.log("user", user);', after: '  logger.debug("user", user);' },
        { before: "console.debug(payload)", after: "logger.debug(payload)" },
        { before: "    console.log(`took ${ms}ms`)", after: "    logger.info(`took ${ms}ms`)" },
        { before: "console.log(err)", after: "logger.error(err)" },
      ],
      sample,
    );
    expect(result).toMatchObject({ ok: true, shape: "console.(debug|log)(", figures: { before: { flagged: 4, total: 4 }, after: { flagged: 0, total: 4 }, noise: { flagged: 0, total: 200 } } });
  });

  it("matches a call at the end of a longer chain, and not the fixed call", () => {
    const result = synthesizeCheck(
      [
        { before: "created = datetime.now()", after: "created = timezone.now()" },
        { before: "ts = datetime.datetime.now()", after: "ts = timezone.now()" },
        { before: "day = datetime.now().date()", after: "day = timezone.now().date()" },
      ],
      sample,
    );
    expect(result).toMatchObject({ ok: true, shape: "datetime.now(", figures: { before: { flagged: 3, total: 3 }, after: { flagged: 0, total: 3 } } });
  });

  it("proposes nothing when no shape explains the corrections (renames of different names)", () => {
    const result = synthesizeCheck(
      [
        { before: "x = compute(a)", after: "total = compute(a)" },
        { before: "tmp = fetchAll()", after: "rows = fetchAll()" },
        { before: "d = parse(s)", after: "document = parse(s)" },
      ],
      sample,
    );
    expect(result).toEqual({ ok: false, reason: "no call shape in the commented code is gone from the fixed code", figures: null });
  });

  it("rejects a candidate that covers under 80% of the commented code", () => {
    const result = synthesizeCheck(
      [
        { before: "requests.get(url)", after: "session.get(url)" },
        { before: "open(path)", after: "path.open()" },
        { before: "print(x)", after: "log(x)" },
      ],
      sample,
    );
    expect(result.ok).toBe(false);
    expect(result.ok ? "" : result.reason).toMatch(/flags 1 of 3 commented snippets and [01] of 3 fixed ones \(needs ≥ 80% and none\)$/);
  });

  it("rejects a noisy pattern: more than 1% of unrelated added lines", () => {
    const noisy = [...sample.slice(0, 190), ...Array.from({ length: 10 }, () => "console.log('debug')")];
    const result = synthesizeCheck(
      [
        { before: "console.log(a)", after: "logger.info(a)" },
        { before: "console.log(b)", after: "logger.info(b)" },
        { before: "console.log(c)", after: "logger.info(c)" },
      ],
      noisy,
    );
    expect(result).toMatchObject({ ok: false, reason: "`console.log(` would flag 10 of 200 added lines in unrelated PRs (more than 1%)" });
  });

  it("needs three corrections with code, the code after them, and a noise sample", () => {
    expect(synthesizeCheck([{ before: "console.log(a)", after: "logger.info(a)" }], sample)).toMatchObject({ ok: false, reason: "1 corrections with code; at least 3 are needed" });
    const noAfter = [1, 2, 3].map((i) => ({ before: `console.log(${String(i)})`, after: null }));
    expect(synthesizeCheck(noAfter, sample)).toMatchObject({ ok: false, reason: "no code after the fixes is known, so a check could not be tested against it" });
    const pairs = [1, 2, 3].map((i) => ({ before: `console.log(${String(i)})`, after: `logger.info(${String(i)})` }));
    expect(synthesizeCheck(pairs, null)).toMatchObject({ ok: false, reason: "no sample of unrelated changes to measure noise against" });
  });

  it("stays fast and safe on hostile code: a 100 kB line of dots and names", () => {
    const hostile = `${"a.".repeat(50_000)}b`;
    const result = synthesizeCheck(
      [1, 2, 3].map(() => ({ before: hostile, after: "x" })),
      sample,
    );
    expect(result.ok).toBe(false);
  });
});
