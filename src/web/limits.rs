//! Rate limits on guessing: invitation links and resume codes are unguessable, but a
//! client that tries many of them is slowed down anyway (per IP address).

use std::net::IpAddr;
use std::num::NonZeroU32;

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use super::error::AppError;

pub struct AttemptLimiter {
    limiter: DefaultKeyedRateLimiter<IpAddr>,
}

impl AttemptLimiter {
    /// `per_minute` attempts per IP address, all of which may come at once.
    pub fn new(per_minute: u32) -> AttemptLimiter {
        let n = NonZeroU32::new(per_minute.max(1)).expect("at least 1");
        AttemptLimiter {
            limiter: RateLimiter::keyed(Quota::per_minute(n)),
        }
    }

    /// Count an attempt from `ip`; an error once it has used up its quota.
    pub fn attempt(&self, ip: IpAddr) -> Result<(), AppError> {
        self.limiter
            .check_key(&ip)
            .map_err(|_| AppError::TooManyAttempts)
    }

    /// Forget addresses that have not tried anything lately (bounded memory).
    pub fn forget_idle(&self) {
        self.limiter.retain_recent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_address_has_its_own_quota() {
        let l = AttemptLimiter::new(3);
        let a: IpAddr = "192.0.2.1".parse().unwrap();
        let b: IpAddr = "192.0.2.2".parse().unwrap();
        for _ in 0..3 {
            assert!(l.attempt(a).is_ok());
        }
        assert!(matches!(l.attempt(a), Err(AppError::TooManyAttempts)));
        assert!(l.attempt(b).is_ok(), "another address is not affected");
    }
}
