import { enableRuffCodes } from "../../../src/propose/edit/ruff-config.js";

const edit = (file: "ruff.toml" | ".ruff.toml" | "pyproject.toml", text: string, codes: string[]): string => {
  const r = enableRuffCodes(file, text, codes);
  if (!r.ok) throw new Error(r.reason);
  return r.text;
};

describe("enableRuffCodes", () => {
  it("appends to a one-line extend-select and keeps everything else byte for byte", () => {
    const before = '# our ruff setup\nline-length = 100\n\n[lint]\nextend-select = ["E", "W"]  # style\nignore = ["E501"]\n';
    expect(edit("ruff.toml", before, ["ANN001", "F401"])).toBe(
      '# our ruff setup\nline-length = 100\n\n[lint]\nextend-select = ["E", "W", "ANN001", "F401"]  # style\nignore = ["E501"]\n',
    );
  });

  it("adds one entry per line to a multi-line list, in its indentation, fixing a missing trailing comma", () => {
    const before = '[tool.ruff.lint]\nextend-select = [\n  "B",  # bugbear\n  "UP"\n]\n\n[tool.black]\nline-length = 88\n';
    expect(edit("pyproject.toml", before, ["ANN001"])).toBe('[tool.ruff.lint]\nextend-select = [\n  "B",  # bugbear\n  "UP",\n  "ANN001",\n]\n\n[tool.black]\nline-length = 88\n');
  });

  it("changes nothing when the codes are already selected, directly, by prefix or by ALL", () => {
    for (const text of ['[lint]\nselect = ["ANN"]\n', '[lint]\nextend-select = ["ANN001"]\n', '[lint]\nselect = ["ALL"]\n']) {
      expect(enableRuffCodes("ruff.toml", text, ["ANN001"])).toEqual({ ok: true, changed: false, text, added: [] });
    }
  });

  it("reads selectors by linter: A (builtins) does not cover ANN001, ANN0 does", () => {
    expect(edit("ruff.toml", '[lint]\nselect = ["A"]\n', ["ANN001"])).toBe('[lint]\nextend-select = ["ANN001"]\nselect = ["A"]\n');
    expect(enableRuffCodes("ruff.toml", '[lint]\nselect = ["ANN0"]\n', ["ANN001"])).toMatchObject({ ok: true, changed: false });
  });

  it("is idempotent: a second edit adds nothing", () => {
    const once = edit("pyproject.toml", '[tool.ruff]\nline-length = 100\n', ["D103"]);
    expect(once).toBe('[tool.ruff]\nline-length = 100\n\n[tool.ruff.lint]\nextend-select = ["D103"]\n');
    expect(enableRuffCodes("pyproject.toml", once, ["D103"])).toMatchObject({ ok: true, changed: false });
  });

  it("adds extend-select under an existing lint table that only has select, and reads the legacy top-level layout", () => {
    expect(edit(".ruff.toml", '[lint]\nselect = ["E", "F"]\n', ["ANN001"])).toBe('[lint]\nextend-select = ["ANN001"]\nselect = ["E", "F"]\n');
    expect(edit("pyproject.toml", '[tool.ruff]\nextend-select = ["I"]\n', ["F401"])).toBe('[tool.ruff]\nextend-select = ["I", "F401"]\n');
    expect(edit("ruff.toml", 'extend-select = []\n', ["F401"])).toBe('extend-select = ["F401"]\n');
  });

  it("keeps CRLF line endings", () => {
    expect(edit("ruff.toml", '[lint]\r\nextend-select = ["E"]\r\n', ["F401"])).toBe('[lint]\r\nextend-select = ["E", "F401"]\r\n');
  });

  it("refuses what it cannot edit safely, so the proposal falls back to a guideline", () => {
    expect(enableRuffCodes("pyproject.toml", "[project]\nname = 'x'\n", ["F401"])).toEqual({ ok: false, reason: expect.stringContaining("no [tool.ruff] table") as unknown });
    expect(enableRuffCodes("ruff.toml", "[lint]\nextend-select = SOME_VAR\n", ["F401"])).toMatchObject({ ok: false });
    expect(enableRuffCodes("ruff.toml", '[lint]\nextend-select = ["E", "F"\n', ["F401"])).toMatchObject({ ok: false });
    expect(enableRuffCodes("ruff.toml", '[lint]\nextend-select = ["E", {x = 1}]\n', ["F401"])).toMatchObject({ ok: false });
  });
});
