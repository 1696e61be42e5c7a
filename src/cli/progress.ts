import type { ProgressEvent } from "../../ingest/ingest-files.js";

/**
 * A live progress line on stderr: redrawn in place on a terminal, one line every few seconds otherwise
 * (CI logs), so stdout stays clean for `--json`.
 */
export type ProgressSnapshot = ProgressEvent;

export class ProgressLine {
  private readonly started = Date.now();
  private lastDraw = 0;
  private readonly tty: boolean;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {
    this.tty = stream.isTTY === true;
  }

  update(p: ProgressSnapshot): void {
    const now = Date.now();
    const interval = this.tty ? 100 : 5000;
    if (now - this.lastDraw < interval && p.files < p.totalFiles) return;
    this.lastDraw = now;
    const secs = Math.max((now - this.started) / 1000, 0.001);
    const line =
      `files ${p.files}/${p.totalFiles}  pages/s ${(p.pages / secs).toFixed(1)}  chunks/s ${(p.chunks / secs).toFixed(0)}` +
      `  errors ${p.errors}${p.currentFile ? `  ${shorten(p.currentFile)}` : ""}`;
    this.stream.write(this.tty ? `\r\x1b[2K${line}` : `${line}\n`);
  }

  done(): void {
    if (this.tty) this.stream.write("\n");
  }
}

function shorten(path: string): string {
  return path.length > 60 ? `…${path.slice(-59)}` : path;
}
