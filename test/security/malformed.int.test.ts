// Malformed multipart bodies, oversized headers and oversized bodies: each gets a clear 4xx (problem+json where the
// app answers; Node's own 431 for headers it refuses to parse), leaves the store dump unchanged, and the server keeps
// answering.
import { describe, expect, it } from "vitest";
import { KEY, MAX_BODY_BYTES, MAX_FILE_BYTES, call, expectProblem, settle, useSecServer } from "./harness.js";
import { multipartBody, rawRequest, socketStatus, type Part, type RawResponse, expectRawProblem } from "./raw-http.js";

const server = useSecServer();

const auth = { authorization: `Bearer ${KEY.ops}` };
const MD = "# Note\n\nThe fan must be cleaned every month.\n";
const B = "secsuite-boundary";


/** POSTs a raw body to /documents; expects a problem among `statuses`, an unchanged store and a live server. */
async function rejectedUpload(body: Buffer, contentType: string, statuses: number[], extraHeaders: Record<string, string> = {}): Promise<RawResponse> {
  await settle(server().url);
  const before = server().dump();
  const res = await rawRequest(server().url, "POST", "/documents?collection=manuals", { ...auth, "content-type": contentType, "content-length": String(body.length), ...extraHeaders }, body);
  expectRawProblem(res, statuses);
  await settle(server().url);
  expect(server().dump()).toEqual(before);
  expect((await call(server().url, "GET", "/healthz")).status).toBe(200);
  return res;
}

const file = (name = "note.md", data: string | Buffer = MD): Part => ({ name: "file", filename: name, data });

describe("malformed multipart", () => {
  it("boundary in the header differs from the body's → 400", async () => {
    await rejectedUpload(multipartBody([file()], "other-boundary"), `multipart/form-data; boundary=${B}`, [400]);
  });

  it("no boundary parameter at all → 400", async () => {
    await rejectedUpload(multipartBody([file()], B), "multipart/form-data", [400, 415]);
  });

  it("truncated body (cut inside the file, no closing boundary) → 400", async () => {
    const full = multipartBody([file("note.md", MD.repeat(50))], B);
    await rejectedUpload(full.subarray(0, Math.floor(full.length / 2)), `multipart/form-data; boundary=${B}`, [400]);
  });

  it("a file field with no filename → 400 (no file uploaded)", async () => {
    await rejectedUpload(multipartBody([{ name: "file", disposition: 'form-data; name="file"', contentType: "text/markdown", data: MD }], B), `multipart/form-data; boundary=${B}`, [400]);
  });

  it("an empty filename → 400", async () => {
    await rejectedUpload(multipartBody([file("")], B), `multipart/form-data; boundary=${B}`, [400]);
  });

  it("too many files (25) → 400, none stored", async () => {
    const parts = Array.from({ length: 25 }, (_, i) => file(`f${i}.md`, `${MD}${i}\n`));
    const res = await rejectedUpload(multipartBody(parts, B), `multipart/form-data; boundary=${B}`, [400, 413]);
    expect(String(res.body?.["detail"])).toMatch(/too many/i);
  });

  it("too many parts (200 text fields) → 400", async () => {
    const parts: Part[] = [...Array.from({ length: 200 }, (_, i) => ({ name: `f${i}`, data: "x" })), file()];
    await rejectedUpload(multipartBody(parts, B), `multipart/form-data; boundary=${B}`, [400, 413]);
  });

  it("a huge text field (1 MB title) → 400 or 413", async () => {
    await rejectedUpload(multipartBody([{ name: "title", data: "t".repeat(1024 * 1024) }, file()], B), `multipart/form-data; boundary=${B}`, [400, 413]);
  });

  it("a part header line of 100 KB → 400 or 413", async () => {
    const parts: Part[] = [{ name: "file", disposition: `form-data; name="file"; filename="a.md"; x="${"y".repeat(100 * 1024)}"`, data: MD }];
    await rejectedUpload(multipartBody(parts, B), `multipart/form-data; boundary=${B}`, [400, 413]);
  });
});

describe("oversized headers and bodies", () => {
  it("a 64 KB header → 431 from Node; the server keeps answering", async () => {
    const before = server().dump();
    const head = `POST /documents HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${KEY.ops}\r\nX-Big: ${"a".repeat(64 * 1024)}\r\nContent-Length: 0\r\n\r\n`;
    const res = await socketStatus(server().url, head);
    expect(res.status).toBe(431);
    expect(server().dump()).toEqual(before);
    expect((await call(server().url, "GET", "/healthz")).status).toBe(200);
  });

  it("a JSON body over MAX_BODY_BYTES on /answer → 413 problem", async () => {
    const res = await call(server().url, "POST", "/answer", { key: KEY.ops, json: { question: "q".repeat(MAX_BODY_BYTES + 10) } });
    expectProblem(res, 413);
  });

  it("a JSON document over MAX_BODY_BYTES → 413 problem, nothing stored", async () => {
    await settle(server().url);
    const before = server().dump();
    const res = await call(server().url, "POST", "/documents", { key: KEY.ops, json: { title: "Big", text: "word ".repeat(MAX_BODY_BYTES / 4), collection: "manuals" } });
    expectProblem(res, 413);
    await settle(server().url);
    expect(server().dump()).toEqual(before);
  });

  it("a chunked JSON body (no Content-Length) over MAX_BODY_BYTES → 413 problem", async () => {
    const body = JSON.stringify({ question: "q".repeat(MAX_BODY_BYTES * 2) });
    const res = await rawRequest(server().url, "POST", "/answer", { ...auth, "content-type": "application/json", "transfer-encoding": "chunked" }, body);
    expectRawProblem(res, [413]);
  });

  it("an upload over MAX_FILE_BYTES → 413 problem naming the limit, nothing stored", async () => {
    const big = Buffer.alloc(MAX_FILE_BYTES + 1024, "a");
    const res = await rejectedUpload(multipartBody([file("big.txt", big)], B), `multipart/form-data; boundary=${B}`, [413]);
    expect(String(res.body?.["detail"])).toMatch(/big\.txt|limit/);
  });

  it("a multipart upload whose Content-Length lies (larger than sent) does not hang the server", async () => {
    const body = multipartBody([file()], B);
    const res = await rawRequest(server().url, "POST", "/documents?collection=manuals", { ...auth, "content-type": `multipart/form-data; boundary=${B}`, "content-length": String(body.length + 100) }, body, 3_000).catch(
      (err: unknown) => err as Error,
    );
    // Either an error status or no answer until the client gives up: both fine, as long as others are served.
    if (!(res instanceof Error)) expect(res.status).toBeGreaterThanOrEqual(400);
    expect((await call(server().url, "GET", "/healthz")).status).toBe(200);
  });
});
