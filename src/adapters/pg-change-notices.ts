import pg from "pg";
import type { ChangeNotices, ChangeSubscription } from "../ports/change-log.js";
import { checkSchemaName } from "./pg-schema.js";

/**
 * The one NOTIFY channel of every Groundline schema in a database; the payload is `<schema> <last seq>`, so a channel
 * name never has to carry (and be truncated to 63 bytes with) a long schema name.
 */
export const CHANGES_CHANNEL = "groundline_changes";

/** The statement a chunk-writing transaction ends with: delivered at commit (never for a rolled-back write). */
export const NOTIFY_CHANGES = `SELECT pg_notify('${CHANGES_CHANNEL}', $1 || ' ' || coalesce(max(seq), 0)) FROM changes`;

export interface PgChangeNoticesOptions {
  connectionString: string;
  schema: string;
  /** First reconnect delay; doubles up to `maxRetryMs` (defaults 250 ms and 5 s). */
  retryMs?: number;
  maxRetryMs?: number;
  /** Told about a lost connection (the subscription reconnects by itself). */
  onError?: (err: Error) => void;
}

/**
 * LISTEN on a dedicated connection (a pooled one would be handed to other queries). A dropped connection (server
 * restart, network cut) is re-opened with backoff; after each successful LISTEN the subscriber is called without a
 * seq, so it catches up with any notice sent while nobody listened.
 */
export class PgChangeNotices implements ChangeNotices {
  constructor(private readonly options: PgChangeNoticesOptions) {
    checkSchemaName(options.schema);
  }

  subscribe(onChange: (seq: number | undefined) => void): ChangeSubscription {
    return new PgSubscription(this.options, onChange);
  }
}

class PgSubscription implements ChangeSubscription {
  private client: pg.Client | undefined;
  private closed = false;
  private connected = false;
  private retryMs: number;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: PgChangeNoticesOptions, private readonly onChange: (seq: number | undefined) => void) {
    this.retryMs = options.retryMs ?? 250;
    void this.connect();
  }

  get listening(): boolean {
    return this.connected;
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client({
      connectionString: this.options.connectionString, connectionTimeoutMillis: 5000, application_name: `groundline:${this.options.schema}:listen`,
      // An idle LISTEN connection sends nothing: only keepalive notices a peer that vanished without a reset.
      keepAlive: true, keepAliveInitialDelayMillis: 10_000,
    });
    this.client = client;
    // Either event means this connection is gone; `lost` runs once per connection.
    let lost = false;
    const onLost = (err?: Error): void => {
      if (lost) return;
      lost = true;
      this.connected = false;
      if (err) this.options.onError?.(err);
      client.end().catch(() => undefined);
      this.retry();
    };
    client.on("error", onLost);
    client.on("end", () => onLost());
    client.on("notification", (msg) => this.notified(msg.payload));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGES_CHANNEL}`);
    } catch (err) {
      onLost(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    if (this.closed) { await client.end().catch(() => undefined); return; }
    this.connected = true;
    this.retryMs = this.options.retryMs ?? 250;
    this.onChange(undefined);
  }

  private notified(payload: string | undefined): void {
    const [schema, seq] = (payload ?? "").split(" ");
    if (schema === this.options.schema && seq !== undefined && /^\d+$/.test(seq)) this.onChange(Number(seq));
  }

  private retry(): void {
    if (this.closed || this.timer) return;
    const delay = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, this.options.maxRetryMs ?? 5000);
    this.timer = setTimeout(() => { this.timer = undefined; void this.connect(); }, delay);
    this.timer.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.connected = false;
    if (this.timer) clearTimeout(this.timer);
    await this.client?.end().catch(() => undefined);
  }
}
