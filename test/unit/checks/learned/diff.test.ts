import { DEFAULT_DIFF_LIMITS, readAddedLines, unquoteDiffPath } from "../../../../src/checks/learned/diff.js";

const lines = (...l: string[]): string => `${l.join("\n")}\n`;

describe("readAddedLines", () => {
  it("documents its default limits", () => {
    expect(DEFAULT_DIFF_LIMITS).toEqual({ maxFiles: 300, maxLines: 20_000, maxLineLength: 10_000 });
  });

  it("numbers added lines in the new file across hunks, skipping removed and context lines", () => {
    const diff = lines(
      "diff --git a/src/a.ts b/src/a.ts",
      "index 1111111..2222222 100644",
      "--- a/src/a.ts",
      "+++ b/src/a.ts",
      "@@ -1,4 +1,5 @@",
      " one",
      "-two",
      "+TWO",
      "+two and a half",
      " three",
      " four",
      "@@ -20,3 +21,4 @@ export const f = () => {",
      " twenty",
      "+twenty-one",
      " twenty-two",
      "-twenty-three",
      "+twenty-three!",
    );

    expect(readAddedLines(diff)).toEqual({
      lines: [
        { path: "src/a.ts", line: 2, text: "TWO" },
        { path: "src/a.ts", line: 3, text: "two and a half" },
        { path: "src/a.ts", line: 22, text: "twenty-one" },
        { path: "src/a.ts", line: 24, text: "twenty-three!" },
      ],
      files: 1,
      skipped: { files: 0, lines: 0, longLines: 0, binary: 0 },
    });
  });

  it("reads hunk headers with omitted counts (a count of 1)", () => {
    const diff = lines("diff --git a/x b/x", "--- a/x", "+++ b/x", "@@ -3 +3 @@", "-old", "+new", "@@ -10 +10,2 @@", " keep", "+added", "@@ -0,0 +1 @@", "+first");

    expect(readAddedLines(diff).lines).toEqual([
      { path: "x", line: 3, text: "new" },
      { path: "x", line: 11, text: "added" },
      { path: "x", line: 1, text: "first" },
    ]);
  });

  it("reads a new file, and nothing from a deleted one (+++ /dev/null)", () => {
    const diff = lines(
      "diff --git a/gone.py b/gone.py",
      "deleted file mode 100644",
      "index 3333333..0000000",
      "--- a/gone.py",
      "+++ /dev/null",
      "@@ -1,2 +0,0 @@",
      "-import os",
      "-print(os.getcwd())",
      "diff --git a/new.py b/new.py",
      "new file mode 100644",
      "index 0000000..4444444",
      "--- /dev/null",
      "+++ b/new.py",
      "@@ -0,0 +1,2 @@",
      "+import sys",
      "+print(sys.argv)",
    );

    const r = readAddedLines(diff);

    expect(r.lines).toEqual([
      { path: "new.py", line: 1, text: "import sys" },
      { path: "new.py", line: 2, text: "print(sys.argv)" },
    ]);
    expect(r.files).toBe(2);
  });

  it("uses the new path of a rename, and reads nothing from a pure rename or a mode change", () => {
    const diff = lines(
      "diff --git a/src/old name.ts b/src/new name.ts",
      "similarity index 100%",
      "rename from src/old name.ts",
      "rename to src/new name.ts",
      "diff --git a/lib/util.js b/lib/helpers.js",
      "similarity index 90%",
      "rename from lib/util.js",
      "rename to lib/helpers.js",
      "index 5555555..6666666 100644",
      "--- a/lib/util.js",
      "+++ b/lib/helpers.js",
      "@@ -1,2 +1,3 @@",
      " const a = 1;",
      "+const b = 2;",
      " module.exports = { a };",
      "diff --git a/run.sh b/run.sh",
      "old mode 100644",
      "new mode 100755",
    );

    const r = readAddedLines(diff);

    expect(r.lines).toEqual([{ path: "lib/helpers.js", line: 2, text: "const b = 2;" }]);
    expect(r.files).toBe(3);
  });

  it("unquotes C-quoted paths and drops the tab git puts after names with spaces", () => {
    const diff = lines(
      'diff --git "a/docs/caf\\303\\251 \\"menu\\".md" "b/docs/caf\\303\\251 \\"menu\\".md"',
      "index 7777777..8888888 100644",
      // As git 2.39 writes it: quoted, and still a tab after a name with a space.
      '--- "a/docs/caf\\303\\251 \\"menu\\".md"\t',
      '+++ "b/docs/caf\\303\\251 \\"menu\\".md"\t',
      "@@ -1 +1,2 @@",
      " # Menu",
      "+Crème brûlée",
      "diff --git a/my notes.txt b/my notes.txt",
      "--- a/my notes.txt\t",
      "+++ b/my notes.txt\t",
      "@@ -1 +1 @@",
      "-a",
      "+b",
      'diff --git "a/tab\\there" "b/tab\\there"',
      '--- "a/tab\\there"',
      '+++ "b/tab\\there"',
      "@@ -0,0 +1 @@",
      "+x",
    );

    expect(readAddedLines(diff).lines).toEqual([
      { path: 'docs/café "menu".md', line: 2, text: "Crème brûlée" },
      { path: "my notes.txt", line: 1, text: "b" },
      { path: "tab\there", line: 1, text: "x" },
    ]);
  });

  it("ignores '\\ No newline at end of file' wherever it appears", () => {
    const diff = lines(
      "diff --git a/a.txt b/a.txt",
      "--- a/a.txt",
      "+++ b/a.txt",
      "@@ -1,2 +1,2 @@",
      " first",
      "-last",
      "\\ No newline at end of file",
      "+last, now ended",
      "diff --git a/b.txt b/b.txt",
      "--- a/b.txt",
      "+++ b/b.txt",
      "@@ -1 +1,2 @@",
      " kept",
      "+no newline after me",
      "\\ No newline at end of file",
    );

    expect(readAddedLines(diff).lines).toEqual([
      { path: "a.txt", line: 2, text: "last, now ended" },
      { path: "b.txt", line: 2, text: "no newline after me" },
    ]);
  });

  it("counts binary files (both git forms) and reads no lines from them", () => {
    const diff = lines(
      "diff --git a/logo.png b/logo.png",
      "index 9999999..aaaaaaa 100644",
      "Binary files a/logo.png and b/logo.png differ",
      "diff --git a/font.woff b/font.woff",
      "new file mode 100644",
      "index 0000000..bbbbbbb",
      "GIT binary patch",
      "literal 12",
      "TcmZ?wbhEHbWMp7uU|<0N0*3+@",
      "",
      "literal 0",
      "HcmV?d00001",
      "",
      "diff --git a/a.txt b/a.txt",
      "--- a/a.txt",
      "+++ b/a.txt",
      "@@ -0,0 +1 @@",
      "+text",
    );

    const r = readAddedLines(diff);

    expect(r.lines).toEqual([{ path: "a.txt", line: 1, text: "text" }]);
    expect(r.files).toBe(3);
    expect(r.skipped).toEqual({ files: 0, lines: 0, longLines: 0, binary: 2 });
  });

  it("reads CRLF diffs and strips the carriage return of CRLF files", () => {
    const diff = ["diff --git a/w.bat b/w.bat", "--- a/w.bat", "+++ b/w.bat", "@@ -1,2 +1,3 @@", " @echo off", "+set X=1", " exit", "\\ No newline at end of file", ""].join("\r\n");

    expect(readAddedLines(diff).lines).toEqual([{ path: "w.bat", line: 2, text: "set X=1" }]);
  });

  it("keeps content lines that look like headers, by the hunk's counts", () => {
    const diff = lines(
      "diff --git a/notes.md b/notes.md",
      "--- a/notes.md",
      "+++ b/notes.md",
      "@@ -1,3 +1,3 @@",
      "--- a/removed line that starts with two dashes",
      "+++ b/added line that starts with two pluses",
      "+@@ -1 +1 @@ not a hunk",
      " diff --git context",
      "-gone",
    );

    expect(readAddedLines(diff).lines).toEqual([
      { path: "notes.md", line: 1, text: "++ b/added line that starts with two pluses" },
      { path: "notes.md", line: 2, text: "@@ -1 +1 @@ not a hunk" },
    ]);
  });

  it("reads an empty line inside a hunk as context (editors strip the leading space)", () => {
    const diff = lines("diff --git a/x b/x", "--- a/x", "+++ b/x", "@@ -1,3 +1,4 @@", " a", "", " c", "+d");

    expect(readAddedLines(diff).lines).toEqual([{ path: "x", line: 4, text: "d" }]);
  });

  it("reads a git format-patch: mail header and message ignored, the signature not read as a removal", () => {
    const diff = lines(
      "From 0123456789abcdef0123456789abcdef01234567 Mon Sep 17 00:00:00 2001",
      "From: Ada <ada@example.com>",
      "Subject: [PATCH] add things",
      "",
      "+++ a line of the message that looks like a header",
      "@@ -1 +1 @@",
      "---",
      " x.txt | 1 +",
      " 1 file changed, 1 insertion(+)",
      "",
      "diff --git a/x.txt b/x.txt",
      "--- a/x.txt",
      "+++ b/x.txt",
      "@@ -1 +1,2 @@",
      " a",
      "+b",
      "-- ",
      "2.39.5",
    );

    expect(readAddedLines(diff)).toEqual({ lines: [{ path: "x.txt", line: 2, text: "b" }], files: 1, skipped: { files: 0, lines: 0, longLines: 0, binary: 0 } });
  });

  it("reads a plain diff -u (no git header), paths verbatim without the timestamp", () => {
    const diff = lines("--- old/a.c\t2026-01-01 10:00:00.000000000 +0000", "+++ new/a.c\t2026-01-02 10:00:00.000000000 +0000", "@@ -1 +1,2 @@", " int a;", "+int b;", "Binary files old/b.bin and new/b.bin differ");

    const r = readAddedLines(diff);

    expect(r.lines).toEqual([{ path: "new/a.c", line: 2, text: "int b;" }]);
    expect(r.files).toBe(2);
    expect(r.skipped.binary).toBe(1);
  });

  it("survives a hunk shorter than its header says", () => {
    const diff = lines("diff --git a/x b/x", "--- a/x", "+++ b/x", "@@ -1,5 +1,9 @@", "+a", "diff --git a/y b/y", "--- a/y", "+++ b/y", "@@ -1 +1 @@", "-c", "+d");

    expect(readAddedLines(diff).lines).toEqual([
      { path: "x", line: 1, text: "a" },
      { path: "y", line: 1, text: "d" },
    ]);
  });

  it("reports what its limits skipped", () => {
    const file = (name: string, added: string[]): string[] => [`diff --git a/${name} b/${name}`, `--- a/${name}`, `+++ b/${name}`, `@@ -0,0 +1,${String(added.length)} @@`, ...added.map((t) => `+${t}`)];
    const diff = lines(
      ...file("a.txt", ["1", "2", "x".repeat(11), "3"]),
      "diff --git a/img.png b/img.png",
      "Binary files a/img.png and b/img.png differ",
      ...file("b.txt", ["4", "5"]),
      ...file("c.txt", ["6"]),
      "diff --git a/img2.png b/img2.png",
      "Binary files a/img2.png and b/img2.png differ",
    );

    const r = readAddedLines(diff, { maxFiles: 3, maxLines: 4, maxLineLength: 10 });

    expect(r.lines.map((l) => `${l.path}:${String(l.line)}`)).toEqual(["a.txt:1", "a.txt:2", "a.txt:4", "b.txt:1"]);
    expect(r.files).toBe(3);
    expect(r.skipped).toEqual({ files: 2, lines: 1, longLines: 1, binary: 1 });
  });

  it("keeps a line exactly maxLineLength long", () => {
    const diff = lines("diff --git a/x b/x", "--- a/x", "+++ b/x", "@@ -0,0 +1,2 @@", `+${"y".repeat(10_000)}`, `+${"z".repeat(10_001)}`);

    const r = readAddedLines(diff);

    expect(r.lines.map((l) => l.text.length)).toEqual([10_000]);
    expect(r.skipped.longLines).toBe(1);
  });

  it("returns nothing for an empty or non-diff input", () => {
    expect(readAddedLines("")).toEqual({ lines: [], files: 0, skipped: { files: 0, lines: 0, longLines: 0, binary: 0 } });
    expect(readAddedLines("hello\n+world\n@@ -1 +1 @@\n+x\n").lines).toEqual([]);
  });
});

describe("unquoteDiffPath", () => {
  it.each([
    ["b/plain.txt", "b/plain.txt"],
    ["b/with space.txt\t", "b/with space.txt"],
    ['"b/\\303\\244\\303\\266.txt"', "b/äö.txt"],
    ['"b/a\\\\b\\"c\\nd"', 'b/a\\b"c\nd'],
    ['"b/ä raw"', "b/ä raw"],
  ])("%s", (raw, path) => {
    expect(unquoteDiffPath(raw)).toBe(path);
  });
});
