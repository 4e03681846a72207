//! What response intake needs about a unit (the unit, its active survey version with the
//! parsed definition, its services), kept in memory for a few seconds. Without it every
//! response costs five queries and a JSON parse of the definition.
//!
//! Staff writes in this process clear it at once; other processes behind the same database
//! see a change within the TTL.
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, DbErr};

use crate::store;

pub struct UnitContext {
    pub unit: entity::unit::Model,
    pub active: Option<store::surveys::Active>,
    pub services: Vec<entity::service::Model>,
}

pub struct UnitCache {
    ttl: Duration,
    entries: Mutex<HashMap<String, (Instant, Arc<UnitContext>)>>,
}

impl UnitCache {
    pub fn new(ttl: Duration) -> Self {
        UnitCache {
            ttl,
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// The live (not archived) unit with this slug, or `None`.
    pub async fn get(
        &self,
        db: &impl ConnectionTrait,
        slug: &str,
    ) -> Result<Option<Arc<UnitContext>>, DbErr> {
        if let Some((at, ctx)) = self
            .entries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(slug)
            && at.elapsed() < self.ttl
        {
            return Ok(Some(ctx.clone()));
        }
        let Some(unit) = store::units::by_slug(db, slug)
            .await?
            .filter(|u| u.archived_at.is_none())
        else {
            return Ok(None);
        };
        let ctx = Arc::new(UnitContext {
            active: store::surveys::active_for_unit(db, unit.id).await?,
            services: store::units::services(db, unit.id, false).await?,
            unit,
        });
        let mut map = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() > 10_000 {
            map.clear();
        }
        map.insert(slug.to_string(), (Instant::now(), ctx.clone()));
        Ok(Some(ctx))
    }

    pub fn clear(&self) {
        self.entries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }
}
