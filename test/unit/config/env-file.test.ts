import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { EnvFileError, mergeEnv, readEnvironment } from "../../../src/config/env-file.js";
import { withTempDir } from "../../helpers/signals.js";

describe("mergeEnv", () => {
  it("lets .env win over the environment, as Probot's run() does", () => {
    const merged = mergeEnv({ APP_ID: "1", PORT: "4000" }, { APP_ID: "2" });

    expect(merged.env).toEqual({ APP_ID: "2", PORT: "4000" });
    expect([...merged.fromFile]).toEqual(["APP_ID"]);
  });

  it("counts empty values as unset on both sides: an empty line in .env keeps the exported value", () => {
    const merged = mergeEnv({ APP_SLUG: "exported", WEBHOOK_SECRET: "" }, { APP_SLUG: "", DATA_DIR: "" });

    expect(merged.env).toEqual({ APP_SLUG: "exported" });
    expect(merged.fromFile.size).toBe(0);
  });
});

describe("a quoted PRIVATE_KEY (docker run --env-file passes the setup page's line literally)", () => {
  it("loses one pair of quotes and gets real newlines; other values and unquoted keys are left alone", () => {
    const literal = '"-----BEGIN RSA PRIVATE KEY-----\\nabc\\n-----END RSA PRIVATE KEY-----\\n"';

    const { env } = mergeEnv({ PRIVATE_KEY: literal, OTHER: '"quoted"' }, {});

    expect(env.PRIVATE_KEY).toBe("-----BEGIN RSA PRIVATE KEY-----\nabc\n-----END RSA PRIVATE KEY-----\n");
    expect(env.OTHER).toBe('"quoted"');
    expect(mergeEnv({ PRIVATE_KEY: "-----BEGIN X-----\nk\n-----END X-----" }, {}).env.PRIVATE_KEY).toBe("-----BEGIN X-----\nk\n-----END X-----");
  });
});

describe("readEnvironment", () => {
  it("reads .env from the given folder, multi-line keys included (as Probot's setup page writes them)", async () => {
    await withTempDir(async (dir) => {
      await writeFile(join(dir, ".env"), 'APP_ID=123\nPRIVATE_KEY="-----BEGIN RSA PRIVATE KEY-----\\nabc\\n-----END RSA PRIVATE KEY-----\\n"\nWEBHOOK_SECRET=s\n');

      const { env, file } = readEnvironment({ PATH: "/bin" }, dir);

      expect(file).toBe(join(dir, ".env"));
      expect(env).toMatchObject({ APP_ID: "123", WEBHOOK_SECRET: "s", PATH: "/bin" });
      expect(env.PRIVATE_KEY?.split("\n")).toHaveLength(4);
    });
  });

  it("is the environment alone when there is no .env", async () => {
    const environment = await withTempDir((dir) => Promise.resolve(readEnvironment({ APP_ID: "7" }, dir)));

    expect(environment).toEqual({ env: { APP_ID: "7" }, file: null, fromFile: new Set() });
  });

  it("names a .env it cannot read instead of running without it", async () => {
    await withTempDir(async (dir) => {
      await mkdir(join(dir, ".env")); // unreadable as a file, for root too

      expect(() => readEnvironment({}, dir)).toThrow(EnvFileError);
      expect(() => readEnvironment({}, dir)).toThrow(/cannot read .*\.env/);
    });
  });
});
