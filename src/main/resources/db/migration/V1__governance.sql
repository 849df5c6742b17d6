-- Virtual keys, teams and the spend log of the gateway's governance (LiteLLM's LiteLLM_VerificationToken,
-- LiteLLM_TeamTable and LiteLLM_SpendLogs, with a bg_ prefix so they can share a database with LiteLLM's own).
-- Keys are never stored, only the hex SHA-256 of each.

CREATE TABLE bg_teams (
    team_id         text PRIMARY KEY,
    team_alias      text,
    models          text[]      NOT NULL DEFAULT '{}',
    max_budget      numeric,
    budget_duration text,
    budget_reset_at timestamptz,
    spend           numeric     NOT NULL DEFAULT 0,
    rpm_limit       integer,
    tpm_limit       integer,
    blocked         boolean     NOT NULL DEFAULT false,
    metadata        jsonb       NOT NULL DEFAULT '{}',
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE bg_keys (
    token_hash            text PRIMARY KEY,
    key_name              text,
    -- UNIQUE lets any number of keys have no alias (NULLs are distinct).
    key_alias             text UNIQUE,
    -- No foreign key: deleting a team clears team_id of its keys in the same transaction (PgGovernanceStore).
    team_id               text,
    user_id               text,
    models                text[]      NOT NULL DEFAULT '{}',
    max_budget            numeric,
    budget_duration       text,
    budget_reset_at       timestamptz,
    spend                 numeric     NOT NULL DEFAULT 0,
    rpm_limit             integer,
    tpm_limit             integer,
    max_parallel_requests integer,
    expires               timestamptz,
    blocked               boolean     NOT NULL DEFAULT false,
    metadata              jsonb       NOT NULL DEFAULT '{}',
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX bg_keys_team_id ON bg_keys (team_id);
CREATE INDEX bg_keys_user_id ON bg_keys (user_id);
CREATE INDEX bg_keys_created_at ON bg_keys (created_at DESC);

-- request_id is the primary key so that a batch written again after a timeout (its first write may have committed)
-- is not counted twice: rows are inserted with ON CONFLICT DO NOTHING.
CREATE TABLE bg_spend_logs (
    request_id         text PRIMARY KEY,
    call_type          text,
    api_key            text,
    team_id            text,
    user_id            text,
    model              text,
    bedrock_model      text,
    prompt_tokens      bigint      NOT NULL DEFAULT 0,
    completion_tokens  bigint      NOT NULL DEFAULT 0,
    cache_read_tokens  bigint      NOT NULL DEFAULT 0,
    cache_write_tokens bigint      NOT NULL DEFAULT 0,
    spend              numeric     NOT NULL DEFAULT 0,
    status             text,
    http_status        integer,
    start_time         timestamptz NOT NULL,
    end_time           timestamptz
);

CREATE INDEX bg_spend_logs_api_key ON bg_spend_logs (api_key, start_time);
CREATE INDEX bg_spend_logs_team_id ON bg_spend_logs (team_id, start_time);
CREATE INDEX bg_spend_logs_user_id ON bg_spend_logs (user_id, start_time);
CREATE INDEX bg_spend_logs_start_time ON bg_spend_logs (start_time);
