import { createHash, timingSafeEqual } from "node:crypto";
import type { Request, RequestHandler } from "express";
import { ConfigError } from "../../errors.js";
import { ForbiddenError, UnauthorizedError } from "../http-errors.js";
import { requestContext } from "../request-context.js";

/**
 * What a key may do. `admin` implies the others except `widget`. `assist` is agent assist (`/suggest`): it shows past
 * tickets and drafts from them, so a customer-facing bot key (`answer`) does not get it. `widget` reaches POST /answer
 * and POST /feedback (ratings of its own answers) only (a key public on a help site). `curate` writes curated answers (reading them takes `ingest` or `curate`).
 */
export type Scope = "answer" | "assist" | "ingest" | "curate" | "admin" | "widget";

/** What `admin` expands to (not `widget`: an admin key is never limited to /answer). */
const SCOPES: readonly Scope[] = ["answer", "assist", "ingest", "curate", "admin"];
const PARSEABLE: readonly Scope[] = [...SCOPES, "widget"];
const NAME_RE = /^[\w.-]{1,64}$/;
const COLLECTION_RE = /^[\w.-]{1,64}$/;

/** One entry of `API_KEYS`. `scopes` is already expanded (admin lists every scope). */
export interface ApiKeyConfig {
  name: string;
  key: string;
  scopes: Scope[];
  /** Collections the key is limited to; undefined means all collections. */
  collections?: string[];
}

/** The authenticated caller of a request. */
export interface Principal {
  /** Key name (safe to log); `anonymous` when no keys are configured. */
  name: string;
  scopes: ReadonlySet<Scope>;
  /** Undefined: every collection. */
  collections?: readonly string[];
}

/**
 * What a request path needs: one of the listed scopes, any valid key (unknown paths), or nothing (health probes).
 * `/feedback` takes either `answer` or `assist`: bots rate answers, agents rate suggestions.
 */
type Requirement = readonly Scope[] | "any" | "public";

// Matched case-insensitively because Express routing is case-insensitive by default: "/ANSWER" must not slip through.
const REQUIREMENTS: ReadonlyArray<[RegExp, Requirement]> = [
  [/^\/(healthz|readyz)\/?$/i, "public"],
  // The console's static files and the widget script: code, no data (every call they make presents a key). Never a
  // path with a dot-segment, plain or encoded: "/console/../documents" is not the console's.
  [/^\/(?!.*(\.\.|%2e))(console(\/.*)?|widget\.js)?$/i, "public"],
  [/^\/answer(\/|$)/i, ["answer"]],
  [/^\/suggest(\/|$)/i, ["assist"]],
  [/^\/feedback(\/|$)/i, ["answer", "assist"]],
  [/^\/v1(\/|$)/i, ["answer"]],
  [/^\/(documents|jobs|chunks)(\/|$)/i, ["ingest"]],
  // Reading curated answers is content work (`ingest`); writing them also needs `curate`, checked by the routes.
  [/^\/curated(\/|$)/i, ["ingest", "curate"]],
  // Proposed answers (corrections sent with /feedback) are reviewed by those who write curated answers.
  [/^\/review(\/|$)/i, ["curate"]],
  [/^\/(metrics|analytics|audit)(\/|$)/i, ["admin"]],
];

/** The access requirement of a request path (unknown paths need a valid key of any scope). */
export function requirementFor(path: string): Requirement {
  return REQUIREMENTS.find(([re]) => re.test(path))?.[1] ?? "any";
}

/**
 * Parses `API_KEYS`: comma-separated `name:key:scopes[:collections]` entries, scopes joined by `+`
 * (answer, assist, ingest, admin, widget), collections by `|`. Example:
 * `bot:sk-bot-123:answer,agents:sk-ag-789:assist+answer,content:sk-c-456:ingest+answer:manuals|faq`.
 * @returns an empty list when unset or blank (everything open).
 * @throws ConfigError naming API_KEYS for malformed entries, unknown scopes, duplicate names or keys.
 */
export function parseApiKeys(raw: string | undefined): ApiKeyConfig[] {
  if (raw === undefined || raw.trim() === "") return [];
  const out: ApiKeyConfig[] = [];
  for (const [i, entry] of raw.split(",").entries()) {
    if (entry.trim() === "") continue;
    out.push(parseEntry(entry.trim(), i + 1));
  }
  const names = new Set(out.map((k) => k.name));
  const keys = new Set(out.map((k) => k.key));
  if (names.size !== out.length) throw new ConfigError("invalid API_KEYS: duplicate key name");
  if (keys.size !== out.length) throw new ConfigError("invalid API_KEYS: the same key is listed twice");
  return out;
}

function parseEntry(entry: string, position: number): ApiKeyConfig {
  const bad = (why: string): ConfigError => new ConfigError(`invalid API_KEYS entry ${position}: ${why} (expected name:key:scopes[:collections])`);
  const parts = entry.split(":");
  if (parts.length < 3 || parts.length > 4) throw bad("wrong number of ':'-separated fields");
  const [name = "", key = "", scopeList = "", collectionList] = parts.map((p) => p.trim());
  if (!NAME_RE.test(name)) throw bad("name must be 1-64 letters, digits, '_', '.', '-'");
  if (key.length < 4 || /\s/.test(key)) throw bad(`key of '${name}' must be at least 4 characters without spaces`);
  const scopes = new Set<Scope>();
  for (const s of scopeList.split("+").map((x) => x.trim())) {
    const scope = PARSEABLE.find((known) => known === s);
    if (!scope) throw bad(`unknown scope '${s}' for '${name}' (${PARSEABLE.join(", ")})`);
    if (scope === "admin") SCOPES.forEach((x) => scopes.add(x));
    else scopes.add(scope);
  }
  const config: ApiKeyConfig = { name, key, scopes: [...scopes] };
  if (collectionList !== undefined) {
    const collections = collectionList.split("|").map((c) => c.trim());
    const invalid = collections.find((c) => !COLLECTION_RE.test(c));
    if (invalid !== undefined) throw bad(`invalid collection '${invalid}' for '${name}'`);
    config.collections = [...new Set(collections)];
  }
  return config;
}

const digest = (value: string): Buffer => createHash("sha256").update(value, "utf8").digest();

/**
 * Resolves the presented key to its configuration. Every configured key is compared (no early exit) on sha256
 * digests with timingSafeEqual, so neither the match position nor the key length leaks through timing.
 */
export function createKeyResolver(keys: readonly ApiKeyConfig[]): (presented: string) => ApiKeyConfig | undefined {
  const table = keys.map((k) => ({ config: k, digest: digest(k.key) }));
  return (presented) => {
    const d = digest(presented);
    let found: ApiKeyConfig | undefined;
    for (const entry of table) {
      if (timingSafeEqual(d, entry.digest) && found === undefined) found = entry.config;
    }
    return found;
  };
}

/** The key a request presents: `Authorization: Bearer <key>` or `X-API-Key`. */
export function presentedKey(req: Request): string | undefined {
  const auth = req.get("authorization");
  const bearer = auth?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
  if (bearer) return bearer;
  const header = req.get("x-api-key")?.trim();
  return header ? header : undefined;
}

const ANONYMOUS: Principal = { name: "anonymous", scopes: new Set(SCOPES) };

/** Whether the caller holds `scope` (admin holds every scope). */
export function hasScope(principal: Principal, scope: Scope): boolean {
  return principal.scopes.has(scope) || principal.scopes.has("admin");
}

/** Called after the caller is identified (or not) and before the scope check: the rate limiter hooks in here. */
export type IdentifiedHook = (req: Request, principal: Principal | undefined) => Promise<void>;

/**
 * Access control by path (see REQUIREMENTS). With no keys configured everything is open and callers are
 * `anonymous`. Otherwise a missing or unknown key is 401 and a key without the path's scope is 403.
 */
export function accessControl(keys: readonly ApiKeyConfig[], onIdentified?: IdentifiedHook): RequestHandler {
  const resolve = createKeyResolver(keys);
  return async (req, _res, next) => {
    const requirement = requirementFor(req.path);
    if (requirement === "public") return next();
    const ctx = requestContext(req);
    let principal: Principal | undefined = ANONYMOUS;
    if (keys.length > 0) {
      const key = presentedKey(req);
      const config = key === undefined ? undefined : resolve(key);
      principal = config ? toPrincipal(config) : undefined;
    }
    if (principal) ctx.keyName = principal.name;
    await onIdentified?.(req, principal);
    if (!principal) throw new UnauthorizedError();
    if (!allows(principal, requirement, req.path)) {
      throw new ForbiddenError(
        requirement === "any" ? `API key '${principal.name}' is a widget key: it may only call POST /answer and POST /feedback` : `API key '${principal.name}' lacks the '${requirement.join("' or '")}' scope`,
      );
    }
    ctx.principal = principal;
    next();
  };
}

/**
 * A `widget` key (and no other scope) reaches these paths only: answers, and ratings of its own answers (the feedback
 * route narrows what a widget key may send, see routes/feedback.ts).
 */
const WIDGET_PATH = /^\/(answer|feedback)\/?$/i;

/** Whether a key with only the `widget` scope is limited to {@link WIDGET_PATH} (and its own rate limit). */
export function isWidgetOnly(principal: Principal): boolean {
  return principal.scopes.size > 0 && [...principal.scopes].every((s) => s === "widget");
}

function allows(principal: Principal, requirement: readonly Scope[] | "any", path: string): boolean {
  if (isWidgetOnly(principal)) return WIDGET_PATH.test(path);
  return requirement === "any" || requirement.some((scope) => hasScope(principal, scope));
}

function toPrincipal(config: ApiKeyConfig): Principal {
  return { name: config.name, scopes: new Set(config.scopes), ...(config.collections ? { collections: config.collections } : {}) };
}
