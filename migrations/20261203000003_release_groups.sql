-- For a filtered report view: how many responses of the filtered group it described, so
-- that a later view of the same group moves on only when enough new responses of that
-- group have come in (not merely enough in the whole survey).
ALTER TABLE releases ADD COLUMN group_responses BIGINT;

-- The responses a release described, as a digest of their ids (sorted, SHA-256): a later
-- view sees that one was deleted and another imported with an earlier date even when the
-- count before the release's cutoff is the same.
ALTER TABLE releases ADD COLUMN described TEXT;

-- For a filtered view: the same digest of the group's responses it described.
ALTER TABLE releases ADD COLUMN group_described TEXT;
