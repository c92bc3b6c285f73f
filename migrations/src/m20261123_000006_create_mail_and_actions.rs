//! Closing the loop (DESIGN.md §7): "you said, we did" actions, purpose-limited results links,
//! the email queue (its rows are the locks several server copies share), unsubscribes, the
//! per-organisation mail settings, and the marks that a wellbeing decline was talked through.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(FeedbackAction::Table)
                    .col(pk_uuid(FeedbackAction::Id))
                    .col(uuid(FeedbackAction::OrganisationId))
                    .col(string_len(FeedbackAction::Audience, 16))
                    .col(date_null(FeedbackAction::PeriodFirst))
                    .col(date_null(FeedbackAction::PeriodLast))
                    .col(text(FeedbackAction::ResponseIds))
                    .col(text(FeedbackAction::YouSaid))
                    .col(text(FeedbackAction::WeDid))
                    .col(text_null(FeedbackAction::EasyRead))
                    .col(date(FeedbackAction::DoneOn))
                    .col(uuid(FeedbackAction::CreatedBy))
                    .col(timestamp_with_time_zone(FeedbackAction::CreatedAt))
                    .col(timestamp_with_time_zone(FeedbackAction::UpdatedAt))
                    .col(timestamp_with_time_zone_null(FeedbackAction::PublishedAt))
                    .col(uuid_null(FeedbackAction::PublishedBy))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_feedback_action_org_published")
                    .table(FeedbackAction::Table)
                    .col(FeedbackAction::OrganisationId)
                    .col(FeedbackAction::PublishedAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ResultsLink::Table)
                    .col(pk_uuid(ResultsLink::Id))
                    .col(uuid(ResultsLink::OrganisationId))
                    .col(uuid(ResultsLink::ParticipantId))
                    .col(string_len_uniq(ResultsLink::TokenHash, 64))
                    .col(timestamp_with_time_zone(ResultsLink::CreatedAt))
                    .col(timestamp_with_time_zone(ResultsLink::ExpiresAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_results_link_participant")
                    .table(ResultsLink::Table)
                    .col(ResultsLink::ParticipantId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(MailMessage::Table)
                    .col(pk_uuid(MailMessage::Id))
                    .col(uuid(MailMessage::OrganisationId))
                    .col(uuid(MailMessage::ParticipantId))
                    .col(string_len(MailMessage::Kind, 16))
                    // One email per purpose (an invitation, its reminder, one digest per action
                    // and person): a second queueing of the same thing is a unique clash.
                    .col(string_len_uniq(MailMessage::DedupeKey, 120))
                    .col(uuid_null(MailMessage::InvitationId))
                    .col(uuid_null(MailMessage::ActionId))
                    .col(string_len(MailMessage::Language, 8))
                    .col(string_len(MailMessage::ToAddress, 320))
                    .col(string_len(MailMessage::Subject, 400))
                    .col(text(MailMessage::TextBody))
                    .col(text(MailMessage::HtmlBody))
                    .col(string_len(MailMessage::MessageId, 255))
                    .col(string_len(MailMessage::Status, 16))
                    .col(integer(MailMessage::Attempts))
                    .col(timestamp_with_time_zone(MailMessage::NextAttemptAt))
                    .col(string_len_null(MailMessage::LockedBy, 64))
                    .col(timestamp_with_time_zone_null(MailMessage::LockedUntil))
                    .col(text_null(MailMessage::LastError))
                    .col(timestamp_with_time_zone_null(MailMessage::RemindAt))
                    .col(timestamp_with_time_zone(MailMessage::CreatedAt))
                    .col(timestamp_with_time_zone_null(MailMessage::SentAt))
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            (
                "ix_mail_message_due",
                vec![MailMessage::Status, MailMessage::NextAttemptAt],
            ),
            (
                "ix_mail_message_org_created",
                vec![MailMessage::OrganisationId, MailMessage::CreatedAt],
            ),
            (
                "ix_mail_message_participant",
                vec![MailMessage::ParticipantId],
            ),
            ("ix_mail_message_remind", vec![MailMessage::RemindAt]),
        ] {
            let mut index = Index::create();
            index.name(name).table(MailMessage::Table);
            for c in cols {
                index.col(c);
            }
            manager.create_index(index.to_owned()).await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(MailOptout::Table)
                    .col(pk_uuid(MailOptout::ParticipantId))
                    .col(uuid(MailOptout::OrganisationId))
                    .col(timestamp_with_time_zone(MailOptout::At))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(MailSetting::Table)
                    .col(pk_uuid(MailSetting::OrganisationId))
                    .col(integer(MailSetting::ReminderAfterDays))
                    .col(integer(MailSetting::ResultsLinkDays))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(WellbeingPromptDone::Table)
                    .col(pk_uuid(WellbeingPromptDone::EndResponseId))
                    .col(uuid(WellbeingPromptDone::OrganisationId))
                    .col(uuid(WellbeingPromptDone::DoneBy))
                    .col(timestamp_with_time_zone(WellbeingPromptDone::DoneAt))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            WellbeingPromptDone::Table.into_iden(),
            MailSetting::Table.into_iden(),
            MailOptout::Table.into_iden(),
            MailMessage::Table.into_iden(),
            ResultsLink::Table.into_iden(),
            FeedbackAction::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum FeedbackAction {
    Table,
    Id,
    OrganisationId,
    Audience,
    PeriodFirst,
    PeriodLast,
    ResponseIds,
    YouSaid,
    WeDid,
    EasyRead,
    DoneOn,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    PublishedAt,
    PublishedBy,
}

#[derive(DeriveIden)]
enum ResultsLink {
    Table,
    Id,
    OrganisationId,
    ParticipantId,
    TokenHash,
    CreatedAt,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum MailMessage {
    Table,
    Id,
    OrganisationId,
    ParticipantId,
    Kind,
    DedupeKey,
    InvitationId,
    ActionId,
    Language,
    ToAddress,
    Subject,
    TextBody,
    HtmlBody,
    MessageId,
    Status,
    Attempts,
    NextAttemptAt,
    LockedBy,
    LockedUntil,
    LastError,
    RemindAt,
    CreatedAt,
    SentAt,
}

#[derive(DeriveIden)]
enum MailOptout {
    Table,
    ParticipantId,
    OrganisationId,
    At,
}

#[derive(DeriveIden)]
enum MailSetting {
    Table,
    OrganisationId,
    ReminderAfterDays,
    ResultsLinkDays,
}

#[derive(DeriveIden)]
enum WellbeingPromptDone {
    Table,
    EndResponseId,
    OrganisationId,
    DoneBy,
    DoneAt,
}
