-- Survey versions and responses. Portable SQL: the same statements run on SQLite and
-- PostgreSQL. Times are Unix milliseconds (UTC); answers are a JSON document.

CREATE TABLE survey_versions (
    survey_id     TEXT   NOT NULL,
    version       TEXT   NOT NULL,
    source        TEXT   NOT NULL,
    first_seen_at BIGINT NOT NULL,
    PRIMARY KEY (survey_id, version)
);

CREATE TABLE responses (
    id             TEXT   PRIMARY KEY,
    survey_id      TEXT   NOT NULL,
    survey_version TEXT   NOT NULL,
    status         TEXT   NOT NULL CHECK (status IN ('in_progress', 'complete')),
    language       TEXT   NOT NULL,
    current_page   TEXT   NOT NULL,
    answers        TEXT   NOT NULL,
    revision       BIGINT NOT NULL,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL,
    submitted_at   BIGINT,
    CHECK ((status = 'complete') = (submitted_at IS NOT NULL)),
    FOREIGN KEY (survey_id, survey_version) REFERENCES survey_versions (survey_id, version)
);

CREATE INDEX responses_by_survey ON responses (survey_id, status, submitted_at, id);
