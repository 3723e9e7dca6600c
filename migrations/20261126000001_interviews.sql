-- Semi-structured interviews recorded by interviewers in the staff area. What was
-- recorded (header, consent, per-topic notes, probes, skip reasons, paradata time,
-- structured answers) is one JSON document, written with a revision so two tabs or a
-- stale autosave cannot overwrite newer work.

CREATE TABLE interviews (
    id             TEXT    PRIMARY KEY,
    survey_id      TEXT    NOT NULL,
    survey_version TEXT    NOT NULL,
    interviewer_id TEXT    NOT NULL REFERENCES users (id),
    status         TEXT    NOT NULL CHECK (status IN ('in_progress', 'complete')),
    data           TEXT    NOT NULL,
    revision       BIGINT  NOT NULL,
    created_at     BIGINT  NOT NULL,
    updated_at     BIGINT  NOT NULL,
    finished_at    BIGINT
);

CREATE INDEX interviews_by_interviewer ON interviews (interviewer_id, updated_at);
CREATE INDEX interviews_by_survey ON interviews (survey_id, status);
