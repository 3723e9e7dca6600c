-- Sign-in security: attempts counted before the password is checked (so guesses sent at
-- the same moment are throttled too), and two-factor sign-in with TOTP (RFC 6238).

-- One row per sign-in attempt (password or second factor) that is in progress or
-- failed, within the throttle's window: an attempt is stored before its check, and
-- removed when it succeeds. Older rows are deleted by the server's upkeep.
CREATE TABLE login_attempts (
    id    TEXT   PRIMARY KEY,
    email TEXT   NOT NULL,
    ip    TEXT   NOT NULL,
    at    BIGINT NOT NULL
);

CREATE INDEX login_attempts_by_email ON login_attempts (email, at);
CREATE INDEX login_attempts_by_ip ON login_attempts (ip, at);

-- The TOTP secret (base32) of an account with two-factor sign-in, the time it was
-- confirmed (NULL while enrolment is unfinished), and the last time step a code was
-- accepted for (a code works once).
ALTER TABLE users ADD COLUMN totp_secret TEXT;
ALTER TABLE users ADD COLUMN totp_enabled_at BIGINT;
ALTER TABLE users ADD COLUMN totp_last_step BIGINT;

-- One-time recovery codes (SHA-256 of the code only); a used code is deleted.
CREATE TABLE recovery_codes (
    user_id   TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    PRIMARY KEY (user_id, code_hash)
);
