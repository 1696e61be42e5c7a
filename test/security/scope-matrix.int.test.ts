// Every scope × collection × verb, through HTTP with real keys (issue #10, "Done when": every scope × collection ×
// verb). Expected statuses come from the contracts: 401 without or with a wrong key; 403 for a missing scope or a
// collection the request itself names and the key may not use; 404 — the same as "does not exist" — for a resource of
// another collection the request does not name; 2xx otherwise. /metrics only for the admin without collection limits.
// Every rejected request must leave the store dump unchanged.
import { describe, expect, it } from "vitest";
import type { StoreDump } from "../support/store-dump.js";
import { parseSse } from "../http/sse-client.js";
import { call, expectProblem, KEY, settle, type Req, type Res, type SecServer, useSecServer } from "./harness.js";

type Scope = "answer" | "assist" | "ingest" | "curate" | "admin" | "widget";

interface KeyCase {
  label: string;
  key?: string;
  /** Undefined for no key / wrong key. */
  scopes?: Scope[];
  collections?: string[];
}

const KEYS: KeyCase[] = [
  { label: "no key" },
  { label: "wrong key", key: "sk-wrong-key" },
  { label: "bot", key: KEY.bot, scopes: ["answer"], collections: ["manuals"] },
  // Agent assist only: /suggest (past tickets) and /feedback, never the customer-facing /answer.
  { label: "agent", key: KEY.agent, scopes: ["assist"], collections: ["manuals"] },
  { label: "content", key: KEY.content, scopes: ["ingest", "answer"], collections: ["manuals", "faq"] },
  { label: "ingB", key: KEY.ingB, scopes: ["ingest", "answer"], collections: ["secret"] },
  { label: "opsM", key: KEY.opsM, scopes: ["admin"], collections: ["manuals"] },
  { label: "ops", key: KEY.ops, scopes: ["admin"] },
  { label: "widget", key: KEY.widget, scopes: ["widget"], collections: ["manuals"] },
];

/**
 * own: the request names the key's own collection (or addresses an own resource); other: names a collection the key
 * may not use; otherUnnamed: addresses another collection's resource without naming it; none: the route takes no
 * collection.
 */
type Target = "own" | "other" | "otherUnnamed" | "none";

interface Ctx {
  s: SecServer;
  k: KeyCase;
  /** The collection meant by the target. */
  c: string;
  /** The key's own collection (manuals for the unlimited admin). */
  own: string;
  other: string;
  /** The request addresses the resource without naming its collection. */
  unnamed: boolean;
}

interface RouteCase {
  name: string;
  /** Any one of these scopes grants the route (admin grants all); "any": every valid key except a widget key. */
  scopes: Scope[] | "any";
  targets: Target[];
  ok: number;
  /** Unlimited admin only (/metrics). */
  unlimitedOnly?: boolean;
  send(ctx: Ctx): { method: string; path: string; req: Req };
  /** Extra checks on a 2xx response. */
  check?(res: Res, ctx: Ctx): void;
}

const docOf = (c: string) => (c === "secret" ? "nightjar.md" : "widget.md");
const label = (ctx: Ctx) => ctx.k.label.replace(/\W/g, "");

const ROUTES: RouteCase[] = [
  {
    name: "POST /answer",
    scopes: ["answer"],
    targets: ["own", "other"],
    ok: 200,
    send: ({ c }) => ({ method: "POST", path: "/answer", req: { json: { question: "How do I reset the widget?", filters: { collections: [c] } } } }),
  },
  {
    name: "POST /suggest",
    // A bot key (answer) must not read past tickets: 403 as problem+json.
    scopes: ["assist"],
    targets: ["none"],
    ok: 200,
    send: () => ({ method: "POST", path: "/suggest", req: { json: { messages: [{ role: "customer", text: "How do I reset the widget?" }] } } }),
  },
  {
    name: "POST /feedback",
    scopes: ["answer", "assist"],
    targets: ["own", "otherUnnamed"],
    ok: 201,
    send: ({ s, c }) => {
      const answers = s.seeded?.answers ?? { manuals: "x", secret: "y" };
      return { method: "POST", path: "/feedback", req: { json: { answerId: c === "secret" ? answers.secret : answers.manuals, rating: "up" } } };
    },
  },
  {
    name: "GET /whoami",
    scopes: "any",
    targets: ["none"],
    ok: 200,
    send: () => ({ method: "GET", path: "/whoami", req: {} }),
    check: (res, { k }) => {
      expect(res.body).toMatchObject({ name: k.label, collections: k.collections ?? null });
      expect(res.text).not.toContain(k.key ?? "-");
    },
  },
  { name: "GET /analytics", scopes: ["admin"], targets: ["none"], ok: 200, send: () => ({ method: "GET", path: "/analytics", req: {} }) },
  { name: "GET /review/proposals", scopes: ["curate"], targets: ["none"], ok: 200, send: () => ({ method: "GET", path: "/review/proposals", req: {} }) },
  { name: "GET /metrics", scopes: ["admin"], targets: ["none"], ok: 200, unlimitedOnly: true, send: () => ({ method: "GET", path: "/metrics", req: {} }) },
  {
    name: "GET /documents",
    scopes: ["ingest"],
    targets: ["own", "other"],
    ok: 200,
    send: ({ c }) => ({ method: "GET", path: `/documents?collection=${c}`, req: {} }),
    check: (res, { c }) => {
      const items = (res.body?.["items"] ?? []) as Array<{ collection: string }>;
      expect(items.length).toBeGreaterThan(0);
      expect(items.every((d) => d.collection === c)).toBe(true);
    },
  },
  {
    name: "GET /documents/:id",
    scopes: ["ingest"],
    targets: ["own", "other", "otherUnnamed"],
    ok: 200,
    send: ({ c, unnamed }) => ({ method: "GET", path: `/documents/${docOf(c)}${unnamed ? "" : `?collection=${c}`}`, req: {} }),
    check: (res, { c }) => expect(res.body).toMatchObject({ id: docOf(c), collection: c }),
  },
  {
    name: "GET /chunks/:id",
    scopes: ["ingest"],
    targets: ["own", "other", "otherUnnamed"],
    ok: 200,
    send: ({ c, unnamed }) => ({ method: "GET", path: `/chunks/${docOf(c)}${unnamed ? "" : `?collection=${c}`}`, req: {} }),
    check: (res, { c }) => {
      expect(res.body).toMatchObject({ documentId: docOf(c), collection: c });
      expect(((res.body?.["chunks"] ?? []) as unknown[]).length).toBeGreaterThan(0);
    },
  },
  {
    // A citation opened whole: only a key that may read the chunk's collection gets it.
    name: "GET /chunks/:id?chunk=",
    scopes: ["ingest"],
    targets: ["own", "other", "otherUnnamed"],
    ok: 200,
    send: ({ s, c, unnamed }) => {
      const chunk = encodeURIComponent(c === "secret" ? s.seeded?.chunks.secret ?? "x" : s.seeded?.chunks.manuals ?? "x");
      return { method: "GET", path: `/chunks/${docOf(c)}?chunk=${chunk}${unnamed ? "" : `&collection=${c}`}`, req: {} };
    },
    check: (res, { s, c }) => {
      expect(res.body).toMatchObject({ documentId: docOf(c), collection: c });
      expect(((res.body?.["chunks"] ?? []) as Array<{ id: string }>).map((x) => x.id)).toEqual([c === "secret" ? s.seeded?.chunks.secret : s.seeded?.chunks.manuals]);
    },
  },
  {
    name: "POST /documents",
    scopes: ["ingest"],
    targets: ["own", "other"],
    ok: 202,
    send: (ctx) => ({
      method: "POST",
      path: `/documents?collection=${ctx.c}`,
      req: { json: { id: `new-${label(ctx)}-${ctx.c}.md`, title: "New note", text: `A new ${ctx.c} note.`, collection: ctx.c } },
    }),
  },
  {
    name: "PUT /documents/:id",
    scopes: ["ingest"],
    targets: ["own", "other"],
    ok: 202,
    send: (ctx) => ({
      method: "PUT",
      path: `/documents/put-${label(ctx)}-${ctx.c}.md?collection=${ctx.c}`,
      req: { json: { title: "Replaced", text: `Replaced ${ctx.c} note.`, collection: ctx.c } },
    }),
  },
  {
    name: "DELETE /documents/:id",
    scopes: ["ingest"],
    targets: ["own", "other", "otherUnnamed"],
    ok: 204,
    send: (ctx) => ({
      method: "DELETE",
      path: `/documents/del-${label(ctx)}-${ctx.c}.md${ctx.unnamed ? "" : `?collection=${ctx.c}`}`,
      req: {},
    }),
  },
  {
    name: "GET /jobs",
    scopes: ["ingest"],
    targets: ["none"],
    ok: 200,
    send: () => ({ method: "GET", path: "/jobs?limit=500", req: {} }),
    check: (res, { k }) => {
      const items = (res.body?.["items"] ?? []) as Array<{ collection: string }>;
      expect(items.length).toBeGreaterThan(0);
      if (k.collections) expect(items.filter((j) => !k.collections?.includes(j.collection))).toEqual([]);
    },
  },
  {
    name: "GET /jobs/:id",
    scopes: ["ingest"],
    targets: ["own", "otherUnnamed"],
    ok: 200,
    send: ({ s, c }) => ({ method: "GET", path: `/jobs/${c === "secret" ? s.seeded?.jobs.secret : s.seeded?.jobs.manuals}`, req: {} }),
    check: (res, { c }) => expect(res.body).toMatchObject({ collection: c }),
  },
  {
    // The job event stream answers 200 for any ingest key; a job of another collection is `missing` in it, as for
    // an id that never existed (GET /jobs/:id's 404), and nothing of it is sent.
    name: "GET /jobs/events",
    scopes: ["ingest"],
    targets: ["none"],
    ok: 200,
    send: ({ s }) => ({ method: "GET", path: `/jobs/events?id=${s.seeded?.jobs.manuals}&id=${s.seeded?.jobs.secret}`, req: {} }),
    check: (res, { s, k }) => {
      const events = parseSse(res.text).map((e) => ({ event: e.event, ...(JSON.parse(e.data) as { id?: string; collection?: string }) }));
      for (const [collection, id] of [["manuals", s.seeded?.jobs.manuals], ["secret", s.seeded?.jobs.secret]] as const) {
        const visible = !k.collections || k.collections.includes(collection);
        const of = events.filter((e) => e.id === id);
        expect(of.map((e) => e.event)).toEqual([visible ? "job" : "missing"]);
        if (!visible) expect(of[0]).toEqual({ event: "missing", id });
        else expect(of[0]).toMatchObject({ collection, state: "completed" });
      }
      expect(events.at(-1)?.event).toBe("end");
    },
  },
];

/** The expected status, or the acceptable ones, for key × route × target. */
function expected(k: KeyCase, r: RouteCase, t: Target): number | number[] {
  if (!k.scopes) return 401;
  const widgetOnly = k.scopes.every((s) => s === "widget");
  const has = widgetOnly ? r.name === "POST /answer" || r.name === "POST /feedback" : r.scopes === "any" || r.scopes.some((scope) => k.scopes?.includes(scope)) || k.scopes.includes("admin");
  if (!has) return 403;
  if (r.unlimitedOnly && k.collections) return 403;
  // A widget key rates only answers served to itself: the seeded answers (served to other keys) do not exist for it.
  if (widgetOnly && r.name === "POST /feedback") return 404;
  if (t === "own" || t === "none" || !k.collections) return r.ok;
  if (t === "other") return 403;
  // A key limited to several collections must name one for a single document: 400 "collection is required", or
  // the same 404 as "does not exist" — never 403, and never the document.
  return k.collections.length > 1 && r.name !== "POST /feedback" && r.name !== "GET /jobs/:id" ? [400, 404] : 404;
}

function cases(): Array<{ k: KeyCase; r: RouteCase; t: Target }> {
  const out: Array<{ k: KeyCase; r: RouteCase; t: Target }> = [];
  for (const k of KEYS) {
    for (const r of ROUTES) {
      for (const t of r.targets) {
        // The unlimited admin has no "other" collection: naming secret is its own business, but without a name it
        // means DEFAULT_COLLECTION, so the unnamed variant tests nothing for it.
        if (t === "otherUnnamed" && k.scopes && !k.collections) continue;
        out.push({ k, r, t });
      }
    }
  }
  return out;
}

describe("scope × collection × verb matrix", () => {
  const server = useSecServer();

  it.each(cases().map((c) => ({ ...c, title: `${c.k.label} ${c.r.name} [${c.t}]` })))("$title", async ({ k, r, t }) => {
    const s = server();
    const own = k.collections?.[0] ?? "manuals";
    const other = own === "secret" ? "manuals" : "secret";
    const ctx: Ctx = { s, k, own, other, c: t === "own" || t === "none" ? own : other, unnamed: t === "otherUnnamed" };
    const { method, path, req } = r.send(ctx);
    await settle(s.url);
    const before: StoreDump = s.dump();
    const res = await call(s.url, method, path, { ...req, ...(k.key !== undefined ? { key: k.key } : {}) });
    const want = expected(k, r, t);
    const wanted = Array.isArray(want) ? want : [want];
    expect(wanted, `${method} ${path} → ${res.status} ${res.text.slice(0, 200)}`).toContain(res.status);
    if (res.status >= 400) {
      expectProblem(res, res.status);
      await settle(s.url);
      expect(s.dump()).toEqual(before);
    } else {
      r.check?.(res, ctx);
      await settle(s.url);
    }
  });
});
