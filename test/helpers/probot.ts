import { generateKeyPairSync } from "node:crypto";
import { Writable } from "node:stream";
import { pino } from "pino";
import { Probot, ProbotOctokit, type Logger } from "probot";

let cachedKey: string | null = null;

/** A real RSA key, generated once per test file: Probot signs app JWTs with it. */
export const testPrivateKey = (): string => {
  cachedKey ??= generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  }).privateKey;
  return cachedKey;
};

export const TEST_APP_ID = 4242;
export const WEBHOOK_SECRET = "test-secret";

export interface CapturedLog {
  logger: Logger;
  lines: () => Record<string, unknown>[];
  text: () => string;
}

/** A real pino logger whose JSON lines the test can read. */
export const captureLog = (): CapturedLog => {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk.toString("utf8"));
      cb();
    },
  });
  const logger = pino({ level: "debug" }, stream);
  const text = (): string => chunks.join("");
  return {
    logger,
    text,
    lines: () =>
      text()
        .split("\n")
        .filter((l) => l.length > 0)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
};

/** A real Probot instance with retries and throttling off (see STACK-NOTES). */
export const createTestProbot = (log: Logger = captureLog().logger): Probot =>
  new Probot({
    appId: TEST_APP_ID,
    privateKey: testPrivateKey(),
    secret: WEBHOOK_SECRET,
    log,
    Octokit: ProbotOctokit.defaults({ retry: { enabled: false }, throttle: { enabled: false } }),
  });
