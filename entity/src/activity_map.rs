use sea_orm::entity::prelude::*;

/// A planner's mapping of an activity or course name that is no programme's code to a
/// catalogue programme: its completions then count with the programme's JP.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "activity_maps")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub activity: String,
    pub programme_code: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
