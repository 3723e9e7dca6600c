-- Personal invitations (access = "token") and resume codes ("save and continue later").
-- Only SHA-256 hashes of tokens and codes are stored: a database leak reveals no links.

CREATE TABLE invitations (
    id          TEXT   PRIMARY KEY,
    survey_id   TEXT   NOT NULL,
    token_hash  TEXT   NOT NULL UNIQUE,
    -- Reserved when the invitation is made: one token, one response.
    response_id TEXT   NOT NULL UNIQUE,
    -- The invitation CSV row (column -> value), as a JSON object.
    attributes  TEXT   NOT NULL,
    created_at  BIGINT NOT NULL
);

CREATE INDEX invitations_by_survey ON invitations (survey_id);

CREATE TABLE resume_codes (
    code_hash   TEXT   PRIMARY KEY,
    response_id TEXT   NOT NULL,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL
);

CREATE INDEX resume_codes_by_response ON resume_codes (response_id);
