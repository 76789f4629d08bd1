import { createHmac } from "node:crypto";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createNodeMiddleware, type Probot } from "probot";
import { createApp } from "../../src/app.js";
import { createJobQueue, type JobQueue } from "../../src/jobs/queue.js";
import { silentLog } from "../../src/shared/logger.js";
import type { SignalStore } from "../../src/store/store.js";
import { FROZEN_NOW, testClassifier } from "./env.js";
import { WEBHOOK_SECRET } from "./probot.js";

/** The login the test app writes as. */
export const SELF_LOGIN = "review-reviewer[bot]";

export const appFor = (store: SignalStore, jobs: JobQueue = createJobQueue(silentLog), clock: () => Date = () => new Date(FROZEN_NOW)): ((app: Probot) => void) =>
  createApp({ store, classifier: testClassifier, clock, jobs, selfLogin: SELF_LOGIN, appId: 4242 });

export const sign = (body: string, secret = WEBHOOK_SECRET): string =>
  `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;

export interface HttpApp {
  url: string;
  close: () => Promise<void>;
}

/** The real Probot webhook middleware (signature verification included) on a loopback port. */
export const serveApp = async (probot: Probot, store: SignalStore): Promise<HttpApp> => {
  const middleware = await createNodeMiddleware(appFor(store), { probot });
  const server: Server = createServer((req, res) => {
    void middleware(req, res, () => {
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${String(port)}/api/github/webhooks`,
    close: () => new Promise((resolve, reject) => server.close((e) => {
      if (e) reject(e);
      else resolve();
    })),
  };
};

export interface PostResult {
  status: number;
  body: string;
}

export const postDelivery = (
  url: string,
  delivery: { id: string; name: string; body: string; signature?: string },
): Promise<PostResult> =>
  new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-github-event": delivery.name,
          "x-github-delivery": delivery.id,
          "x-hub-signature-256": delivery.signature ?? sign(delivery.body),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => { resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }); });
      },
    );
    req.on("error", reject);
    req.end(delivery.body);
  });
