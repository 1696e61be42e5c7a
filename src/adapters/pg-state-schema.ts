/**
 * Migration 2 of the PostgreSQL schema: the state that several machines must share besides the documents (see
 * pg-schema.ts, which applies it under the migration lock). Each table mirrors its SQLite counterpart in DATA_DIR;
 * times that SQLite keeps as epoch ms stay epoch ms (bigint), ISO 8601 text stays text, so rows copy across unchanged.
 */
export const STATE_MIGRATION = `
  -- Uploads waiting for their job: the bytes in parts (bytea), so a worker on any machine can read them.
  CREATE TABLE uploads (
    path text COLLATE "C" PRIMARY KEY,
    content_hash text NOT NULL,
    size bigint NOT NULL,
    created_at bigint NOT NULL
  );
  CREATE TABLE upload_parts (
    path text COLLATE "C" NOT NULL REFERENCES uploads (path) ON DELETE CASCADE,
    part integer NOT NULL,
    bytes bytea NOT NULL,
    PRIMARY KEY (path, part)
  );

  CREATE TABLE job_ledger (
    id text PRIMARY KEY,
    collection text NOT NULL,
    document_id text NOT NULL,
    file_name text NOT NULL,
    upload_path text NOT NULL,
    data text NOT NULL,
    state text NOT NULL,
    result text,
    error text,
    created_at bigint NOT NULL,
    finished_at bigint
  );
  CREATE INDEX job_ledger_unfinished ON job_ledger (state, created_at);
  CREATE INDEX job_ledger_upload ON job_ledger (upload_path);
  CREATE INDEX job_ledger_finished ON job_ledger (finished_at);

  CREATE TABLE curated_versions (
    collection text COLLATE "C" NOT NULL,
    id text COLLATE "C" NOT NULL,
    version integer NOT NULL CHECK (version >= 1),
    question text NOT NULL,
    answer text NOT NULL,
    author text NOT NULL,
    created_at text NOT NULL,
    PRIMARY KEY (collection, id, version)
  );
  CREATE INDEX curated_versions_id ON curated_versions (id);

  CREATE TABLE served (
    id text PRIMARY KEY,
    kind text NOT NULL CHECK (kind IN ('answer', 'suggestion')),
    question text NOT NULL,
    outcome text NOT NULL CHECK (outcome IN ('answered', 'refused', 'escalated', 'degraded')),
    confidence double precision NOT NULL,
    language text,
    key_name text,
    created_at text COLLATE "C" NOT NULL,
    -- Collections the record was served within; NULL: unrestricted (visible to unlimited viewers only).
    collections text[]
  );
  CREATE INDEX served_created ON served (created_at);
  CREATE TABLE served_citations (
    served_id text NOT NULL REFERENCES served (id) ON DELETE CASCADE,
    document_id text COLLATE "C" NOT NULL,
    PRIMARY KEY (served_id, document_id)
  );
  CREATE TABLE feedback (
    id bigserial PRIMARY KEY,
    answer_id text NOT NULL REFERENCES served (id) ON DELETE CASCADE,
    rating text NOT NULL CHECK (rating IN ('up', 'down')),
    comment text,
    corrected_answer text,
    key_name text,
    created_at text NOT NULL
  );
  CREATE INDEX feedback_answer ON feedback (answer_id);

  -- Leases shared by every machine (first start); expiry is the database's clock, not the machines'.
  CREATE TABLE leases (
    name text PRIMARY KEY,
    holder text NOT NULL,
    expires_at timestamptz NOT NULL
  );
`;

/**
 * Migration 3: the review queue of /feedback corrections (as SQLite analytics.db migration 3) and the proposer credit
 * on curated versions (as SQLite curated.db migration 2). Corrections recorded before it become open proposals.
 */
export const PROPOSALS_MIGRATION = `
  -- The served answer (redacted), shown beside a correction proposed for it.
  ALTER TABLE served ADD COLUMN answer text;
  ALTER TABLE feedback ADD COLUMN review_state text CHECK (review_state IN ('open', 'accepted', 'dismissed'));
  ALTER TABLE feedback ADD COLUMN reviewed_by text;
  ALTER TABLE feedback ADD COLUMN reviewed_at text;
  ALTER TABLE feedback ADD COLUMN curated_id text;
  UPDATE feedback SET review_state = 'open' WHERE corrected_answer IS NOT NULL;
  CREATE INDEX feedback_review ON feedback (review_state, created_at);

  -- Who proposed a version's text (an accepted /feedback correction); NULL for a version written directly.
  ALTER TABLE curated_versions ADD COLUMN proposed_by text;
`;
