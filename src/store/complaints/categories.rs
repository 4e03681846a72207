//! Complaint categories: the defaults every install starts with, and the lists forms, filters
//! and reports read.
use std::collections::HashMap;

use entity::complaint_category;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, Set,
};

/// (code, Bahasa Indonesia, English, working days to resolve)
pub const DEFAULT_CATEGORIES: &[(&str, &str, &str, i32)] = &[
    (
        "waktu_tunggu",
        "Waktu tunggu terlalu lama",
        "Waiting too long",
        5,
    ),
    (
        "prosedur",
        "Prosedur rumit / persyaratan tidak jelas",
        "Complicated procedure, unclear requirements",
        14,
    ),
    (
        "perilaku_petugas",
        "Perilaku petugas",
        "Staff behaviour",
        14,
    ),
    (
        "kompetensi_petugas",
        "Kompetensi petugas",
        "Staff competence",
        14,
    ),
    (
        "biaya_pungli",
        "Biaya tidak sesuai / pungutan liar",
        "Fees, illegal levies",
        14,
    ),
    ("sarana_prasarana", "Sarana dan prasarana", "Facilities", 14),
    (
        "sistem_aplikasi",
        "Sistem atau aplikasi tidak berfungsi",
        "System or application down",
        5,
    ),
    (
        "informasi",
        "Informasi tidak jelas",
        "Unclear information",
        5,
    ),
    (
        "korupsi",
        "Korupsi / gratifikasi",
        "Corruption, gratification",
        60,
    ),
    ("lainnya", "Lainnya", "Other", 14),
];

/// The default categories and holidays, each only while its table is empty (a first start).
pub async fn ensure_defaults(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    if complaint_category::Entity::find().count(db).await? == 0 {
        for (i, (code, id, en, days)) in DEFAULT_CATEGORIES.iter().enumerate() {
            complaint_category::ActiveModel {
                code: Set(code.to_string()),
                name_id: Set(id.to_string()),
                name_en: Set(en.to_string()),
                resolve_days: Set(*days),
                sort: Set(i as i32),
                active: Set(true),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
    }
    super::holidays::seed_if_empty(db).await
}

pub async fn categories(
    db: &impl ConnectionTrait,
) -> Result<Vec<complaint_category::Model>, DbErr> {
    complaint_category::Entity::find()
        .filter(complaint_category::Column::Active.eq(true))
        .order_by_asc(complaint_category::Column::Sort)
        .all(db)
        .await
}

pub async fn all_categories(
    db: &impl ConnectionTrait,
) -> Result<HashMap<i32, complaint_category::Model>, DbErr> {
    Ok(complaint_category::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect())
}
