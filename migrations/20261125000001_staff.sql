-- The staff area: accounts, per-survey grants, one-time set-password links, the audit
-- log, and flags/soft deletion of responses.

CREATE TABLE users (
    id                   TEXT    PRIMARY KEY,
    email                TEXT    NOT NULL UNIQUE,
    role                 TEXT    NOT NULL CHECK (role IN ('admin', 'researcher', 'evaluator', 'interviewer')),
    -- argon2id PHC string; NULL until the user sets a password.
    password_hash        TEXT,
    disabled             BOOLEAN NOT NULL DEFAULT FALSE,
    -- "Log out everywhere": staff sessions that began before this instant are invalid.
    sessions_valid_after BIGINT  NOT NULL,
    created_at           BIGINT  NOT NULL
);

-- Which surveys an evaluator or interviewer may see.
CREATE TABLE grants (
    user_id    TEXT   NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    survey_id  TEXT   NOT NULL,
    granted_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, survey_id)
);

-- One-time "set your password" links (SHA-256 of the token only).
CREATE TABLE password_tokens (
    token_hash TEXT   PRIMARY KEY,
    user_id    TEXT   NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires_at BIGINT NOT NULL
);

-- Append-only: the application only ever inserts and reads.
CREATE TABLE audit_log (
    -- UUIDv7: sorts by time.
    id          TEXT   PRIMARY KEY,
    at          BIGINT NOT NULL,
    actor_id    TEXT,
    -- The account the action was by or (for logins) was attempted for.
    actor_email TEXT,
    action      TEXT   NOT NULL,
    survey_id   TEXT,
    target      TEXT,
    -- JSON object with the action's particulars (never answers or personal data).
    details     TEXT   NOT NULL,
    ip          TEXT
);

CREATE INDEX audit_log_by_time ON audit_log (at);
CREATE INDEX audit_log_logins_by_email ON audit_log (action, actor_email, at);
CREATE INDEX audit_log_logins_by_ip ON audit_log (action, ip, at);

-- Staff may mark a response as a test or exclude it (with a reason), or delete it softly;
-- such responses leave exports, dashboards and quotas.
ALTER TABLE responses ADD COLUMN flag TEXT;
ALTER TABLE responses ADD COLUMN flag_reason TEXT;
ALTER TABLE responses ADD COLUMN deleted_at BIGINT;
