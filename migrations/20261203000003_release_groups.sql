-- For a filtered report view: how many responses of the filtered group it described, so
-- that a later view of the same group moves on only when enough new responses of that
-- group have come in (not merely enough in the whole survey).
ALTER TABLE releases ADD COLUMN group_responses BIGINT;
