import { existsSync } from "node:fs";
import { join } from "node:path";
import express, { Router, type Response } from "express";
import { HttpError } from "../http-errors.js";

// The console talks to its own origin only; nothing is inlined, so scripts and styles come from 'self'.
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/**
 * The built console (`npm run build` writes it to `dir`) under /console/, `/widget.js` for help sites, and `/` → /console/.
 * Static code only: every call the console makes presents the key its user entered. When the console was not built,
 * these paths answer 404 problems saying so.
 */
export function consoleRoutes(dir: string | undefined): Router {
  // Strict: "/console" (redirected) and "/console/" (the page) are different paths.
  const router = Router({ strict: true });
  const built = dir !== undefined && existsSync(join(dir, "index.html"));
  const notBuilt = (what: string): HttpError => new HttpError("not-found", 404, `${what}: the console is not built (run npm run build)`);
  const sendIndex = (res: Response): void => {
    res.setHeader("Content-Security-Policy", CSP);
    res.setHeader("Cache-Control", "no-cache");
    res.sendFile(join(dir!, "index.html"));
  };
  router.get("/", (_req, res) => res.redirect(302, "/console/"));
  router.get("/console", (_req, res) => res.redirect(302, "/console/"));
  router.get("/widget.js", (_req, res) => {
    if (!dir || !existsSync(join(dir, "widget.js"))) throw notBuilt("/widget.js");
    res.setHeader("Cache-Control", "public, max-age=300");
    res.sendFile(join(dir, "widget.js"));
  });
  if (!built) {
    router.get(["/console/", "/console/*rest"], () => {
      throw notBuilt("/console/");
    });
    return router;
  }
  router.get("/console/", (_req, res) => sendIndex(res));
  router.use("/console/assets", express.static(join(dir, "assets"), { immutable: true, maxAge: "365d", fallthrough: true }));
  // Client-side paths (letters, digits, '-', '/': no file names, no dot-segments) are the same page.
  router.get("/console/*rest", (req, res, next) => (/^\/console\/[\w/-]*$/.test(req.path) ? sendIndex(res) : next()));
  return router;
}
