//! The evidence: participants, consent, support episodes and sessions, versioned instruments,
//! invitations and responses. Records a specialist can create offline carry an id made on the
//! device and a hash of the body they were created with, so a resend is recognised.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Participant::Table)
                    .col(pk_uuid(Participant::Id))
                    .col(uuid(Participant::OrganisationId))
                    .col(string_len(Participant::Kind, 16))
                    .col(string_len(Participant::Reference, 64))
                    .col(string_len_null(Participant::Name, 100))
                    .col(string_len_null(Participant::Email, 254))
                    .col(string_len_null(Participant::Phone, 32))
                    .col(string_len(Participant::Language, 8))
                    .col(text(Participant::Accessibility))
                    .col(text(Participant::Equality))
                    .col(timestamp_with_time_zone_null(Participant::WithdrawnAt))
                    .col(uuid(Participant::CreatedBy))
                    .col(string_len(Participant::BodyHash, 64))
                    .col(timestamp_with_time_zone(Participant::CreatedAt))
                    .col(timestamp_with_time_zone(Participant::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Participant::Table, Participant::OrganisationId)
                            .to(Organisation::Table, Organisation::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_participant_org_reference")
                    .table(Participant::Table)
                    .col(Participant::OrganisationId)
                    .col(Participant::Reference)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Consent::Table)
                    .col(pk_uuid(Consent::Id))
                    .col(uuid(Consent::OrganisationId))
                    .col(uuid(Consent::ParticipantId))
                    .col(text(Consent::Scopes))
                    .col(string_len(Consent::GivenBy, 32))
                    .col(string_len(Consent::Method, 32))
                    .col(string_len(Consent::TextVersion, 64))
                    .col(timestamp_with_time_zone(Consent::GivenAt))
                    .col(timestamp_with_time_zone_null(Consent::WithdrawnAt))
                    .col(uuid(Consent::RecordedBy))
                    .col(string_len(Consent::BodyHash, 64))
                    .col(timestamp_with_time_zone(Consent::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Consent::Table, Consent::ParticipantId)
                            .to(Participant::Table, Participant::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_consent_participant")
                    .table(Consent::Table)
                    .col(Consent::ParticipantId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Episode::Table)
                    .col(pk_uuid(Episode::Id))
                    .col(uuid(Episode::OrganisationId))
                    .col(uuid(Episode::ParticipantId))
                    .col(uuid(Episode::SpecialistId))
                    .col(uuid_null(Episode::TeamId))
                    .col(string_len(Episode::Programme, 8))
                    .col(date_null(Episode::ReferredOn))
                    .col(date(Episode::StartedOn))
                    .col(date_null(Episode::ProfileStartedOn))
                    .col(date_null(Episode::JobStartedOn))
                    .col(date_null(Episode::EndedOn))
                    .col(uuid_null(Episode::EmployerId))
                    .col(uuid(Episode::CreatedBy))
                    .col(string_len(Episode::BodyHash, 64))
                    .col(timestamp_with_time_zone(Episode::CreatedAt))
                    .col(timestamp_with_time_zone(Episode::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Episode::Table, Episode::ParticipantId)
                            .to(Participant::Table, Participant::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("ix_episode_org_specialist", Episode::SpecialistId),
            ("ix_episode_participant", Episode::ParticipantId),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Episode::Table)
                        .col(Episode::OrganisationId)
                        .col(col)
                        .to_owned(),
                )
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(SupportSession::Table)
                    .col(pk_uuid(SupportSession::Id))
                    .col(uuid(SupportSession::OrganisationId))
                    .col(uuid(SupportSession::EpisodeId))
                    .col(uuid(SupportSession::AuthorId))
                    .col(date(SupportSession::HeldOn))
                    .col(integer(SupportSession::DurationMinutes))
                    .col(string_len(SupportSession::Stage, 32))
                    .col(string_len(SupportSession::Activity, 200))
                    .col(text(SupportSession::Note))
                    .col(integer(SupportSession::Version).default(1))
                    .col(string_len(SupportSession::BodyHash, 64))
                    .col(timestamp_with_time_zone(SupportSession::CreatedAt))
                    .col(timestamp_with_time_zone(SupportSession::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(SupportSession::Table, SupportSession::EpisodeId)
                            .to(Episode::Table, Episode::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Instrument::Table)
                    .col(string_len(Instrument::Key, 64))
                    .col(integer(Instrument::Version))
                    .col(text(Instrument::Definition))
                    .col(timestamp_with_time_zone(Instrument::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(Instrument::Key)
                            .col(Instrument::Version),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(OrganisationSetting::Table)
                    .col(pk_uuid(OrganisationSetting::OrganisationId))
                    .col(boolean(OrganisationSetting::SwemwbsLicenceHeld).default(false))
                    .col(string_len_null(
                        OrganisationSetting::SwemwbsLicenceReference,
                        200,
                    ))
                    .col(timestamp_with_time_zone_null(
                        OrganisationSetting::SwemwbsLicenceRecordedAt,
                    ))
                    .col(uuid_null(OrganisationSetting::SwemwbsLicenceRecordedBy))
                    .col(integer(OrganisationSetting::SmallNumber).default(5))
                    .col(integer(OrganisationSetting::ChangeThreshold).default(300))
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                OrganisationSetting::Table,
                                OrganisationSetting::OrganisationId,
                            )
                            .to(Organisation::Table, Organisation::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Invitation::Table)
                    .col(pk_uuid(Invitation::Id))
                    .col(uuid(Invitation::OrganisationId))
                    .col(uuid(Invitation::ParticipantId))
                    .col(uuid_null(Invitation::EpisodeId))
                    .col(string_len(Invitation::InstrumentKey, 64))
                    .col(integer(Invitation::InstrumentVersion))
                    .col(string_len_null(Invitation::Timing, 16))
                    .col(string_len_uniq(Invitation::TokenHash, 64))
                    .col(string_len_uniq(Invitation::ShortCode, 16))
                    .col(timestamp_with_time_zone(Invitation::ExpiresAt))
                    .col(uuid(Invitation::CreatedBy))
                    .col(string_len(Invitation::BodyHash, 64))
                    .col(timestamp_with_time_zone(Invitation::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Invitation::Table, Invitation::ParticipantId)
                            .to(Participant::Table, Participant::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_invitation_org_created")
                    .table(Invitation::Table)
                    .col(Invitation::OrganisationId)
                    .col(Invitation::CreatedAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Response::Table)
                    .col(pk_uuid(Response::Id))
                    .col(uuid(Response::OrganisationId))
                    .col(uuid_null(Response::InvitationId))
                    .col(uuid(Response::ParticipantId))
                    .col(uuid_null(Response::EpisodeId))
                    .col(string_len(Response::InstrumentKey, 64))
                    .col(integer(Response::InstrumentVersion))
                    .col(string_len_null(Response::Timing, 16))
                    .col(text(Response::Answers))
                    .col(small_integer_null(Response::Overall))
                    .col(small_integer_null(Response::SwemwbsRaw))
                    .col(integer_null(Response::SwemwbsMetric))
                    .col(boolean(Response::Complete))
                    .col(string_len(Response::Respondent, 16))
                    .col(string_len(Response::Support, 16))
                    .col(string_len(Response::Channel, 24))
                    .col(string_len(Response::Format, 16))
                    .col(string_len(Response::Language, 8))
                    .col(timestamp_with_time_zone(Response::AnsweredAt))
                    .col(date(Response::AnsweredOn))
                    .col(timestamp_with_time_zone(Response::ReceivedAt))
                    .col(uuid_null(Response::AuthorId))
                    .col(uuid_null(Response::ParticipantSessionId))
                    .col(uuid_null(Response::SpecialistId))
                    .col(uuid_null(Response::TeamId))
                    .col(string_len_null(Response::Programme, 8))
                    .col(text_null(Response::Comment))
                    .col(string_len(Response::BodyHash, 64))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Response::Table, Response::ParticipantId)
                            .to(Participant::Table, Participant::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // KPI reads: one organisation, one instrument, one period.
        manager
            .create_index(
                Index::create()
                    .name("ix_response_org_instrument_day")
                    .table(Response::Table)
                    .col(Response::OrganisationId)
                    .col(Response::InstrumentKey)
                    .col(Response::AnsweredOn)
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("ix_response_invitation", Response::InvitationId),
            ("ix_response_episode", Response::EpisodeId),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Response::Table)
                        .col(col)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Response::Table.into_iden(),
            Invitation::Table.into_iden(),
            OrganisationSetting::Table.into_iden(),
            Instrument::Table.into_iden(),
            SupportSession::Table.into_iden(),
            Episode::Table.into_iden(),
            Consent::Table.into_iden(),
            Participant::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Organisation {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Participant {
    Table,
    Id,
    OrganisationId,
    Kind,
    Reference,
    Name,
    Email,
    Phone,
    Language,
    Accessibility,
    Equality,
    WithdrawnAt,
    CreatedBy,
    BodyHash,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Consent {
    Table,
    Id,
    OrganisationId,
    ParticipantId,
    Scopes,
    GivenBy,
    Method,
    TextVersion,
    GivenAt,
    WithdrawnAt,
    RecordedBy,
    BodyHash,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Episode {
    Table,
    Id,
    OrganisationId,
    ParticipantId,
    SpecialistId,
    TeamId,
    Programme,
    ReferredOn,
    StartedOn,
    ProfileStartedOn,
    JobStartedOn,
    EndedOn,
    EmployerId,
    CreatedBy,
    BodyHash,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum SupportSession {
    Table,
    Id,
    OrganisationId,
    EpisodeId,
    AuthorId,
    HeldOn,
    DurationMinutes,
    Stage,
    Activity,
    Note,
    Version,
    BodyHash,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Instrument {
    Table,
    Key,
    Version,
    Definition,
    CreatedAt,
}

#[derive(DeriveIden)]
enum OrganisationSetting {
    Table,
    OrganisationId,
    SwemwbsLicenceHeld,
    SwemwbsLicenceReference,
    SwemwbsLicenceRecordedAt,
    SwemwbsLicenceRecordedBy,
    SmallNumber,
    ChangeThreshold,
}

#[derive(DeriveIden)]
enum Invitation {
    Table,
    Id,
    OrganisationId,
    ParticipantId,
    EpisodeId,
    InstrumentKey,
    InstrumentVersion,
    Timing,
    TokenHash,
    ShortCode,
    ExpiresAt,
    CreatedBy,
    BodyHash,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Response {
    Table,
    Id,
    OrganisationId,
    InvitationId,
    ParticipantId,
    EpisodeId,
    InstrumentKey,
    InstrumentVersion,
    Timing,
    Answers,
    Overall,
    SwemwbsRaw,
    SwemwbsMetric,
    Complete,
    Respondent,
    Support,
    Channel,
    Format,
    Language,
    AnsweredAt,
    AnsweredOn,
    ReceivedAt,
    AuthorId,
    ParticipantSessionId,
    SpecialistId,
    TeamId,
    Programme,
    Comment,
    BodyHash,
}
