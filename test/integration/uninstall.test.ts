import { createJobQueue } from "../../src/jobs/queue.js";
import { silentLog } from "../../src/shared/logger.js";
import { LowdbSignalStore } from "../../src/store/lowdb-store.js";
import { uninstalledState } from "../../src/store/state.js";
import { appFor } from "../helpers/app.js";
import { examplePayload } from "../helpers/fixtures.js";
import { createTestProbot } from "../helpers/probot.js";
import { withTempDir } from "../helpers/signals.js";

describe("repositories removed from the installation", () => {
  it("are marked so the weekly jobs leave them alone (no API call on the way)", async () => {
    await withTempDir(async (dir) => {
      const store = await LowdbSignalStore.open({ dataDir: dir, fsync: false });
      try {
        const jobs = createJobQueue(silentLog);
        const probot = createTestProbot();
        await probot.load(appFor(store, jobs));
        const removed = examplePayload("installation_repositories", "removed");
        const names = (removed.repositories_removed as { full_name: string }[]).map((r) => r.full_name);
        expect(names.length).toBeGreaterThan(0);
        await probot.receive({ id: "rm-1", name: "installation_repositories", payload: removed as never });
        await jobs.idle();
        for (const name of names) expect(await store.getCursor(`state:${uninstalledState(name)}`)).toMatch(/"at":"/);
      } finally {
        await store.close();
      }
    });
  });
});
