use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Recommendations the engine withdrew (the signal went away) were told apart from a planner's
/// dismissal only by the Indonesian sentence in `dismiss_reason`: a flag says it instead.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("training_recommendations")
                .add_column(
                    ColumnDef::new("withdrawn")
                        .boolean()
                        .not_null()
                        .default(false),
                )
                .to_owned(),
        )
        .await?;
        // The sentence the engine wrote until now, once, to carry the old rows over.
        m.get_connection()
            .execute_unprepared(
                "UPDATE training_recommendations SET withdrawn = TRUE \
                 WHERE dismiss_reason = 'Sinyal tidak lagi memenuhi syarat (ditarik otomatis)'",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("training_recommendations")
                .drop_column("withdrawn")
                .to_owned(),
        )
        .await
    }
}
