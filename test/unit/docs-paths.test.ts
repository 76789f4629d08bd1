import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";

/** Every file under a folder, by base name. */
const filesUnder = (dir: string): Set<string> => {
  const out = new Set<string>();
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) if (e.isFile()) out.add(e.name);
  return out;
};

/** The `src/` part of the layout block in docs/architecture.md: each folder or file it names, and the .ts files mentioned for it. */
const layoutClaims = (): { entry: string; files: string[] }[] => {
  const doc = readFileSync("docs/architecture.md", "utf8");
  const block = /## The layout\s+```\n([\s\S]*?)```/.exec(doc)?.[1];
  if (block === undefined) throw new Error("no layout block in docs/architecture.md");
  const claims: { entry: string; files: string[] }[] = [];
  let inSrc = false;
  for (const line of block.split("\n")) {
    if (/^\S/.test(line)) {
      inSrc = line.startsWith("src/");
      continue;
    }
    if (!inSrc) continue;
    const head = /^ {2}(\S+)/.exec(line)?.[1];
    const files = [...line.matchAll(/\b([\w-]+\.ts)\b/g)].map((m) => m[1] ?? "");
    if (head !== undefined) claims.push({ entry: head, files: files.filter((f) => f !== head) });
    else claims.at(-1)?.files.push(...files);
  }
  return claims;
};

describe("docs/architecture.md describes files that exist", () => {
  it("names only folders and files that are in src/", () => {
    const claims = layoutClaims();
    const missing: string[] = [];
    for (const { entry, files } of claims) {
      const path = join("src", entry);
      if (!existsSync(path)) missing.push(path);
      else if (entry.endsWith("/")) for (const f of files) if (!filesUnder(path).has(f)) missing.push(join(path, f));
    }

    expect(claims.length).toBeGreaterThan(15);
    expect(missing).toEqual([]);
  });

  it("names in backticks only paths that exist (architecture doc and README)", () => {
    const missing: string[] = [];
    for (const doc of ["docs/architecture.md", "README.md"]) {
      for (const m of readFileSync(doc, "utf8").matchAll(/`((?:src|test|checks|docs|examples)\/[\w./-]+)`/g)) {
        const path = (m[1] ?? "").replace(/[.,]$/, "");
        if (!path.includes("<") && !existsSync(path)) missing.push(`${doc}: ${path}`);
      }
    }

    expect(missing).toEqual([]);
  });
});
