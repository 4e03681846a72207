//! Who is acting: a staff member with a role and, for supervisors, their units. The web edge
//! finds them from a session or a token; every use case decides what they may see and do.
use crate::security::constant_time_eq;
use crate::service::error::ServiceError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Admin,
    Supervisor,
    Planner,
}

impl Role {
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "admin" => Some(Role::Admin),
            "supervisor" => Some(Role::Supervisor),
            "planner" => Some(Role::Planner),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Supervisor => "supervisor",
            Role::Planner => "planner",
        }
    }
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct CurrentUser {
    pub id: i32,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub unit_ids: Vec<i32>,
    /// The session's CSRF token; empty for bearer-token callers, who are not exposed to CSRF.
    #[serde(skip)]
    pub csrf: String,
    #[serde(skip)]
    pub via_token: bool,
}

impl CurrentUser {
    /// Whether this user may read this unit's data. Callers answer 404 when not, so that
    /// other units' ids cannot be probed.
    pub fn sees_unit(&self, unit_id: i32) -> bool {
        match self.role {
            Role::Admin | Role::Planner => true,
            Role::Supervisor => self.unit_ids.contains(&unit_id),
        }
    }
    /// Whether this user may act on this unit (planners read only).
    pub fn acts_on_unit(&self, unit_id: i32) -> bool {
        match self.role {
            Role::Admin => true,
            Role::Planner => false,
            Role::Supervisor => self.unit_ids.contains(&unit_id),
        }
    }
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }
    pub fn require_admin(&self) -> Result<(), ServiceError> {
        if self.is_admin() {
            Ok(())
        } else {
            Err(ServiceError::Forbidden)
        }
    }
    pub fn check_csrf(&self, submitted: Option<&str>) -> bool {
        self.via_token
            || submitted.is_some_and(|s| constant_time_eq(s.as_bytes(), self.csrf.as_bytes()))
    }
}

/// Signs `email` in with `password`: the new session's token, or `None` when the address is
/// unknown, the password wrong or the account inactive (one answer for all three, and the same
/// hashing work, so none can be told apart). The edge throttles attempts before calling this.
pub async fn login(
    db: &sea_orm::DatabaseConnection,
    email: &str,
    password: String,
    session_ttl_hours: i64,
) -> Result<Option<String>, ServiceError> {
    let user = crate::store::users::find_by_email(db, email).await?;
    let hash = user.as_ref().map_or_else(
        || crate::security::dummy_hash().to_string(),
        |u| u.password_hash.clone(),
    );
    // Argon2 takes tens of milliseconds: off the async workers.
    let ok =
        tokio::task::spawn_blocking(move || crate::security::verify_password(&password, &hash))
            .await
            .map_err(|e| ServiceError::Internal(e.into()))?;
    let Some(user) = user.filter(|u| ok && u.active) else {
        return Ok(None);
    };
    let token = crate::store::users::create_session(db, user.id, session_ttl_hours).await?;
    crate::store::users::touch_login(db, user.id).await?;
    Ok(Some(token))
}
