-- One request at a time decides what may be published of a survey and records it:
-- two evaluators' downloads (or report views) at the same moment would otherwise both be
-- planned against the same earlier releases, and could differ by a single person. The
-- lease expires, so an instance that stops while holding it blocks nobody for long.
CREATE TABLE release_leases (
    survey_id  TEXT   PRIMARY KEY,
    holder     TEXT   NOT NULL,
    expires_at BIGINT NOT NULL
);
