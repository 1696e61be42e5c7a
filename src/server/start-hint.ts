/** What the start-up line needs to know about the running service. */
export interface StartHintInput {
  url: string;
  processes: number;
  /** API_KEYS is set: every suggested request needs a key. */
  keys: boolean;
  /** The demo corpus is ingested on first start (DEMO_CORPUS): a demo question has something to answer from. */
  demo: boolean;
}

/**
 * The line printed once the service listens: where it is, the console, and a first request to try. Without the demo
 * corpus the store starts empty, so a demo question would only be refused: the hint is an upload instead.
 */
export function startHint({ url, processes, keys, demo }: StartHintInput): string {
  const shape = processes > 1 ? ` with ${processes} serving processes` : "";
  // With API_KEYS set every route needs a key: a suggested command without one would only show a 401.
  const auth = keys ? " -H 'authorization: Bearer YOUR_KEY'" : "";
  const tryThis = demo
    ? `curl -s ${url}/answer${auth} -H 'content-type: application/json' -d '{"question":"How do I reset the hub?"}'`
    : `curl -s ${url}/documents${auth} -F file=@manual.pdf, then POST ${url}/answer`;
  return `groundline listening on ${url}${shape}  (console: ${url}/console/; try: ${tryThis})\n`;
}
