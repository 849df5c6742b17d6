-- Responses kept for OpenAI's Responses API (previous_response_id, GET /v1/responses/{id} and its input_items), one
-- row a response, visible to its owner (the key that made it) until expires_at (gateway.responses.retention after it
-- was saved); expired rows are deleted by a periodic purge (PgResponseStore).
-- The three JSON documents are bytea, not jsonb: the gateway writes and reads them whole and never queries inside
-- them, jsonb would re-serialise them (key order, whitespace, duplicate keys) and parse them on every write, and it
-- refuses \u0000 in strings, which a model's text may hold. Large values are compressed out of line (TOAST) either way.

CREATE TABLE bg_responses (
    id          text PRIMARY KEY,
    owner       text        NOT NULL,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    response    bytea       NOT NULL,
    input_items bytea       NOT NULL,
    context     bytea       NOT NULL
);

CREATE INDEX bg_responses_expires_at ON bg_responses (expires_at);
