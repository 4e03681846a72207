use sea_orm::entity::prelude::*;

/// What one service's tickets of one WIB day measured (minutes; histograms by whole minute).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "queue_days")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub unit_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub day: Date,
    #[sea_orm(primary_key, auto_increment = false)]
    pub service: String,
    pub tickets: i64,
    pub no_shows: i64,
    pub waited: i64,
    pub wait_sum: f64,
    pub wait_sumsq: f64,
    pub judged: i64,
    pub over_standard: i64,
    pub served: i64,
    pub service_sum: f64,
    pub service_sumsq: f64,
    /// `{"minute": count}`.
    #[sea_orm(column_type = "Text")]
    pub wait_hist: String,
    #[sea_orm(column_type = "Text")]
    pub service_hist: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
