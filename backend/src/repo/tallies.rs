//! The indicators' counting queries: the database counts, the exact rules in `domain::kpi`
//! decide. A year of answers comes back as a few hundred groups, not thousands of rows, so a
//! figure over three years costs one indexed scan and no per-row decoding.

use crate::entities::response;
use chrono::NaiveDate;
use domain::{attribution::Attribution, instrument::InstrumentKey};
use sea_orm::{
    ConnectionTrait, DbErr, FromQueryResult, StatementBuilder,
    sea_query::{Alias, Condition, Expr, ExprTrait, Func, Query, SimpleExpr},
};
use uuid::Uuid;

/// How many answers to one satisfaction instrument share a day, a rating, who answered, the
/// support and channel, and whether they were second answers to their invitation.
#[derive(Debug, Clone, FromQueryResult)]
pub struct SatisfactionGroup {
    pub answered_on: NaiveDate,
    pub overall: Option<i16>,
    pub respondent: String,
    pub support: String,
    pub channel: String,
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
    let grouped = [
        C::AnsweredOn,
        C::Overall,
        C::Respondent,
        C::Support,
        C::Channel,
    ];
    let mut q = Query::select();
    for c in grouped {
        q.expr_as(col(c), c);
    }
    q.expr_as(second, Alias::new("second"))
        .expr_as(Func::count(Expr::val(1)), Alias::new("n"))
        .from_as(response::Entity, r())
        .cond_where(cond);
    for c in grouped {
        q.add_group_by([col(c)]);
    }
    // By the output column: the same CASE again would run the sub-query twice.
    q.add_group_by([Expr::col(Alias::new("second"))]);
    let stmt = StatementBuilder::build(&q, &db.get_database_backend());
    SatisfactionGroup::find_by_statement(stmt).all(db).await
}
