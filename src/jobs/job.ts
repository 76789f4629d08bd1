import type { OctokitLike } from "../github/api.js";

/**
 * A scheduled job over one repository (the plug-in interface for jobs): the
 * weekly tick runs every registered job for every repository whose schedule
 * for that job came due. A job reads its repository's config itself and
 * says which schedule the next run should follow (null: keep the last one).
 */
export interface RepoJob<D> {
  /** Stable: names the job's state ("when did it last run") and its logs. */
  name: string;
  run(deps: D, octokit: OctokitLike, target: { owner: string; repo: string; dryRun: boolean }): Promise<{ status: string; schedule: string | null }>;
}
