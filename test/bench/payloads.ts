import { createHmac, randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { EVENT_MAPPERS, mapReviewCommentEvent, type MapperEnv, type RecordedEvent } from "../../src/ingest/to-signal.js";
import { createActorClassifier } from "../../src/signals/actor.js";
import type { ReviewCommentSignal } from "../../src/signals/signal.js";
import { examplePayload, repoIdOf, type CrcComment } from "../helpers/fixtures.js";

/**
 * Real-shaped webhook payloads for the ingest benchmark: GitHub's documented
 * examples (@octokit/webhooks-examples) carrying real review-comment text
 * (crc-py), with unique object ids so every delivery creates or changes a
 * signal. Built with shallow copies of one template per event, not
 * structuredClone, so the generator can build tens of thousands cheaply.
 */

const FULL_CRC = "/work/shared/data/crc-py/review-comments.json";
const SAMPLE_CRC = "test/fixtures/crc-py/review-comments-sample.json";

/** The full crc-py export where it exists, else the 95-comment sample checked into the repo. */
export const loadComments = (root: string): { comments: CrcComment[]; source: string } => {
  const override = process.env.BENCH_CRC_PATH;
  const source = override ?? (existsSync(FULL_CRC) ? FULL_CRC : join(root, SAMPLE_CRC));
  const comments = JSON.parse(readFileSync(source, "utf8")) as CrcComment[];
  if (comments.length === 0) throw new Error(`no review comments in ${source}`);
  return { comments, source };
};

/** Deterministic PRNG (mulberry32), so runs are comparable. */
export const prng = (seed: number): (() => number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

type Json = Record<string, unknown>;

const obj = (value: unknown, what: string): Json => {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error(`${what} is not an object`);
  return value as Json;
};

/** Where a real comment lives: repository and pull request, from its html_url. */
interface Place {
  real: CrcComment;
  owner: string;
  name: string;
  fullName: string;
  repoId: number;
  pull: number;
  prUrl: string;
}

const placeOf = (real: CrcComment): Place => {
  const m = /^https:\/\/github\.com\/([^/]+)\/([^/]+)\/pull\/(\d+)/.exec(real.html_url);
  if (m?.[1] === undefined || m[2] === undefined || m[3] === undefined) throw new Error(`unexpected html_url ${real.html_url}`);
  const fullName = `${m[1]}/${m[2]}`;
  return {
    real,
    owner: m[1],
    name: m[2],
    fullName,
    repoId: repoIdOf(fullName),
    pull: Number(m[3]),
    prUrl: `https://github.com/${fullName}/pull/${m[3]}`,
  };
};

interface Templates {
  commentCreated: Json;
  commentEdited: Json;
  reviewSubmitted: Json;
  threadResolved: Json;
  prSynchronize: Json;
}

const loadTemplates = (): Templates => ({
  commentCreated: examplePayload("pull_request_review_comment", "created"),
  commentEdited: examplePayload("pull_request_review_comment", "edited"),
  reviewSubmitted: examplePayload("pull_request_review", "submitted"),
  threadResolved: examplePayload("pull_request_review_thread", "resolved"),
  prSynchronize: examplePayload("pull_request", "synchronize"),
});

/** Comment ids of the pre-loaded signals: PRELOAD_ID_BASE + 0 … count-1. */
export const PRELOAD_ID_BASE = 3_000_000_000;
const LOAD_COMMENT_ID_BASE = 4_000_000_000;
const LOAD_REVIEW_ID_BASE = 5_000_000_000;
const DAY_MS = 86_400_000;

export const benchClassifier = createActorClassifier({ self: { appId: null, appSlug: null } });

export interface Delivery {
  id: string;
  event: RecordedEvent;
  /** What the mix chose, e.g. "review_comment.created". */
  kind: string;
  body: Buffer;
  signature: string;
}

export const sign = (secret: string, body: Buffer): string =>
  `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;

export class PayloadFactory {
  readonly #places: Place[];
  readonly #t: Templates;

  constructor(comments: readonly CrcComment[]) {
    this.#places = comments.map(placeOf);
    this.#t = loadTemplates();
  }

  get size(): number {
    return this.#places.length;
  }

  place(n: number): Place {
    const p = this.#places[n % this.#places.length];
    if (p === undefined) throw new Error("no comments");
    return p;
  }

  #common(tpl: Json, p: Place): Json {
    const repository = obj(tpl.repository, "repository");
    return {
      repository: {
        ...repository,
        id: p.repoId,
        name: p.name,
        full_name: p.fullName,
        html_url: `https://github.com/${p.fullName}`,
        owner: { ...obj(repository.owner, "repository.owner"), login: p.owner },
      },
      // Deliveries to a GitHub App always name the installation.
      installation: { id: repoIdOf(p.owner) % 100_000_000, node_id: `MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9u${p.owner}` },
    };
  }

  reviewComment(action: "created" | "edited", p: Place, id: number, body: string, updatedAt: string, previousBody?: string): Json {
    const tpl = action === "created" ? this.#t.commentCreated : this.#t.commentEdited;
    const c = obj(tpl.comment, "comment");
    const real = p.real;
    return {
      ...tpl,
      ...this.#common(tpl, p),
      ...(action === "edited" ? { changes: { body: { from: previousBody ?? "" } } } : {}),
      pull_request: { ...obj(tpl.pull_request, "pull_request"), number: p.pull, html_url: p.prUrl },
      comment: {
        ...c,
        id,
        node_id: `PRRC_bench${String(id)}`,
        pull_request_review_id: real.id,
        body,
        diff_hunk: real.diff_hunk,
        path: real.path,
        line: real.line,
        original_line: real.original_line,
        user: { ...obj(c.user, "comment.user"), ...real.user },
        html_url: `${p.prUrl}#discussion_r${String(id)}`,
        created_at: real.created_at,
        updated_at: updatedAt,
        author_association: real.author_association,
      },
    };
  }

  review(p: Place, id: number, state: string, body: string, submittedAt: string): Json {
    const tpl = this.#t.reviewSubmitted;
    const r = obj(tpl.review, "review");
    return {
      ...tpl,
      ...this.#common(tpl, p),
      pull_request: { ...obj(tpl.pull_request, "pull_request"), number: p.pull, html_url: p.prUrl },
      review: {
        ...r,
        id,
        node_id: `PRR_bench${String(id)}`,
        user: { ...obj(r.user, "review.user"), ...p.real.user },
        body,
        state,
        submitted_at: submittedAt,
        html_url: `${p.prUrl}#pullrequestreview-${String(id)}`,
        author_association: p.real.author_association,
      },
    };
  }

  thread(p: Place, nodeId: string, comments: readonly { id: number; place: Place }[]): Json {
    const tpl = this.#t.threadResolved;
    const thread = obj(tpl.thread, "thread");
    const first = obj((thread.comments as unknown[])[0], "thread.comments[0]");
    return {
      ...tpl,
      ...this.#common(tpl, p),
      pull_request: { ...obj(tpl.pull_request, "pull_request"), number: p.pull, html_url: p.prUrl },
      thread: {
        ...thread,
        node_id: nodeId,
        comments: comments.map(({ id, place }) => ({
          ...first,
          id,
          node_id: `PRRC_bench${String(id)}`,
          body: place.real.body,
          diff_hunk: place.real.diff_hunk,
          path: place.real.path,
          line: place.real.line,
          original_line: place.real.original_line,
          html_url: `${p.prUrl}#discussion_r${String(id)}`,
        })),
      },
    };
  }

  synchronize(p: Place, before: string, after: string, updatedAt: string): Json {
    const tpl = this.#t.prSynchronize;
    const pr = obj(tpl.pull_request, "pull_request");
    return {
      ...tpl,
      ...this.#common(tpl, p),
      number: p.pull,
      before,
      after,
      pull_request: {
        ...pr,
        id: p.repoId * 100_000 + p.pull,
        node_id: `PR_bench${p.fullName}#${String(p.pull)}`,
        number: p.pull,
        html_url: p.prUrl,
        head: { ...obj(pr.head, "pull_request.head"), sha: after },
        updated_at: updatedAt,
      },
    };
  }

  /** Pre-loaded signal n: a real comment (cycled) with a unique id, mapped by the real mapper. */
  preloadSignal(n: number, deliveryId: string, receivedAt: string): ReviewCommentSignal {
    const p = this.place(n);
    const payload = this.reviewComment("created", p, PRELOAD_ID_BASE + n, p.real.body, p.real.updated_at);
    const result = mapReviewCommentEvent(payload, { deliveryId, receivedAt, classifier: benchClassifier });
    const op = result.status === "ops" ? result.ops[0] : undefined;
    if (op?.op !== "upsert" || op.signal.kind !== "review_comment") {
      throw new Error(`pre-load signal ${String(n)} did not map: ${result.status === "ops" ? "no upsert" : result.reason}`);
    }
    return op.signal;
  }
}

const hex40 = (next: () => number): string => {
  let s = "";
  while (s.length < 40) s += Math.floor(next() * 0x1_0000_0000).toString(16).padStart(8, "0");
  return s;
};

/**
 * The delivery mix: ~60% review comments (3/4 created with a real body, 1/4
 * edits of an earlier comment), ~20% reviews submitted, ~10% threads
 * resolved, ~10% pull_request.synchronize. Every delivery has a fresh id and
 * is checked against the real mapper before it is sent, so a 200 from the
 * app always means "stored" (never "ignored" or "invalid").
 */
export class LoadMix {
  readonly #f: PayloadFactory;
  readonly #secret: string;
  readonly #preloaded: number;
  readonly #next: () => number;
  readonly #heads = new Map<number, string>();
  #comments = 0;
  #reviews = 0;
  #threads = 0;
  #edits = 0;
  #clock = Date.parse("2026-11-22T00:00:00.000Z");

  readonly #validate: boolean;

  /** `validate`: run every payload through the real mapper first (needed where 200 must mean "stored"). */
  constructor(factory: PayloadFactory, secret: string, preloaded: number, seed: number, validate: boolean) {
    this.#f = factory;
    this.#secret = secret;
    this.#preloaded = preloaded;
    this.#next = prng(seed);
    this.#validate = validate;
  }

  #pick(n: number): number {
    return Math.floor(this.#next() * n);
  }

  #now(): string {
    this.#clock += 1000;
    return new Date(this.#clock).toISOString();
  }

  next(): Delivery {
    const r = this.#next();
    let event: RecordedEvent;
    let kind: string;
    let payload: Json;
    if (r < 0.45) {
      const n = this.#comments++;
      const p = this.#f.place(this.#pick(this.#f.size));
      event = "pull_request_review_comment";
      kind = "review_comment.created";
      payload = this.#f.reviewComment("created", p, LOAD_COMMENT_ID_BASE + n, p.real.body, this.#now());
    } else if (r < 0.6) {
      // Edit a pre-loaded comment: same id, its real text plus a real follow-up.
      const k = this.#pick(this.#preloaded);
      const p = this.#f.place(k);
      const extra = this.#f.place(this.#pick(this.#f.size)).real.body;
      const edit = ++this.#edits;
      event = "pull_request_review_comment";
      kind = "review_comment.edited";
      const updatedAt = new Date(Date.parse(p.real.updated_at) + DAY_MS + edit * 1000).toISOString();
      payload = this.#f.reviewComment("edited", p, PRELOAD_ID_BASE + k, `${p.real.body}\n\nEdit: ${extra}`, updatedAt, p.real.body);
    } else if (r < 0.8) {
      const n = this.#reviews++;
      const p = this.#f.place(this.#pick(this.#f.size));
      const states = ["approved", "changes_requested", "commented"] as const;
      event = "pull_request_review";
      kind = "review.submitted";
      payload = this.#f.review(p, LOAD_REVIEW_ID_BASE + n, states[n % 3] ?? "commented", p.real.body, this.#now());
    } else if (r < 0.9) {
      const n = this.#threads++;
      const k = this.#pick(this.#preloaded);
      const p = this.#f.place(k);
      const comments = [{ id: PRELOAD_ID_BASE + k, place: p }];
      const k2 = (k + 1) % this.#preloaded;
      if (this.#next() < 0.4) comments.push({ id: PRELOAD_ID_BASE + k2, place: this.#f.place(k2) });
      event = "pull_request_review_thread";
      kind = "review_thread.resolved";
      payload = this.#f.thread(p, `PRRT_bench${String(n)}`, comments);
    } else {
      const i = this.#pick(this.#f.size);
      const p = this.#f.place(i);
      const before = this.#heads.get(i) ?? hex40(this.#next);
      const after = hex40(this.#next);
      this.#heads.set(i, after);
      event = "pull_request";
      kind = "pull_request.synchronize";
      payload = this.#f.synchronize(p, before, after, this.#now());
    }
    const id = randomUUID();
    if (this.#validate) {
      const env: MapperEnv = { deliveryId: id, receivedAt: new Date().toISOString(), classifier: benchClassifier };
      const mapped = EVENT_MAPPERS[event](payload, env);
      if (mapped.status !== "ops") throw new Error(`generated ${kind} would not be stored: ${mapped.reason}`);
    }
    const body = Buffer.from(JSON.stringify(payload), "utf8");
    return { id, event, kind, body, signature: sign(this.#secret, body) };
  }
}
