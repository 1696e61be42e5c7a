// Path traversal, NUL bytes and overlong names in document ids (URL path, JSON, multipart `id`) and in upload file
// names. A hostile id is rejected with a 4xx problem and leaves the store as it was; a hostile file name is either
// rejected or reduced to a safe base name — never a path outside uploads/ and never an id with '..'.
import { existsSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { KEY, call, expectProblem, settle, useSecServer } from "./harness.js";
import { multipartBody, rawRequest, type RawResponse, expectRawProblem } from "./raw-http.js";

const server = useSecServer();

const auth = { authorization: `Bearer ${KEY.ops}` };
const MD = "# Note\n\nThe fan must be cleaned every month.\n";


/** Sends `method path` verbatim; expects a 4xx problem among `statuses` and an unchanged store. */
async function rejected(method: string, path: string, statuses: number[], body?: { json?: unknown }): Promise<RawResponse> {
  await settle(server().url);
  const before = server().dump();
  const headers: Record<string, string> = { ...auth, ...(body?.json !== undefined ? { "content-type": "application/json" } : {}) };
  const res = await rawRequest(server().url, method, path, headers, body?.json !== undefined ? JSON.stringify(body.json) : undefined);
  expectRawProblem(res, statuses);
  await settle(server().url);
  expect(server().dump()).toEqual(before);
  // The problem never echoes a raw NUL or the whole overlong id back.
  expect(res.text).not.toContain("\u0000");
  expect(res.text.length).toBeLessThan(2000);
  return res;
}

const LONG = "a".repeat(1_000);

describe("document ids in the URL path", () => {
  const hostile = [
    ["dot segments", "/documents/../../etc/passwd"],
    ["encoded slashes", "/documents/..%2F..%2Fetc%2Fpasswd"],
    ["double-encoded", "/documents/..%252F..%252Fetc%252Fpasswd"],
    ["absolute", "/documents/%2Fetc%2Fpasswd"],
    ["backslashes", "/documents/..%5C..%5Cwindows%5Cwin.ini"],
    ["NUL byte", "/documents/a%00b.md"],
    ["overlong (1,000 chars)", `/documents/${LONG}.md`],
  ] as const;

  it.each(hostile)("PUT %s → 4xx problem, nothing stored", async (_name, path) => {
    await rejected("PUT", `${path}?collection=manuals`, [400, 404], { json: { title: "x", text: "Overwrite attempt." } });
  });

  it.each(hostile)("DELETE %s → 4xx problem, nothing deleted", async (_name, path) => {
    await rejected("DELETE", `${path}?collection=manuals`, [400, 404]);
  });

  it.each(hostile)("GET %s → 4xx problem", async (_name, path) => {
    await rejected("GET", `${path}?collection=manuals`, [400, 404]);
  });

  it("GET /jobs with a traversal id → 404 problem", async () => {
    await rejected("GET", "/jobs/..%2F..%2Fetc%2Fpasswd", [400, 404]);
  });
});

describe("document ids in bodies", () => {
  const ids = ["../../etc/passwd", "..\\..\\windows\\win.ini", "/etc/passwd", "C:\\Windows\\win.ini", "a\u0000b.md", `${LONG}.md`, "..%2F..%2Fetc%2Fpasswd"];

  it.each(ids.map((id) => [JSON.stringify(id).slice(0, 40), id]))("JSON POST id %s → 400 problem, nothing stored", async (_label, id) => {
    await rejected("POST", "/documents", [400, 413], { json: { id, title: "x", text: "Some text.", collection: "manuals" } });
  });

  it.each(ids.map((id) => [JSON.stringify(id).slice(0, 40), id]))("multipart id field %s → 400 problem, nothing stored", async (_label, id) => {
    await settle(server().url);
    const before = server().dump();
    const boundary = "secsuite-boundary-1";
    const body = multipartBody([{ name: "collection", data: "manuals" }, { name: "id", data: id }, { name: "file", filename: "note.md", data: MD }], boundary);
    const res = await rawRequest(server().url, "POST", "/documents", { ...auth, "content-type": `multipart/form-data; boundary=${boundary}` }, body);
    expectRawProblem(res, [400, 413]);
    await settle(server().url);
    expect(server().dump()).toEqual(before);
  });
});

describe("upload file names", () => {
  const names = [
    ["traversal", "../../etc/passwd.md"],
    ["encoded traversal", "..%2F..%2Fetc%2Fpasswd.md"],
    ["absolute", "/etc/cron.d/evil.md"],
    ["backslashes", "..\\..\\windows\\evil.md"],
    ["NUL byte", "evil\u0000.md"],
    ["overlong (1,000 chars)", `${LONG}.md`],
  ] as const;

  it.each(names)("%s: rejected (4xx) or stored under a safe name inside uploads/", async (_label, name) => {
    await settle(server().url);
    const before = server().dump();
    const boundary = "secsuite-boundary-2";
    const body = multipartBody([{ name: "collection", data: "manuals" }, { name: "file", filename: name, data: `${MD}${name.length}\n` }], boundary);
    const res = await rawRequest(server().url, "POST", "/documents", { ...auth, "content-type": `multipart/form-data; boundary=${boundary}` }, body);
    if (res.status >= 400) {
      expectRawProblem(res, [400, 413, 415]);
      await settle(server().url);
      expect(server().dump()).toEqual(before);
      return;
    }
    expect(res.status).toBe(202);
    const jobs = res.body?.["jobs"] as Array<{ id: string; documentId: string }>;
    const docId = jobs[0]!.documentId;
    expect(docId).not.toMatch(/\.\.|^\/|\\|\u0000|%2F/i);
    expect(docId.length).toBeLessThanOrEqual(255);
    await settle(server().url);
    const doc = await call(server().url, "GET", `/documents/${encodeURIComponent(docId)}?collection=manuals`, { key: KEY.ops });
    expect(doc.status).toBe(200);
    // Nothing escaped the data directory: no file named like the payload next to or above it.
    for (const dir of [server().dataDir, dirname(server().dataDir)]) {
      expect(readdirSync(dir).filter((f) => f.startsWith("evil") || f.startsWith("passwd"))).toEqual([]);
    }
    expect(existsSync(join(server().dataDir, "..", "etc"))).toBe(false);
    for (const line of server().dump().uploads) expect(line).not.toMatch(/\.\.|\\|\u0000/);
  });
});
