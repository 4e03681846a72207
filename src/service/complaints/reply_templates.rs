//! Reply templates: a unit's supervisors (and administrators) keep short texts to start a reply
//! from, for the whole unit or for one complaint category.
use entity::{complaint, reply_template, unit};
use sea_orm::ConnectionTrait;
use serde::{Deserialize, Serialize};

use crate::i18n::Lang;
use crate::service::context::ServiceContext;
use crate::service::error::{FieldErrors, ServiceError};
use crate::service::identity::CurrentUser;
use crate::store;

pub const TEMPLATE_TITLE_MAX: usize = 80;
pub const TEMPLATE_BODY_MAX: usize = 2000;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReplyTemplateOut {
    pub id: i32,
    pub title: String,
    pub body: String,
    /// The category code it is for; `null`: every category.
    pub category: Option<String>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ReplyTemplateIn {
    /// 1–80 characters.
    pub title: String,
    /// 1–2000 characters.
    pub body: String,
    /// A complaint category code; absent or `null`: every category.
    #[serde(default)]
    pub category: Option<String>,
}

/// The unit by slug, when this user acts on it; 404 whatever the reason otherwise. The web edge
/// asks this before it reads a new template's body, so another unit's slug is 404, never 422.
pub async fn acted_unit(
    state: &ServiceContext,
    user: &CurrentUser,
    slug: &str,
) -> Result<unit::Model, ServiceError> {
    match store::units::by_slug(&state.db, slug).await? {
        Some(u) if user.acts_on_unit(u.id) => Ok(u),
        _ => Err(ServiceError::NotFound),
    }
}

async fn out(
    db: &impl ConnectionTrait,
    rows: Vec<reply_template::Model>,
) -> Result<Vec<ReplyTemplateOut>, sea_orm::DbErr> {
    let cats = store::complaints::all_categories(db).await?;
    Ok(rows
        .into_iter()
        .map(|t| ReplyTemplateOut {
            id: t.id,
            category: t
                .category_id
                .and_then(|c| cats.get(&c))
                .map(|c| c.code.clone()),
            title: t.title,
            body: t.body,
        })
        .collect())
}

pub async fn reply_templates(
    state: &ServiceContext,
    user: &CurrentUser,
    slug: &str,
) -> Result<Vec<ReplyTemplateOut>, ServiceError> {
    let u = acted_unit(state, user, slug).await?;
    let rows = store::reply_templates::for_unit(&state.db, u.id).await?;
    Ok(out(&state.db, rows).await?)
}

/// The templates a reply to this complaint may start from: its unit's, for its category or none.
pub async fn reply_templates_for(
    db: &impl ConnectionTrait,
    c: &complaint::Model,
) -> Result<Vec<ReplyTemplateOut>, sea_orm::DbErr> {
    let rows = store::reply_templates::for_complaint(db, c.unit_id, c.category_id).await?;
    out(db, rows).await
}

pub async fn add_reply_template(
    state: &ServiceContext,
    user: &CurrentUser,
    slug: &str,
    input: &ReplyTemplateIn,
    lang: Lang,
) -> Result<ReplyTemplateOut, ServiceError> {
    let u = acted_unit(state, user, slug).await?;
    let mut errors = FieldErrors::new();
    let title = input.title.trim();
    let body = input.body.trim();
    for (name, value, max) in [
        ("title", title, TEMPLATE_TITLE_MAX),
        ("body", body, TEMPLATE_BODY_MAX),
    ] {
        let n = value.chars().count();
        if n == 0 {
            errors.insert(name.into(), lang.t("v_required").to_string());
        } else if n > max {
            errors.insert(name.into(), lang.t("v_length").to_string());
        }
    }
    let category = match input.category.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(code) => {
            let cats = store::complaints::all_categories(&state.db).await?;
            match cats.values().find(|c| c.code == code) {
                Some(c) => Some(c.id),
                None => {
                    errors.insert("category".into(), lang.t("v_choice").to_string());
                    None
                }
            }
        }
    };
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let row = store::reply_templates::create(&state.db, u.id, category, title, body).await?;
    Ok(out(&state.db, vec![row]).await?.remove(0))
}

pub async fn remove_reply_template(
    state: &ServiceContext,
    user: &CurrentUser,
    slug: &str,
    id: i32,
) -> Result<(), ServiceError> {
    let u = acted_unit(state, user, slug).await?;
    if store::reply_templates::delete(&state.db, u.id, id).await? {
        Ok(())
    } else {
        Err(ServiceError::NotFound)
    }
}
