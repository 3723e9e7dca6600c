-- What left anketa for people who may not see identified data: every report view
-- (filtered or not) and anonymized export an evaluator received, with the data it was
-- made of, so that later views are checked against earlier ones (docs/anonymization.md,
-- "Releases").

CREATE TABLE releases (
    -- UUIDv7: sorts by time.
    id              TEXT   PRIMARY KEY,
    survey_id       TEXT   NOT NULL,
    -- 'report' or 'export'.
    kind            TEXT   NOT NULL CHECK (kind IN ('report', 'export')),
    -- The filter variable and `variable:code` of a filtered report view.
    filter_variable TEXT,
    filter          TEXT,
    -- The release covers the complete responses submitted before this time (ms).
    cutoff          BIGINT NOT NULL,
    responses       BIGINT NOT NULL,
    user_id         TEXT,
    at              BIGINT NOT NULL
);

CREATE INDEX releases_by_survey ON releases (survey_id, kind, at);
