import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { chooseCredentials } from "../../../src/cli/client.js";
import { SetupError } from "../../../src/cli/errors.js";
import { withTempDir } from "../../helpers/signals.js";

const KEY = "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n";

const choose = async (env: Record<string, string | undefined>): Promise<{ chosen: Awaited<ReturnType<typeof chooseCredentials>>; notes: string[] }> => {
  const notes: string[] = [];
  const chosen = await chooseCredentials(env, (line) => notes.push(line));
  return { chosen, notes };
};

describe("the CLI's choice of GitHub credentials", () => {
  it("uses the app's own credentials when APP_ID and PRIVATE_KEY are both set, over a token", async () => {
    const { chosen, notes } = await choose({ APP_ID: "4242", PRIVATE_KEY: KEY, GITHUB_TOKEN: "ghs_token" });

    expect(chosen).toEqual({ kind: "app", appId: 4242, privateKey: KEY });
    expect(notes).toEqual([]);
  });

  it("reads the key from PRIVATE_KEY_PATH", async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, "key.pem");
      await writeFile(path, KEY);

      const { chosen } = await choose({ APP_ID: "4242", PRIVATE_KEY_PATH: path });

      expect(chosen).toEqual({ kind: "app", appId: 4242, privateKey: KEY });
    });
  });

  it.each([
    ["empty", { APP_ID: "", PRIVATE_KEY: "", PRIVATE_KEY_PATH: "", GITHUB_TOKEN: "ghs_token" }],
    ["blank", { APP_ID: " ", PRIVATE_KEY: "\n", GITHUB_TOKEN: "ghs_token" }],
    ["unset", { GITHUB_TOKEN: "ghs_token" }],
  ])("treats %s app variables as unset and uses GITHUB_TOKEN (the Actions example without app secrets)", async (_, env) => {
    const { chosen, notes } = await choose(env);

    expect(chosen).toEqual({ kind: "token", token: "ghs_token" });
    expect(notes).toEqual([]);
  });

  it("says so when half of the app's credentials are set and the token is used instead", async () => {
    const { chosen, notes } = await choose({ APP_ID: "4242", PRIVATE_KEY: "", GITHUB_TOKEN: "ghs_token" });

    expect(chosen).toEqual({ kind: "token", token: "ghs_token" });
    expect(notes).toEqual(["APP_ID is set without PRIVATE_KEY or PRIVATE_KEY_PATH: using GITHUB_TOKEN"]);
  });

  it("accepts GH_TOKEN, as gh does, when GITHUB_TOKEN is empty", async () => {
    const { chosen } = await choose({ GITHUB_TOKEN: "", GH_TOKEN: "gho_token" });

    expect(chosen).toEqual({ kind: "token", token: "gho_token" });
  });

  it.each([
    [{}, "needs GitHub credentials: set GITHUB_TOKEN, or APP_ID with PRIVATE_KEY or PRIVATE_KEY_PATH"],
    [{ APP_ID: "", PRIVATE_KEY: "", GITHUB_TOKEN: "" }, "needs GitHub credentials: set GITHUB_TOKEN, or APP_ID with PRIVATE_KEY or PRIVATE_KEY_PATH"],
    [{ APP_ID: "4242" }, "APP_ID is set without PRIVATE_KEY or PRIVATE_KEY_PATH: set the missing one, or GITHUB_TOKEN"],
    [{ PRIVATE_KEY: KEY }, "PRIVATE_KEY or PRIVATE_KEY_PATH is set without APP_ID: set the missing one, or GITHUB_TOKEN"],
    [{ APP_ID: "my-app", PRIVATE_KEY: KEY }, "APP_ID must be the app's numeric id: my-app"],
  ])("refuses %j with a SetupError naming the variables", async (env, message) => {
    const chosen = choose(env);

    await expect(chosen).rejects.toThrow(SetupError);
    await expect(chosen).rejects.toThrow(message);
  });
});
