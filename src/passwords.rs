//! Password hashing with argon2id (the `argon2` crate's defaults: 19 MiB, 2 passes, one
//! lane, as OWASP recommends). Hashing is slow on purpose, so it runs on the blocking
//! pool, and at most one hash per core runs at a time: a burst of sign-ins waits its
//! turn instead of taking 19 MiB and a thread each.

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

/// Hashes running at once: one per core.
fn slots() -> &'static std::sync::Arc<tokio::sync::Semaphore> {
    static SLOTS: std::sync::OnceLock<std::sync::Arc<tokio::sync::Semaphore>> =
        std::sync::OnceLock::new();
    SLOTS.get_or_init(|| {
        std::sync::Arc::new(tokio::sync::Semaphore::new(
            std::thread::available_parallelism().map_or(2, usize::from),
        ))
    })
}

/// A hashing slot, held by the blocking job itself (a request dropped half-way, say by
/// a client that hangs up, frees it only when its hash is done).
async fn slot() -> tokio::sync::OwnedSemaphorePermit {
    slots()
        .clone()
        .acquire_owned()
        .await
        .expect("the semaphore is never closed")
}

/// A PHC string (`$argon2id$v=19$...`) for `password`.
pub async fn hash(password: String) -> String {
    let slot = slot().await;
    tokio::task::spawn_blocking(move || {
        let _slot = slot;
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .expect("argon2 with default parameters cannot fail")
            .to_string()
    })
    .await
    .expect("the hashing task does not panic")
}

/// Whether `password` matches `phc`. With no stored hash (unknown account or no password
/// set yet) a fixed hash is checked instead, so the answer takes the same time and an
/// attacker cannot tell which accounts exist.
pub async fn verify(password: String, phc: Option<String>) -> bool {
    let slot = slot().await;
    tokio::task::spawn_blocking(move || {
        let _slot = slot;
        let known = phc.is_some();
        let phc = phc.unwrap_or_else(|| decoy().to_string());
        let Ok(parsed) = PasswordHash::new(&phc) else {
            return false;
        };
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
            && known
    })
    .await
    .unwrap_or(false)
}

fn decoy() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(b"no such account", &salt)
            .expect("argon2")
            .to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_are_salted() {
        let a = hash("correct horse battery staple".into()).await;
        let b = hash("correct horse battery staple".into()).await;
        assert!(a.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{a}");
        assert_ne!(a, b, "a fresh salt each time");
        assert!(verify("correct horse battery staple".into(), Some(a.clone())).await);
        assert!(!verify("Correct horse battery staple".into(), Some(a)).await);
        assert!(
            !verify("no such account".into(), None).await,
            "no stored hash never matches, even the decoy's password"
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn no_more_hashes_run_at_once_than_there_are_cores() {
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        let phc = hash("correct horse battery staple".into()).await;
        let guesses: Vec<_> = (0..cores * 4)
            .map(|i| tokio::spawn(verify(format!("guess {i}"), Some(phc.clone()))))
            .collect();
        // While they run, they hold the slots (at most one per core, by construction).
        let mut busiest = 0;
        while guesses.iter().any(|g| !g.is_finished()) {
            busiest = busiest.max(cores - slots().available_permits());
            tokio::task::yield_now().await;
        }
        for g in guesses {
            assert!(!g.await.unwrap());
        }
        assert!(busiest > 0, "the guesses took the hashing slots");
    }
}
