import type { Response } from "express";

/**
 * Sends `body` as a 200 JSON response, as `res.json` would but without an ETag: Express hashes every JSON body (SHA-1)
 * for conditional GETs, and the answer routes are POSTs no cache revalidates. Same body bytes, Content-Type and
 * Content-Length as `res.json`.
 */
export function sendJson(res: Response, body: unknown): void {
  const json = JSON.stringify(body);
  res.setHeader("Content-Type", "application/json; charset=utf-8");
  res.setHeader("Content-Length", Buffer.byteLength(json));
  res.end(json);
}
