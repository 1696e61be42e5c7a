// Requests exactly as written: fetch normalises paths ("/a/../b" → "/b") and builds its own multipart bodies, which
// would hide the hostile inputs these tests send.
import { request } from "node:http";
import { expect } from "vitest";
import { jsonObject } from "./harness.js";
import { connect } from "node:net";

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  body: Record<string, unknown> | undefined;
}

/** An HTTP/1.1 request with the path sent verbatim (no dot-segment removal, no re-encoding). */
export function rawRequest(base: string, method: string, path: string, headers: Record<string, string> = {}, body?: Buffer | string, timeoutMs = 20_000): Promise<RawResponse> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, method, path, headers, timeout: timeoutMs }, (res) => {
      const parts: Buffer[] = [];
      res.on("data", (b: Buffer) => parts.push(b));
      res.on("end", () => {
        const text = Buffer.concat(parts).toString("utf8");
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body: jsonObject(text) });
      });
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error(`no response in ${timeoutMs} ms`)));
    req.on("error", reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/**
 * Writes `payload` on a plain socket and returns the status line's code (0 when the server closed without one).
 * For requests Node's HTTP parser refuses before Express sees them (oversized headers).
 */
export function socketStatus(base: string, payload: Buffer | string, timeoutMs = 10_000): Promise<{ status: number; head: string }> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const sock = connect(Number(u.port), u.hostname);
    let data = "";
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error(`no answer in ${timeoutMs} ms`));
    }, timeoutMs);
    sock.on("data", (b: Buffer) => {
      data += b.toString("latin1");
    });
    sock.on("error", () => undefined);
    sock.on("close", () => {
      clearTimeout(timer);
      resolve({ status: Number(data.match(/^HTTP\/1\.[01] (\d{3})/)?.[1] ?? 0), head: data.slice(0, 500) });
    });
    sock.write(payload);
  });
}

export interface Part {
  name: string;
  /** Omitted: a plain field. `null`: a `filename` attribute-less part named like a file field. */
  filename?: string;
  /** Raw `Content-Disposition` line to send instead of the built one. */
  disposition?: string;
  contentType?: string;
  data: Buffer | string;
}

/** A multipart/form-data body from parts, with the file name written byte-for-byte (NUL and all). */
export function multipartBody(parts: readonly Part[], boundary: string): Buffer {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disposition = p.disposition ?? `form-data; name="${p.name}"${p.filename !== undefined ? `; filename="${p.filename}"` : ""}`;
    const type = p.contentType ?? (p.filename !== undefined ? "application/octet-stream" : undefined);
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${type ? `Content-Type: ${type}\r\n` : ""}\r\n`, "utf8"));
    chunks.push(typeof p.data === "string" ? Buffer.from(p.data, "utf8") : p.data);
    chunks.push(Buffer.from("\r\n"));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

/** A raw response is a problem+json with one of `statuses`, its own status and a detail. */
export function expectRawProblem(res: RawResponse, statuses: number[]): void {
  expect(statuses, `${res.status} ${res.text.slice(0, 300)}`).toContain(res.status);
  expect(String(res.headers["content-type"] ?? "")).toMatch(/^application\/problem\+json/);
  expect(res.body?.["status"]).toBe(res.status);
  expect(String(res.body?.["detail"] ?? "").length).toBeGreaterThan(0);
}
