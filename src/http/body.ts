import express, { type Request, type RequestHandler, type Response } from "express";
import { UnsupportedMediaTypeError } from "./http-errors.js";

const JSON_TYPES = ["application/json", "application/*+json"];

/** Whether the request declares a JSON body (application/json or a +json type). */
export function isJsonRequest(req: Request): boolean {
  return Boolean(req.is(JSON_TYPES));
}

/** JSON parser with a byte limit (413 beyond it); other content types are left alone. */
export function createJsonBody(limitBytes: number): RequestHandler {
  return express.json({ limit: limitBytes, type: JSON_TYPES });
}

/** 415 unless the request declares a JSON body. */
export const requireJson: RequestHandler = (req, _res, next) => {
  if (!isJsonRequest(req)) throw new UnsupportedMediaTypeError("send the request body as JSON (Content-Type: application/json)");
  next();
};

/** Runs a connect-style middleware as a promise (for body parsers chosen per request). */
export function runMiddleware(middleware: RequestHandler, req: Request, res: Response): Promise<void> {
  return new Promise((resolve, reject) => {
    const result: unknown = middleware(req, res, (err?: unknown) => (err ? reject(err) : resolve()));
    if (result instanceof Promise) result.catch(reject);
  });
}
