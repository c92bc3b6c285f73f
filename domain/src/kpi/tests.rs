use super::*;
use crate::kpi::interval::Interval;
use chrono::TimeZone;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn at(day: &str, hour: u32) -> DateTime<Utc> {
    let day = d(day);
    Utc.from_utc_datetime(&day.and_hms_opt(hour, 0, 0).unwrap())
}

fn id(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

fn sat(n: u128, day: &str, rating: u8) -> SatisfactionAnswer {
    SatisfactionAnswer {
        response_id: id(n),
        invitation_id: Some(id(1000 + n)),
        answered_at: at(day, 12),
        arrival: n as i64,
        answered_on: d(day),
        respondent: Respondent::SelfReport,
        support: Support::None,
        channel: Channel::OwnDevice,
        overall: Some(Rating::new(rating).unwrap()),
    }
}

fn march() -> Period {
    Period::month(2026, 3).unwrap()
}

#[test]
fn satisfaction_mean_distribution_and_splits() {
    let mut answers = vec![
        sat(1, "2026-03-01", 5),
        sat(2, "2026-03-15", 4),
        sat(3, "2026-03-31", 4),
    ];
    answers[2].support = Support::ReadAloud;
    answers[2].channel = Channel::StaffDevice;
    let k = satisfaction(march(), &answers, 5);
    assert_eq!(k.n, 3);
    // 13 / 3 = 4.333.. -> 4.33
    assert_eq!(k.mean, Some(Hundredths(433)));
    assert_eq!(k.distribution, [0, 0, 0, 2, 1]);
    assert_eq!(k.by_support.len(), 2);
    assert_eq!(k.by_support[0].key, "none");
    assert_eq!(k.by_support[0].mean, Some(Hundredths(450)));
    assert_eq!(k.by_support[1].key, "read_aloud");
    assert_eq!(k.by_channel[1].key, "staff_device");
    assert!(k.small_sample);
}

#[test]
fn the_mean_rounds_half_away_from_zero() {
    // Ratings 4,4,4,4,4,4,4,5 -> 33/8 = 4.125 -> 4.13
    let mut answers: Vec<_> = (1..=7).map(|i| sat(i, "2026-03-02", 4)).collect();
    answers.push(sat(8, "2026-03-02", 5));
    assert_eq!(
        satisfaction(march(), &answers, 5).mean,
        Some(Hundredths(413))
    );
}

#[test]
fn answers_outside_the_period_are_not_counted() {
    let answers = vec![
        sat(1, "2026-02-28", 1),
        sat(2, "2026-03-31", 5),
        sat(3, "2026-04-01", 1),
    ];
    let k = satisfaction(march(), &answers, 5);
    assert_eq!(k.n, 1);
    assert_eq!(k.response_ids, vec![id(2)]);
}

#[test]
fn proxy_answers_are_stored_but_not_counted() {
    let mut answers = vec![sat(1, "2026-03-02", 5), sat(2, "2026-03-03", 1)];
    answers[1].respondent = Respondent::Proxy;
    let k = satisfaction(march(), &answers, 5);
    assert_eq!((k.n, k.excluded_proxy), (1, 1));
    assert_eq!(k.mean, Some(Hundredths(500)));
}

#[test]
fn the_first_answer_to_an_invitation_counts_even_when_it_arrives_later() {
    // Two phones answered one invitation. The one answered first synced last.
    let mut early = sat(2, "2026-03-05", 2);
    let mut late = sat(1, "2026-03-06", 5);
    early.invitation_id = Some(id(77));
    late.invitation_id = Some(id(77));
    let k = satisfaction(march(), &[late, early], 5);
    assert_eq!((k.n, k.excluded_second_answers), (1, 1));
    assert_eq!(k.response_ids, vec![id(2)]);
}

#[test]
fn equal_answer_times_go_to_the_first_to_arrive() {
    let mut a = sat(1, "2026-03-05", 2);
    let mut b = sat(2, "2026-03-05", 5);
    a.invitation_id = Some(id(77));
    b.invitation_id = Some(id(77));
    a.arrival = 20;
    b.arrival = 10;
    let k = satisfaction(march(), &[a, b], 5);
    assert_eq!(k.response_ids, vec![id(2)]);
}

/// Two answers to invitation 77: `first` answered on the 5th without the overall item,
/// `second` answered on the 6th rating it 5.
fn skipped_then_rated() -> (SatisfactionAnswer, SatisfactionAnswer) {
    let mut first = sat(1, "2026-03-05", 1);
    let mut second = sat(2, "2026-03-06", 5);
    first.overall = None;
    first.invitation_id = Some(id(77));
    second.invitation_id = Some(id(77));
    (first, second)
}

#[test]
fn a_first_answer_that_skipped_the_overall_item_still_makes_later_ones_second_answers() {
    let (first, second) = skipped_then_rated();
    let k = satisfaction(march(), &[first, second], 5);
    assert_eq!(k.n, 0);
    assert_eq!(k.mean, None);
    assert_eq!(k.overall_not_answered, 1);
    assert_eq!(k.excluded_second_answers, 1);
    assert!(k.response_ids.is_empty());
}

#[test]
fn a_rated_second_answer_that_arrived_first_is_still_a_second_answer() {
    let (mut first, mut second) = skipped_then_rated();
    first.arrival = 20;
    second.arrival = 10;
    let k = satisfaction(march(), &[second, first], 5);
    assert_eq!(
        (k.n, k.overall_not_answered, k.excluded_second_answers),
        (0, 1, 1)
    );
}

#[test]
fn a_proxy_first_answer_excludes_the_later_self_answer_as_a_second_one() {
    let (mut first, second) = skipped_then_rated();
    first.overall = Rating::new(2).ok();
    first.respondent = Respondent::Proxy;
    let k = satisfaction(march(), &[first, second], 5);
    assert_eq!(
        (
            k.n,
            k.excluded_proxy,
            k.excluded_second_answers,
            k.overall_not_answered
        ),
        (0, 1, 1, 0)
    );
}

#[test]
fn an_answer_without_invitation_or_overall_item_is_counted_as_not_answered() {
    let mut skipped = sat(1, "2026-03-05", 1);
    skipped.invitation_id = None;
    skipped.overall = None;
    let k = satisfaction(march(), &[skipped, sat(2, "2026-03-06", 4)], 5);
    assert_eq!((k.n, k.overall_not_answered), (1, 1));
    assert_eq!(k.mean, Some(Hundredths(400)));
}

fn iv(low: i64, high: i64) -> Option<Interval> {
    Some(Interval {
        low: Hundredths(low),
        high: Hundredths(high),
    })
}

#[test]
fn satisfaction_and_its_splits_carry_95_percent_intervals() {
    let mut answers: Vec<_> = (1..=5u8)
        .map(|r| sat(u128::from(r), "2026-03-02", r))
        .collect();
    answers[4].support = Support::ReadAloud;
    let k = satisfaction(march(), &answers, 5);
    // 1..5: 3.00 ± 2.776445·√(2.5/5) -> 1.04 to 4.96.
    assert_eq!(k.mean_interval, iv(104, 496));
    // none: 1..4, 2.50 ± 3.182446·√(1.666667/4) = 2.054 -> 0.45 to 4.55.
    assert_eq!(k.by_support[0].mean_interval, iv(45, 455));
    // read_aloud: a single answer has no interval.
    assert_eq!(k.by_support[1].mean_interval, None);
}

#[test]
fn a_trend_point_withholds_its_interval_exactly_when_it_withholds_its_value() {
    let answers: Vec<_> = (1..=4u8)
        .map(|r| sat(u128::from(r), "2026-03-02", r))
        .collect();
    let k = satisfaction(march(), &answers, 5);
    assert!(k.small_sample);
    let hidden = TrendPoint::satisfaction(&k, false);
    assert_eq!((hidden.value, hidden.interval), (None, None));
    let shown = TrendPoint::satisfaction(&k, true);
    assert_eq!(shown.value, k.mean);
    assert_eq!(shown.interval, k.mean_interval);
    assert!(shown.interval.is_some());
}

#[test]
fn no_answers_means_no_mean() {
    let k = satisfaction(march(), &[], 5);
    assert_eq!((k.n, k.mean), (0, None));
}

fn form(
    n: u128,
    episode: u128,
    timing: Timing,
    day: &str,
    hour: u32,
    metric: Option<i64>,
) -> SwemwbsAnswer {
    SwemwbsAnswer {
        response_id: id(n),
        episode_id: id(episode),
        timing,
        respondent: Respondent::SelfReport,
        answered_at: at(day, hour),
        arrival: n as i64,
        answered_on: d(day),
        metric: metric.map(Hundredths),
        attributed: true,
    }
}

fn episode(n: u128, start: &str, end: Option<&str>) -> EpisodeDates {
    EpisodeDates {
        id: id(n),
        started_on: d(start),
        ended_on: end.map(d),
    }
}

#[test]
fn a_change_of_exactly_three_is_improved_and_two_ninety_nine_is_not() {
    let t = DEFAULT_CHANGE_THRESHOLD;
    assert_eq!(classify(Hundredths(300), t), ChangeBand::Improved);
    assert_eq!(classify(Hundredths(299), t), ChangeBand::NoMeaningfulChange);
    assert_eq!(
        classify(Hundredths(-299), t),
        ChangeBand::NoMeaningfulChange
    );
    assert_eq!(classify(Hundredths(-300), t), ChangeBand::Declined);
    assert_eq!(classify(Hundredths(0), t), ChangeBand::NoMeaningfulChange);
}

#[test]
fn pairing_uses_the_earliest_scored_start_and_the_latest_scored_end() {
    let episodes = [episode(1, "2025-09-01", Some("2026-03-20"))];
    let answers = [
        form(1, 1, Timing::Start, "2025-09-01", 10, None), // earliest start: incomplete
        form(2, 1, Timing::Start, "2025-09-02", 10, Some(1988)), // earliest scored start
        form(3, 1, Timing::Start, "2025-09-03", 10, Some(1000)),
        form(4, 1, Timing::End, "2026-03-18", 10, Some(1500)),
        form(5, 1, Timing::End, "2026-03-20", 10, Some(2321)), // latest scored end
        form(6, 1, Timing::End, "2026-03-21", 10, None),       // later, but not scored
    ];
    let k = wellbeing(
        march(),
        &episodes,
        &answers,
        DEFAULT_CHANGE_THRESHOLD,
        5,
        |_, _| true,
    );
    assert_eq!(k.paired_n, 1);
    let p = &k.pairs[0];
    assert_eq!((p.start_response_id, p.end_response_id), (id(2), id(5)));
    assert_eq!(p.change, Hundredths(333));
    assert_eq!(p.band, ChangeBand::Improved);
}

#[test]
fn proxy_forms_are_never_scored_into_wellbeing() {
    let episodes = [episode(1, "2025-09-01", Some("2026-03-20"))];
    let mut end = form(2, 1, Timing::End, "2026-03-20", 10, Some(3500));
    end.respondent = Respondent::Proxy;
    let answers = [form(1, 1, Timing::Start, "2025-09-01", 10, Some(1500)), end];
    let k = wellbeing(
        march(),
        &episodes,
        &answers,
        DEFAULT_CHANGE_THRESHOLD,
        5,
        |_, _| true,
    );
    assert_eq!(k.paired_n, 0);
    assert_eq!(k.ended_without_end_score, 1);
}

#[test]
fn a_pair_belongs_to_the_period_of_its_end_form() {
    let episodes = [episode(1, "2025-09-01", Some("2026-04-02"))];
    let answers = [
        form(1, 1, Timing::Start, "2025-09-01", 10, Some(1500)),
        form(2, 1, Timing::End, "2026-03-31", 23, Some(2000)),
    ];
    assert_eq!(
        wellbeing(
            march(),
            &episodes,
            &answers,
            DEFAULT_CHANGE_THRESHOLD,
            5,
            |_, _| true
        )
        .paired_n,
        1
    );
    let april = Period::month(2026, 4).unwrap();
    assert_eq!(
        wellbeing(
            april,
            &episodes,
            &answers,
            DEFAULT_CHANGE_THRESHOLD,
            5,
            |_, _| true
        )
        .paired_n,
        0
    );
}

#[test]
fn means_counts_and_percentages_over_several_pairs() {
    let episodes = [
        episode(1, "2025-01-01", Some("2026-03-10")),
        episode(2, "2025-01-01", Some("2026-03-11")),
        episode(3, "2025-01-01", Some("2026-03-12")),
    ];
    let answers = [
        form(1, 1, Timing::Start, "2025-01-01", 9, Some(1998)),
        form(2, 1, Timing::End, "2026-03-10", 9, Some(2298)), // +3.00 improved
        form(3, 2, Timing::Start, "2025-01-01", 9, Some(2321)),
        form(4, 2, Timing::End, "2026-03-11", 9, Some(2022)), // -2.99 no change
        form(5, 3, Timing::Start, "2025-01-01", 9, Some(2503)),
        form(6, 3, Timing::End, "2026-03-12", 9, Some(2203)), // -3.00 declined
    ];
    let k = wellbeing(
        march(),
        &episodes,
        &answers,
        DEFAULT_CHANGE_THRESHOLD,
        5,
        |_, _| true,
    );
    assert_eq!(k.paired_n, 3);
    // starts 19.98 + 23.21 + 25.03 = 68.22 / 3 = 22.74
    assert_eq!(k.mean_start, Some(Hundredths(2274)));
    // ends 22.98 + 20.22 + 22.03 = 65.23 / 3 = 21.7433 -> 21.74
    assert_eq!(k.mean_end, Some(Hundredths(2174)));
    // changes +3.00 -2.99 -3.00 = -2.99 / 3 = -0.9966 -> -1.00
    assert_eq!(k.mean_change, Some(Hundredths(-100)));
    assert_eq!((k.improved, k.no_meaningful_change, k.declined), (1, 1, 1));
    assert_eq!(k.improved_pct, Some(Hundredths(3333)));
    assert_eq!(k.no_meaningful_change_pct, Some(Hundredths(3333)));
    assert!(k.small_sample);
    // Starts 19.98, 23.21, 25.03: 22.74 ± 4.302653·√(6.5413/3) = 6.3534 -> 16.39 to 29.09.
    assert_eq!(k.mean_start_interval, iv(1639, 2909));
    // Ends 22.98, 20.22, 22.03: 21.7433 ± 4.302653·√(1.966033/3) = 3.4831 -> 18.26 to 25.23.
    assert_eq!(k.mean_end_interval, iv(1826, 2523));
    // Changes 3.00, -2.99, -3.00: -0.9967 ± 4.302653·√(11.980033/3) = 8.5981
    // -> -9.59 to 7.60.
    assert_eq!(k.mean_change_interval, iv(-959, 760));
    // Wilson, 1 of 3: 6.15 to 79.23.
    assert_eq!(k.improved_pct_interval, iv(615, 7923));
    assert_eq!(k.declined_pct_interval, iv(615, 7923));
    assert_eq!(k.no_meaningful_change_pct_interval, iv(615, 7923));
}

#[test]
fn the_gaps_are_counted() {
    let episodes = [
        // ended in March with a scored start but no end form
        episode(1, "2025-06-01", Some("2026-03-05")),
        // started in March with no start form at all
        episode(2, "2026-03-07", None),
        // started in March with only an incomplete start form
        episode(3, "2026-03-08", None),
        // started in March with a scored start: not a gap
        episode(4, "2026-03-09", None),
    ];
    let answers = [
        form(1, 1, Timing::Start, "2025-06-01", 9, Some(1500)),
        form(2, 3, Timing::Start, "2026-03-08", 9, None),
        form(3, 4, Timing::Start, "2026-03-09", 9, Some(1500)),
    ];
    let k = wellbeing(
        march(),
        &episodes,
        &answers,
        DEFAULT_CHANGE_THRESHOLD,
        5,
        |_, _| true,
    );
    assert_eq!(k.ended_without_end_score, 1);
    assert_eq!(k.started_without_start_score, 2);
    assert_eq!(k.paired_n, 0);
    assert_eq!(k.mean_change, None);
}

#[test]
fn small_numbers_are_hidden_below_the_threshold_and_shown_at_it() {
    let closed_on = d("2026-04-01");
    let v = Some(Hundredths(420));
    assert_eq!(
        public_figure(v, 4, march(), closed_on, 5),
        PublicFigure::TooFewAnswers { n: 4, needed: 5 }
    );
    assert_eq!(
        public_figure(v, 5, march(), closed_on, 5),
        PublicFigure::Value {
            value: Hundredths(420),
            n: 5
        }
    );
    assert_eq!(
        public_figure(v, 50, march(), d("2026-03-31"), 5),
        PublicFigure::PeriodNotClosed
    );
}

#[test]
fn the_small_sample_mark_flips_at_the_threshold() {
    let four: Vec<_> = (1..=4).map(|i| sat(i, "2026-03-02", 4)).collect();
    let five: Vec<_> = (1..=5).map(|i| sat(i, "2026-03-02", 4)).collect();
    assert!(satisfaction(march(), &four, 5).small_sample);
    assert!(!satisfaction(march(), &five, 5).small_sample);
}

#[test]
fn a_gap_counts_for_whoever_held_the_episode_on_the_day_it_fell_due() {
    let episodes = [
        // ended 5 March with a scored start but no end form
        episode(1, "2025-06-01", Some("2026-03-05")),
        // started 20 March with no start form
        episode(2, "2026-03-20", None),
    ];
    let answers = [form(1, 1, Timing::Start, "2025-06-01", 9, Some(1500))];
    // The caseload moved on 10 March: the old holder owns the first gap, the new one the second.
    let moved = NaiveDate::from_ymd_opt(2026, 3, 10).unwrap();
    let old = wellbeing(
        march(),
        &episodes,
        &answers,
        DEFAULT_CHANGE_THRESHOLD,
        5,
        |_, day| day < moved,
    );
    assert_eq!(
        (old.ended_without_end_score, old.started_without_start_score),
        (1, 0)
    );
    let new = wellbeing(
        march(),
        &episodes,
        &answers,
        DEFAULT_CHANGE_THRESHOLD,
        5,
        |_, day| day >= moved,
    );
    assert_eq!(
        (new.ended_without_end_score, new.started_without_start_score),
        (0, 1)
    );
}

#[test]
fn a_snapshot_stored_before_intervals_still_reads_back() {
    // Published reports hold these figures as JSON: drop every field added since and parse.
    let strip = |mut v: serde_json::Value, keys: &[&str]| {
        let o = v.as_object_mut().unwrap();
        for k in keys {
            assert!(o.remove(*k).is_some(), "{k}");
        }
        v
    };
    let answers: Vec<_> = (1..=3u8)
        .map(|r| sat(u128::from(r), "2026-03-02", r))
        .collect();
    let k = satisfaction(march(), &answers, 5);
    let mut old = strip(
        serde_json::to_value(&k).unwrap(),
        &["mean_interval", "overall_not_answered"],
    );
    for split in old["by_support"].as_array_mut().unwrap() {
        split.as_object_mut().unwrap().remove("mean_interval");
    }
    let back: SatisfactionKpi = serde_json::from_value(old).unwrap();
    assert_eq!((back.n, back.mean, back.mean_interval), (3, k.mean, None));
    assert_eq!(back.by_support[0].mean_interval, None);

    let w = wellbeing(march(), &[], &[], DEFAULT_CHANGE_THRESHOLD, 5, |_, _| true);
    let old = strip(
        serde_json::to_value(&w).unwrap(),
        &[
            "mean_start_interval",
            "mean_end_interval",
            "mean_change_interval",
            "improved_pct_interval",
            "no_meaningful_change_pct_interval",
            "declined_pct_interval",
        ],
    );
    assert_eq!(serde_json::from_value::<WellbeingKpi>(old).unwrap(), w);
}

#[test]
fn a_pair_counts_where_its_latest_end_form_was_answered() {
    // Two end forms: the latest, answered under other filters (after the caseload moved),
    // decides the pair, so the earlier end form's filters get no pair at all.
    let episodes = [episode(1, "2025-06-01", Some("2026-03-20"))];
    let mut answers = vec![
        form(1, 1, Timing::Start, "2025-06-01", 9, Some(1500)),
        form(2, 1, Timing::End, "2026-03-05", 9, Some(1800)),
        form(3, 1, Timing::End, "2026-03-20", 9, Some(2000)),
    ];
    answers[2].attributed = false;
    let k = wellbeing(
        march(),
        &episodes,
        &answers,
        DEFAULT_CHANGE_THRESHOLD,
        5,
        |_, _| true,
    );
    assert_eq!(k.paired_n, 0);
    answers[1].attributed = false;
    answers[2].attributed = true;
    let k = wellbeing(
        march(),
        &episodes,
        &answers,
        DEFAULT_CHANGE_THRESHOLD,
        5,
        |_, _| true,
    );
    assert_eq!(k.paired_n, 1);
    assert_eq!(k.mean_change, Some(Hundredths(500)));
}

#[test]
fn counted_answers_give_the_same_figure_as_the_answers_one_by_one() {
    let answer = |n: u128, inv: Option<u128>, day: &str, hour, respondent, overall: Option<u8>| {
        SatisfactionAnswer {
            response_id: id(n),
            invitation_id: inv.map(id),
            answered_at: at(day, hour),
            arrival: n as i64,
            answered_on: d(day),
            respondent,
            support: Support::None,
            channel: Channel::OwnDevice,
            overall: overall.map(|r| Rating::new(r).unwrap()),
        }
    };
    let answers = [
        answer(
            1,
            Some(1001),
            "2026-03-02",
            9,
            Respondent::SelfReport,
            Some(5),
        ),
        answer(
            2,
            Some(1001),
            "2026-03-03",
            9,
            Respondent::SelfReport,
            Some(2),
        ),
        answer(3, Some(1002), "2026-03-04", 9, Respondent::SelfReport, None),
        answer(4, None, "2026-03-05", 9, Respondent::Proxy, Some(4)),
        answer(5, None, "2026-03-05", 9, Respondent::SelfReport, Some(4)),
        answer(6, None, "2026-03-05", 10, Respondent::SelfReport, Some(4)),
        answer(7, None, "2026-03-06", 9, Respondent::SelfReport, Some(3)),
    ];
    let one_by_one = satisfaction(march(), &answers, 5);
    let seconds = second_answers(
        answers
            .iter()
            .map(|a| (a.response_id, a.invitation_id, a.answered_at, a.arrival)),
    );
    // The same answers counted in groups, as the database returns them.
    let mut groups: Vec<SatisfactionTally> = Vec::new();
    for a in &answers {
        let t = SatisfactionTally {
            answered_on: a.answered_on,
            overall: a.overall,
            respondent: a.respondent,
            support: Some(a.support),
            channel: Some(a.channel),
            second_answer: seconds.contains(&a.response_id),
            n: 1,
        };
        match groups
            .iter_mut()
            .find(|g| SatisfactionTally { n: g.n, ..t } == **g)
        {
            Some(g) => g.n += 1,
            None => groups.push(t),
        }
    }
    assert_eq!(groups.len(), 6, "two answers share a group");
    let counted = satisfaction_of_tallies(march(), &groups, 5);
    assert_eq!(
        SatisfactionKpi {
            response_ids: Vec::new(),
            ..one_by_one.clone()
        },
        counted
    );
    assert_eq!(one_by_one.n, 4);
    // 5 + 4 + 4 + 3 = 16 / 4
    assert_eq!(one_by_one.mean, Some(Hundredths(400)));
    assert_eq!(one_by_one.excluded_second_answers, 1);
    assert_eq!(one_by_one.excluded_proxy, 1);
    assert_eq!(one_by_one.overall_not_answered, 1);
    assert_eq!(one_by_one.response_ids.len(), 4);
}

fn item(key: &str, overall: bool) -> crate::instrument::Item {
    crate::instrument::Item {
        key: key.to_owned(),
        overall,
        text: [("en".to_owned(), format!("About {key}"))].into(),
        easy_read: None,
        picture: None,
    }
}

#[test]
fn sub_items_are_each_rating_item_but_the_overall_one_with_skips_and_bad_values_left_out() {
    let items = [
        item("overall", true),
        item("listened", false),
        item("match", false),
    ];
    let answers = vec![
        vec![Some(5), Some(4), Some(2)],
        vec![Some(3), None, Some(4)],
        vec![Some(4), Some(2), Some(9)],
        // A shorter answer list (an older version) counts for the items it has.
        vec![Some(1), Some(5)],
    ];
    let means = item_means(&items, &answers, 3);
    assert_eq!(means.len(), 2);
    let listened = &means[0];
    assert_eq!(
        (listened.key.as_str(), listened.label.as_str()),
        ("listened", "About listened")
    );
    // 4, 2 and 5: 11 / 3 = 3.666… → 3.67.
    assert_eq!((listened.n, listened.mean), (3, Some(Hundredths(367))));
    assert!(!listened.small_sample);
    assert!(listened.mean_interval.is_some());
    // 2 and 4 (9 is no rating): 3.00 over 2, a small sample.
    let matched = &means[1];
    assert_eq!((matched.n, matched.mean), (2, Some(Hundredths(300))));
    assert!(matched.small_sample);
    // Nobody answered: no mean, no interval.
    let none = item_means(&items, &[], 3);
    assert_eq!(
        (none[0].n, none[0].mean, none[0].mean_interval),
        (0, None, None)
    );
}
