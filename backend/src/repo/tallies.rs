//! The indicators' counting queries: the database counts, the exact rules in `domain::kpi`
//! decide. A period's answers come back as a few hundred groups (a month's at most a few
//! dozen), not thousands of rows, so a figure over three years costs one indexed scan and no
//! per-row decoding.

use crate::entities::response;
use chrono::NaiveDate;
use domain::{attribution::Attribution, instrument::InstrumentKey};
use sea_orm::{
    ConnectionTrait, DbErr, FromQueryResult, StatementBuilder,
    sea_query::{Alias, Condition, Expr, ExprTrait, Func, Query, SimpleExpr},
};
use uuid::Uuid;

/// How answers are counted together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grouping {
    /// The whole period at once, split by support and channel.
    Whole,
    /// Month by month, not split by support or channel (a trend's points need neither).
    Month,
}

/// How many answers to one satisfaction instrument share a month (or the whole period), a
/// rating, who answered, the support and channel (when split by them), and whether they were
/// second answers to their invitation.
#[derive(Debug, Clone, FromQueryResult)]
pub struct SatisfactionGroup {
    /// `YYYY-MM` when counted month by month.
    pub month: Option<String>,
    pub overall: Option<i16>,
    pub respondent: String,
    pub support: Option<String>,
    pub channel: Option<String>,
    /// 1 when a response to the same invitation was answered earlier (ties: arrived earlier;
    /// then the smaller id), else 0: the first-answer rule of DESIGN §4.
    pub second: i32,
    pub n: i64,
}

fn r() -> Alias {
    Alias::new("r")
}

fn o() -> Alias {
    Alias::new("o")
}

/// `o` was answered before `r` (ties: arrived earlier, then the smaller id).
fn earlier() -> SimpleExpr {
    use response::Column as C;
    let (rc, oc) = (|c: C| Expr::col((r(), c)), |c: C| Expr::col((o(), c)));
    let same = |c: C| oc(c).eq(rc(c));
    let before = |c: C| oc(c).lt(rc(c));
    Condition::any()
        .add(before(C::AnsweredAt))
        .add(
            Condition::all().add(same(C::AnsweredAt)).add(
                Condition::any()
                    .add(before(C::ReceivedAt))
                    .add(Condition::all().add(same(C::ReceivedAt)).add(before(C::Id))),
            ),
        )
        .into()
}

/// One organisation's answers to a satisfaction instrument answered in `first..=last`, under
/// the attribution stamped on each (the holder when answered), counted in groups.
#[tracing::instrument(skip_all, fields(%org, %instrument), err(level = "debug"))]
pub async fn satisfaction(
    db: &impl ConnectionTrait,
    org: Uuid,
    instrument: InstrumentKey,
    first: NaiveDate,
    last: NaiveDate,
    who: &Attribution,
    grouping: Grouping,
) -> Result<Vec<SatisfactionGroup>, DbErr> {
    use response::Column as C;
    let col = |c: C| Expr::col((r(), c));
    let earlier_answer = Query::select()
        .expr(Expr::val(1))
        .from_as(response::Entity, o())
        .and_where(Expr::col((o(), C::InvitationId)).equals((r(), C::InvitationId)))
        .and_where(earlier())
        .to_owned();
    let second = Expr::case(
        Condition::all()
            .add(col(C::InvitationId).is_not_null())
            .add(Expr::exists(earlier_answer)),
        1,
    )
    .finally(0);
    let mut cond = Condition::all()
        .add(col(C::OrganisationId).eq(org))
        .add(col(C::InstrumentKey).eq(instrument.as_str()))
        .add(col(C::AnsweredOn).between(first, last));
    if let Some(t) = who.team_id {
        cond = cond.add(col(C::TeamId).eq(t));
    }
    if let Some(s) = who.specialist_id {
        cond = cond.add(col(C::SpecialistId).eq(s));
    }
    if let Some(p) = who.programme {
        cond = cond.add(col(C::Programme).eq(p.as_str()));
    }
    let backend = db.get_database_backend();
    let none = || Expr::cust("NULL");
    let mut q = Query::select();
    let mut grouped: Vec<&str> = vec!["overall", "respondent", "second"];
    match grouping {
        Grouping::Whole => {
            q.expr_as(none(), Alias::new("month"))
                .expr_as(col(C::Support), Alias::new("support"))
                .expr_as(col(C::Channel), Alias::new("channel"));
            grouped.extend(["support", "channel"]);
        }
        Grouping::Month => {
            // The month of a date, in each database's words.
            let month = match backend {
                sea_orm::DatabaseBackend::Postgres => {
                    Expr::cust("to_char(\"r\".\"answered_on\", 'YYYY-MM')")
                }
                _ => Expr::cust("substr(\"r\".\"answered_on\", 1, 7)"),
            };
            q.expr_as(month, Alias::new("month"))
                .expr_as(none(), Alias::new("support"))
                .expr_as(none(), Alias::new("channel"));
            grouped.push("month");
        }
    }
    q.expr_as(col(C::Overall), Alias::new("overall"))
        .expr_as(col(C::Respondent), Alias::new("respondent"))
        .expr_as(second, Alias::new("second"))
        .expr_as(Func::count(Expr::val(1)), Alias::new("n"))
        .from_as(response::Entity, r())
        .cond_where(cond);
    // By the output columns: the CASE again would run its sub-query twice.
    for g in grouped {
        q.add_group_by([Expr::col(Alias::new(g))]);
    }
    let stmt = StatementBuilder::build(&q, &backend);
    SatisfactionGroup::find_by_statement(stmt).all(db).await
}
