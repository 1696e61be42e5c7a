import { randomBytes } from "node:crypto";
import pg from "pg";
import { PgKeywordIndex } from "../../src/adapters/pg-keyword-index.js";
import { openPgStore, type PgDocumentStore } from "../../src/adapters/pg-store.js";
import type { KeywordIndexUnderTest } from "./keyword-index.conformance.js";
import { repositoryKeywordIndex } from "./sqlite-harness.js";

/** The test server (trust auth); TEST_DATABASE_URL overrides it. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** A PostgreSQL store in a fresh schema of its own, dropped on close. */
export async function openTempPgStore(): Promise<{ store: PgDocumentStore; schema: string; close(): Promise<void> }> {
  const schema = `gl_test_${process.pid}_${randomBytes(6).toString("hex")}`;
  const store = await openPgStore({ connectionString: TEST_DATABASE_URL, schema, max: 4 });
  return {
    store,
    schema,
    close: async () => {
      await store.close();
      await dropSchema(schema);
    },
  };
}

export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/** The PostgreSQL keyword index fed through its repository. */
export async function pgKeywordIndex(): Promise<KeywordIndexUnderTest> {
  const { store, close } = await openTempPgStore();
  return repositoryKeywordIndex(store, store.keywordIndex, close);
}

/**
 * The same with a postings budget of a few postings, so nearly every query takes the MaxScore rounds (candidates
 * from the rarest terms, completion, growing the essential set) that large stores take.
 */
export async function pgKeywordIndexTinyBudget(): Promise<KeywordIndexUnderTest> {
  const { store, close } = await openTempPgStore();
  return repositoryKeywordIndex(store, new PgKeywordIndex(store.pool, undefined, 3), close);
}
