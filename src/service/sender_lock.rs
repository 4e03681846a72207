//! One chat sender, one message at a time, on any number of nodes. Gateways deliver fast and
//! in parallel; two messages of one sender read-modify-writing the same session would store a
//! finished survey twice or lose an answer. A message is applied under its sender's lock:
//! in process, one of a few mutexes picked by the sender's hash (all SQLite needs: one node);
//! on PostgreSQL also a transaction-scoped advisory lock on the same hash, held by the
//! transaction that reads and saves the session, so a message on another node waits too.
use std::sync::Arc;

use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr, Statement,
    TransactionTrait,
};
use tokio::sync::{Mutex, OwnedMutexGuard, OwnedSemaphorePermit, Semaphore};

/// In-process mutexes: senders sharing one only wait for each other's few milliseconds.
const STRIPES: usize = 64;
/// The advisory lock class of chat senders (the two-key form: it never meets the one-key
/// locks of partitions and rollups).
const PG_CLASS: i32 = 0x5355_4152;

pub struct SenderLocks {
    stripes: Vec<Arc<Mutex<()>>>,
    /// Each message applied on PostgreSQL holds one pooled connection for its lock while the
    /// intake may need another: at most this many at once, so the pool never runs dry.
    connections: Arc<Semaphore>,
}

/// A sender's lock, held until dropped (or, on PostgreSQL, until `txn` ends).
pub struct Held {
    _stripe: OwnedMutexGuard<()>,
    _permit: Option<OwnedSemaphorePermit>,
    /// PostgreSQL: the transaction holding the advisory lock; the session is read and saved in
    /// it and its commit lets the sender's next message in.
    pub txn: Option<DatabaseTransaction>,
}

/// A stable number for a sender key (its first eight bytes of SHA-256).
fn number(key: &str) -> u64 {
    let hex = crate::security::sha256_hex(key);
    u64::from_str_radix(&hex[..16], 16).unwrap_or(0)
}

impl SenderLocks {
    pub fn new(pool_size: u32) -> SenderLocks {
        SenderLocks {
            stripes: (0..STRIPES).map(|_| Arc::new(Mutex::new(()))).collect(),
            connections: Arc::new(Semaphore::new((pool_size as usize / 4).max(1))),
        }
    }

    /// Waits for `key`'s turn (e.g. `sms:<sender hash>`).
    pub async fn lock(&self, db: &DatabaseConnection, key: &str) -> Result<Held, DbErr> {
        let n = number(key);
        let stripe = self.stripes[(n % STRIPES as u64) as usize]
            .clone()
            .lock_owned()
            .await;
        if db.get_database_backend() != DbBackend::Postgres {
            return Ok(Held {
                _stripe: stripe,
                _permit: None,
                txn: None,
            });
        }
        let permit = self
            .connections
            .clone()
            .acquire_owned()
            .await
            .map_err(|e| DbErr::Custom(e.to_string()))?;
        let txn = db.begin().await?;
        txn.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT pg_advisory_xact_lock($1, $2)",
            [PG_CLASS.into(), (n as u32 as i32).into()],
        ))
        .await?;
        Ok(Held {
            _stripe: stripe,
            _permit: Some(permit),
            txn: Some(txn),
        })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_sender_always_gets_the_same_number() {
        assert_eq!(super::number("sms:abc"), super::number("sms:abc"));
        assert_ne!(super::number("sms:abc"), super::number("whatsapp:abc"));
    }
}
