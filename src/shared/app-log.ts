import { getTransformStream } from "@probot/pino";
import { pino, type Logger } from "pino";

/**
 * The app's logger: Probot's (pino, pretty in development, JSON in
 * production), built here so that errors are logged safely.
 *
 *  - An error is logged by name, message, status, code and stack, plus the
 *    delivery id and event name when it carries a webhook event: never the
 *    event's payload or a request's headers. (@octokit/webhooks attaches the
 *    whole delivery to its errors, and pino would print every field.)
 *  - A delivery with a bad signature is a warning, logged once with the
 *    delivery id, the event and the reason. (Probot's error handler and the
 *    webhook middleware would both log it at error level, payload included.)
 */
export interface LogOptions {
  /** Values never to print (the webhook secret, keys, the proxy channel URL): replaced in any logged text. */
  redact?: string[];
  level: string;
  format: "json" | "pretty";
  levelInString: boolean;
  messageKey: string;
  sentryDsn: string | undefined;
}

/** Probot's own reading of the log variables (bin/read-env-options.js). */
export const logOptionsFromEnv = (env: Record<string, string | undefined>): LogOptions => ({
  redact: [env.WEBHOOK_PROXY_URL, env.WEBHOOK_SECRET, env.ANTHROPIC_API_KEY, env.GITHUB_CLIENT_SECRET, env.GITHUB_TOKEN].filter((v): v is string => v !== undefined && v !== ""),
  level: env.LOG_LEVEL ?? "info",
  format: env.LOG_FORMAT === undefined || env.LOG_FORMAT === "" ? (env.NODE_ENV === "production" ? "json" : "pretty") : env.LOG_FORMAT === "pretty" ? "pretty" : "json",
  levelInString: env.LOG_LEVEL_IN_STRING === "true",
  messageKey: env.LOG_MESSAGE_KEY ?? "msg",
  sentryDsn: env.SENTRY_DSN,
});

interface WebhookEventRef {
  id?: unknown;
  name?: unknown;
}

const eventOf = (e: Error): WebhookEventRef | undefined => {
  const event = (e as { event?: unknown }).event;
  return typeof event === "object" && event !== null ? (event) : undefined;
};

/** An error as a log field: what it is and which delivery, never the payload. */
export const safeError = (e: unknown): Record<string, unknown> => {
  if (!(e instanceof Error)) return { message: String(e) };
  const out: Record<string, unknown> = { type: e.name, message: e.message };
  const { status, code } = e as { status?: unknown; code?: unknown };
  if (typeof status === "number") out.status = status;
  if (typeof code === "string" || typeof code === "number") out.code = code;
  const event = eventOf(e);
  if (event !== undefined) {
    if (typeof event.id === "string") out.delivery = event.id;
    if (typeof event.name === "string") out.event = event.name;
  }
  if (e instanceof AggregateError) out.errors = (e.errors as unknown[]).map(safeError);
  else if (e.stack !== undefined && !isSignatureFailure(e)) out.stack = e.stack;
  return out;
};

const SIGNATURE_MESSAGE = "signature does not match";

const isSignatureFailure = (e: unknown): boolean => e instanceof Error && e.message.includes(SIGNATURE_MESSAGE);

/** A smee channel URL is a capability: its path never reaches a log. */
const redactionOf = (value: string): string => {
  try {
    const url = new URL(value);
    if (url.pathname.length > 1) return `${url.origin}/[redacted]`;
  } catch {
    // not a URL
  }
  return "[redacted]";
};

/**
 * The one warning per rejected delivery (the middleware's AggregateError copy
 * of the same failure is dropped), and the redaction of known secrets from
 * every logged string (Probot's smee client, for one, logs the channel URL).
 */
const logMethodFor = (redact: string[]) => function (this: Logger, args: Parameters<Logger["info"]>, method: (...a: unknown[]) => void): void {
  const secrets = redact.filter((v) => v.length >= 8);
  if (secrets.length > 0) {
    args = (args as unknown[]).map((a) => (typeof a === "string" ? secrets.reduce((text, v) => text.split(v).join(redactionOf(v)), a) : a)) as Parameters<Logger["info"]>;
  }
  const [first] = args as unknown[];
  if (first instanceof Error && isSignatureFailure(first)) {
    if (first instanceof AggregateError) return;
    const event = eventOf(first);
    this.warn(
      { delivery: typeof event?.id === "string" ? event.id : null, event: typeof event?.name === "string" ? event.name : null, reason: "signature does not match" },
      "webhook delivery rejected (HTTP 400): its signature does not match WEBHOOK_SECRET; if GitHub sent it, set the app's webhook secret to the same value",
    );
    return;
  }
  method.apply(this, args);
};

/** A pino logger like Probot's, with the safe error serializer and the signature hook. */
export const createAppLog = async (options: LogOptions): Promise<Logger> => {
  const transform = await getTransformStream({ logFormat: options.format, logLevelInString: options.levelInString, sentryDsn: options.sentryDsn });
  // As Probot's getLog does; SonicBoom is a writable stream that pino's types do not declare as one.
  transform.pipe(pino.destination(1) as unknown as NodeJS.WritableStream);
  return pino(
    {
      level: options.level,
      name: "probot",
      messageKey: options.messageKey,
      serializers: { err: safeError, error: safeError },
      hooks: { logMethod: logMethodFor(options.redact ?? []) },
    },
    transform,
  );
};
