import fs from "node:fs";
import type { ClientRequest } from "node:http";
import { createRequire } from "node:module";
import type nock from "nock";

/**
 * Checks the GitHub requests our nock-mocked tests make against GitHub's
 * published OpenAPI description (@octokit/openapi, api.github.com.json):
 * the path and method exist, query parameters are declared, and a JSON
 * body has the operation's required top-level fields and no undeclared
 * ones. Only top-level names are checked, not value types or nesting.
 *
 * The spec is 13 MB (the .deref.json variant is 73 MB and takes ~4x longer
 * to read and parse, ~190 MB of heap against ~40 MB), so we read the
 * $ref form, reduce it to a small index and resolve $refs while indexing.
 */

// ---------- the raw spec, as much of it as we read ----------

interface RawSchema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, unknown>;
  required?: string[];
  additionalProperties?: boolean | object;
  oneOf?: RawSchema[];
  anyOf?: RawSchema[];
  allOf?: RawSchema[];
}

interface RawParameter {
  $ref?: string;
  name?: string;
  in?: string;
  schema?: RawSchema;
  "x-multi-segment"?: boolean;
}

interface RawRequestBody {
  $ref?: string;
  required?: boolean;
  content?: Record<string, { schema?: RawSchema }>;
}

interface RawOperation {
  parameters?: RawParameter[];
  requestBody?: RawRequestBody;
}

interface RawSpec {
  paths: Record<string, Record<string, RawOperation | undefined>>;
  components: Record<string, Record<string, unknown> | undefined>;
}

// ---------- the index ----------

type Segment = { kind: "literal"; text: string } | { kind: "param"; name: string; integer: boolean; multi: boolean };

/** One way a body may look, reduced to its top level. */
type Variant =
  /** `properties: null`: any key (a map, or an object schema that lists none). */
  | { kind: "object"; properties: string[] | null; required: string[] }
  /** A non-object body (an array, a string); `types: null` accepts anything. */
  | { kind: "other"; types: string[] | null };

interface Operation {
  query: string[];
  /** null: the operation takes no body. */
  body: { required: boolean; contentTypes: string[]; json: Variant[] | null } | null;
}

interface Template {
  template: string;
  segments: Segment[];
  operations: Map<string, Operation>;
}

interface OpenApiIndex {
  templates: Template[];
  /** Milliseconds spent reading, parsing and indexing the spec. */
  loadMs: number;
}

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

const resolve = <T extends { $ref?: string }>(spec: RawSpec, value: T): T => {
  let current = value;
  for (let hops = 0; current.$ref !== undefined; hops++) {
    const match = /^#\/components\/([^/]+)\/([^/]+)$/.exec(current.$ref);
    const target = match === null ? undefined : spec.components[match[1] ?? ""]?.[match[2] ?? ""];
    if (target === undefined || hops > 20) throw new Error(`openapi: cannot resolve ${current.$ref}`);
    current = target as T;
  }
  return current;
};

/** A schema's own top level, before oneOf/anyOf/allOf are applied. */
interface Shape {
  types: string[] | null;
  properties: string[];
  required: string[];
  /** additionalProperties is a schema (a map), or no properties are listed. */
  open: boolean;
}

const ownShape = (s: RawSchema): Shape => ({
  types: s.type === undefined ? null : Array.isArray(s.type) ? s.type : [s.type],
  properties: Object.keys(s.properties ?? {}),
  required: s.required ?? [],
  // `additionalProperties: true` appears only on anyOf branches that add a
  // constraint (check-runs: "completed needs a conclusion"); it does not
  // make GitHub accept unknown fields, so only a schema-valued one counts.
  open: typeof s.additionalProperties === "object",
});

const merge = (a: Shape, b: Shape): Shape => ({
  types: a.types === null ? b.types : b.types === null ? a.types : a.types.filter((t) => b.types?.includes(t)),
  properties: [...new Set([...a.properties, ...b.properties])],
  required: [...new Set([...a.required, ...b.required])],
  open: a.open || b.open,
});

const shapes = (spec: RawSpec, schema: RawSchema, depth: number): Shape[] => {
  if (depth > 10) throw new Error("openapi: schema nests too deep");
  const s = resolve(spec, schema);
  let result = [ownShape(s)];
  for (const member of s.allOf ?? []) {
    const options = shapes(spec, member, depth + 1);
    result = result.flatMap((r) => options.map((o) => merge(r, o)));
  }
  const branches = [...(s.oneOf ?? []), ...(s.anyOf ?? [])];
  if (branches.length > 0) {
    const options = branches.flatMap((b) => shapes(spec, b, depth + 1));
    result = result.flatMap((r) => options.map((o) => merge(r, o)));
  }
  return result;
};

const toVariant = (p: Shape): Variant => {
  const isObject = p.types === null ? p.properties.length > 0 || p.required.length > 0 : p.types.includes("object");
  if (isObject) return { kind: "object", properties: p.open || p.properties.length === 0 ? null : p.properties, required: p.required };
  return { kind: "other", types: p.types };
};

const buildIndex = (spec: RawSpec): Template[] => {
  const templates: Template[] = [];
  for (const [template, item] of Object.entries(spec.paths)) {
    const operations = new Map<string, Operation>();
    const pathParams = new Map<string, { integer: boolean; multi: boolean }>();
    for (const method of METHODS) {
      const op = item[method];
      if (op === undefined) continue;
      const params = (op.parameters ?? []).map((p) => resolve(spec, p));
      for (const p of params.filter((x) => x.in === "path" && x.name !== undefined)) {
        const schema = p.schema === undefined ? undefined : resolve(spec, p.schema);
        const integer = schema?.type === "integer";
        const multi = p["x-multi-segment"] === true;
        const name = p.name ?? "";
        const seen = pathParams.get(name);
        pathParams.set(name, seen === undefined ? { integer, multi } : { integer: seen.integer && integer, multi: seen.multi || multi });
      }
      const query = params.filter((p) => p.in === "query").map((p) => p.name ?? "");
      let body: Operation["body"] = null;
      if (op.requestBody !== undefined) {
        const rb = resolve(spec, op.requestBody);
        const content = rb.content ?? {};
        const jsonSchema = content["application/json"]?.schema;
        body = {
          required: rb.required === true,
          contentTypes: Object.keys(content),
          json: jsonSchema === undefined ? null : shapes(spec, jsonSchema, 0).map(toVariant),
        };
      }
      operations.set(method.toUpperCase(), { query, body });
    }
    const segments = template
      .split("/")
      .slice(1)
      .map((text): Segment => {
        const param = /^\{(\w+)\}$/.exec(text)?.[1];
        if (param === undefined) return { kind: "literal", text };
        return { kind: "param", name: param, ...(pathParams.get(param) ?? { integer: false, multi: false }) };
      });
    templates.push({ template, segments, operations });
  }
  return templates;
};

const loadIndex = (): OpenApiIndex => {
  const started = performance.now();
  const file = createRequire(import.meta.url).resolve("@octokit/openapi/generated/api.github.com.json");
  const spec = JSON.parse(fs.readFileSync(file, "utf8")) as RawSpec;
  const templates = buildIndex(spec);
  return { templates, loadMs: performance.now() - started };
};

// Jest gives every test file a fresh module registry, so a module-level
// variable would re-read the spec per file. Built-in modules are shared by
// all test files of a worker, so the index hangs off `fs` under a private
// symbol: once per worker. (If that ever stops holding, we load per file.)
const CACHE = Symbol.for("review-reviewer.test.openapi-index");
const cacheHost = fs as unknown as Record<symbol, OpenApiIndex | undefined>;

const getIndex = (): OpenApiIndex => {
  const cached = cacheHost[CACHE];
  if (cached !== undefined) return cached;
  const index = loadIndex();
  cacheHost[CACHE] = index;
  return index;
};

// ---------- matching ----------

/**
 * `/repos/{owner}/{repo}/contents/{path}` with an empty path lists the root
 * ("If you omit the path parameter, you will receive the contents of the
 * repository's root directory"); Octokit then sends `/contents/`.
 */
const EMPTY_LAST_PARAM_OK = new Set(["/repos/{owner}/{repo}/contents/{path}"]);

const matches = (t: Template, parts: string[]): boolean => {
  const at = (si: number, pi: number): boolean => {
    const seg = t.segments[si];
    if (seg === undefined) return pi === parts.length;
    const part = parts[pi];
    if (part === undefined) return false;
    if (seg.kind === "literal") return part === seg.text && at(si + 1, pi + 1);
    if (part === "") return si === t.segments.length - 1 && pi === parts.length - 1 && EMPTY_LAST_PARAM_OK.has(t.template);
    if (seg.integer && !/^\d+$/.test(part)) return false;
    if (!seg.multi) return at(si + 1, pi + 1);
    // x-multi-segment (a git ref, a file path, a branch): one or more
    // non-empty segments, e.g. heads/review-reviewer/p-123.
    for (let end = pi + 1; end <= parts.length && parts[end - 1] !== ""; end++) {
      if (at(si + 1, end)) return true;
    }
    return false;
  };
  return at(0, 0);
};

/** More literal segments wins, then fewer multi-segment params. */
const specificity = (t: Template): number =>
  t.segments.reduce((n, s) => n + (s.kind === "literal" ? 1000 : s.multi ? -1 : 0), 0);

const jsonType = (value: unknown): string =>
  value === null ? "null" : Array.isArray(value) ? "array" : Number.isInteger(value) ? "integer" : typeof value;

const variantProblems = (v: Variant, body: unknown): string[] => {
  const type = jsonType(body);
  if (v.kind === "other") {
    const ok = v.types === null || v.types.includes(type) || (type === "integer" && v.types.includes("number"));
    return ok ? [] : [`body is ${type}, expected ${(v.types ?? []).join(" or ")}`];
  }
  if (type !== "object") return [`body is ${type}, expected object`];
  const fields = body as Record<string, unknown>;
  const problems = v.required.filter((k) => !(k in fields)).map((k) => `missing required body field "${k}"`);
  const declared = v.properties;
  if (declared !== null) {
    for (const k of Object.keys(fields).filter((key) => !declared.includes(key))) {
      problems.push(`unknown body field "${k}" (declared: ${declared.join(", ")})`);
    }
  }
  return problems;
};

const bodyProblems = (variants: Variant[], body: unknown): string[] => {
  const results = variants.map((v) => variantProblems(v, body));
  const closest = results.reduce<string[] | undefined>((best, r) => (best === undefined || r.length < best.length ? r : best), undefined) ?? [];
  if (closest.length === 0 || results.length === 1) return closest;
  return closest.map((p) => `${p} (closest of ${results.length} schema alternatives)`);
};

/**
 * GitHub's GraphQL endpoint is not part of the REST description (the spec
 * has no /graphql path), so it is checked by hand: POST with a `query`.
 */
const graphqlProblems = (method: string, query: string, body: unknown): string[] => {
  const problems: string[] = [];
  if (method !== "POST") problems.push(`GraphQL takes POST, not ${method}`);
  if (query !== "") problems.push("GraphQL takes no query string");
  if (jsonType(body) !== "object") return [...problems, "GraphQL body must be an object with a query"];
  const fields = body as Record<string, unknown>;
  if (typeof fields.query !== "string") problems.push(`missing required body field "query"`);
  for (const k of Object.keys(fields).filter((key) => !["query", "variables", "operationName"].includes(key))) {
    problems.push(`unknown body field "${k}" (declared: query, variables, operationName)`);
  }
  return problems;
};

/**
 * Problems with one request (empty: it fits the spec). `path` as nock sees
 * it: maybe with a query string, maybe under GHES's /api/v3. `body` is the
 * parsed JSON (a string for a non-JSON body); undefined for none.
 */
export const checkGitHubRequest = (req: { method: string; path: string; body?: unknown }): string[] => {
  const method = req.method.toUpperCase();
  const q = req.path.indexOf("?");
  let path = q === -1 ? req.path : req.path.slice(0, q);
  const query = q === -1 ? "" : req.path.slice(q + 1);
  if (path.startsWith("/api/v3/")) path = path.slice("/api/v3".length);
  if (path === "/graphql" || path === "/api/graphql") return graphqlProblems(method, query, req.body);
  // GitHub's own Link headers page through /repositories/{id}/… (the
  // repository by id), which the description does not list: check the
  // request as the /repos/{owner}/{repo}/… route it aliases.
  path = path.replace(/^\/repositories\/\d+\//, "/repos/{owner}/{repo}/");

  const parts = path.split("/").slice(1);
  const candidates = getIndex().templates.filter((t) => matches(t, parts));
  if (candidates.length === 0) return [`no GitHub REST path matches ${path}`];
  const best = (list: Template[]): Template | undefined => [...list].sort((a, b) => specificity(b) - specificity(a))[0];
  const allowing = candidates.filter((t) => t.operations.has(method));
  const template = best(allowing);
  if (template === undefined) {
    const top = best(candidates);
    const allowed = top === undefined ? "" : [...top.operations.keys()].join(", ");
    return [`${method} is not defined for ${top?.template ?? path} (allowed: ${allowed})`];
  }
  const op = template.operations.get(method);
  if (op === undefined) return [`${method} is not defined for ${template.template}`];

  const problems: string[] = [];
  for (const name of new Set(new URLSearchParams(query).keys())) {
    if (!op.query.includes(name)) {
      problems.push(`unknown query parameter "${name}" for ${method} ${template.template} (declared: ${op.query.join(", ") || "none"})`);
    }
  }
  if (req.body === undefined) {
    // No body: only a problem if the body is required and needs fields.
    if (op.body?.required === true && op.body.json !== null) problems.push(...bodyProblems(op.body.json, {}));
    return problems;
  }
  if (op.body === null) return [...problems, `${method} ${template.template} takes no request body`];
  if (op.body.json === null) {
    if (typeof req.body !== "string") problems.push(`${method} ${template.template} takes ${op.body.contentTypes.join(" or ")}, not JSON`);
    return problems;
  }
  return [...problems, ...bodyProblems(op.body.json, req.body)];
};

/** The spec problems of one request nock answered, each prefixed "METHOD path: " (the body parsed as JSON when it is). */
export const problemsOfAnswered = (req: Pick<ClientRequest, "method" | "path">, raw: string): string[] => {
  let body: unknown = undefined;
  if (raw !== "") {
    try {
      body = JSON.parse(raw) as unknown;
    } catch {
      body = raw;
    }
  }
  return checkGitHubRequest({ method: req.method, path: req.path, body }).map((problem) => `${req.method} ${req.path}: ${problem}`);
};

/** Problems of every request answered on api.github.com by any scope (test/helpers/setup-nock.ts fills and checks it after each test). */
export const specProblemsOfAllScopes: string[] = [];

/**
 * Collects spec problems of every request `scope` answers, each prefixed
 * "METHOD path: ". Assert `expect(guard.problems).toEqual([])` at the end.
 */
export const guardOpenApi = (scope: nock.Scope): { problems: string[] } => {
  const guard = { problems: [] as string[] };
  // nock 14 emits ("request", req, interceptor, requestBodyString) when an
  // interceptor of this scope answers (lib/playback_interceptor.js).
  scope.on("request", (req: ClientRequest, _interceptor: nock.Interceptor, raw: string) => {
    guard.problems.push(...problemsOfAnswered(req, raw));
  });
  return guard;
};
