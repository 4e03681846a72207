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
