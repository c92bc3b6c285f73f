use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "participant")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organisation_id: Uuid,
    pub kind: String,
    pub reference: String,
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub language: String,
    pub accessibility: String,
    pub equality: String,
    pub withdrawn_at: Option<DateTimeUtc>,
    pub erased_at: Option<DateTimeUtc>,
    pub created_by: Uuid,
    pub body_hash: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Model {
    /// The stored kind, typed. A row is only ever written from a parsed `ParticipantKind`;
    /// an unreadable one (a hand-edited database) counts as a jobseeker, as it always has.
    pub fn kind(&self) -> domain::records::ParticipantKind {
        domain::records::ParticipantKind::parse(&self.kind)
            .unwrap_or(domain::records::ParticipantKind::Jobseeker)
    }

    /// The satisfaction survey this participant answers (`ParticipantKind::audience`).
    pub fn audience(&self) -> domain::instrument::Audience {
        self.kind().audience()
    }
}
