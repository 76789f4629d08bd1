import { parseArgs } from "node:util";
import { InputError } from "../analyze/input.js";
import { renderSummaryTable } from "../analyze/report.js";
import { runAnalyze } from "../analyze/run.js";
import type { LearnStage } from "../learn/learn.js";
import { cliSettings } from "./commands.js";
import type { CliIo } from "./main.js";

/** Inputs at least this large get a progress bar (on a terminal). */
const PROGRESS_MIN = 5000;

const bar = (stage: LearnStage, done: number, total: number, width = 24): string => {
  const filled = total === 0 ? width : Math.round((Math.min(done, total) / total) * width);
  return `\r${stage.padEnd(9)} [${"#".repeat(filled).padEnd(width, ".")}] ${String(done)}/${String(total)}`;
};

export const analyzeCommand = async (args: string[], io: CliIo): Promise<number> => {
  let values: { input?: string | undefined; out?: string | undefined; config?: string | undefined; pulls?: string | undefined; "repo-dir"?: string | undefined; "data-dir"?: string | undefined };
  try {
    ({ values } = parseArgs({
      args,
      options: { input: { type: "string" }, out: { type: "string" }, config: { type: "string" }, pulls: { type: "string" }, "repo-dir": { type: "string" }, "data-dir": { type: "string" } },
      strict: true,
    }));
  } catch (e) {
    io.err(`${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
  if (values.input === undefined) {
    io.err("analyze needs --input FILE (a `gh api --paginate repos/OWNER/REPO/pulls/comments` export)\n");
    return 2;
  }
  const settings = cliSettings(io, values["data-dir"]);
  let lastDraw = 0;
  const drawn = { any: false };
  const onProgress =
    io.isTty === true
      ? (stage: LearnStage, done: number, total: number): void => {
          if (total < PROGRESS_MIN) return;
          const now = Date.now();
          if (done < total && now - lastDraw < 100) return;
          lastDraw = now;
          drawn.any = true;
          io.err(bar(stage, done, total));
        }
      : undefined;
  try {
    const outcome = await runAnalyze({
      input: values.input,
      out: values.out ?? null,
      config: values.config ?? null,
      pulls: values.pulls ?? null,
      repoDir: values["repo-dir"] ?? null,
      env: io.env,
      dataDir: settings.dataDir,
      log: (line) => {
        io.err(`${line}\n`);
      },
      ...(onProgress === undefined ? {} : { onProgress }),
    });
    if (drawn.any) io.err("\n");
    io.out(renderSummaryTable(outcome.result));
    for (const path of outcome.written) io.out(`wrote ${path}\n`);
    return 0;
  } catch (e) {
    if (drawn.any) io.err("\n");
    if (e instanceof InputError) {
      io.err(`analyze: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
};
