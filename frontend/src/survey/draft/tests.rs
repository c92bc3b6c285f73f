use super::*;
use domain::instrument::InstrumentDefinition;
use domain::records::Accessibility;

fn survey(instrument: &str, easy_read: bool) -> Survey {
    let json = match instrument {
        "jobseeker" => {
            include_str!("../../../../migrations/src/instruments/jobseeker_satisfaction_v1.json")
        }
        _ => include_str!("../../../../migrations/src/instruments/swemwbs_v1.json"),
    };
    let instrument: InstrumentDefinition = serde_json::from_str(json).unwrap();
    Survey {
        invitation_id: Uuid::new_v4(),
        organisation_name: "Valley Works".to_owned(),
        instrument,
        timing: None,
        language: Language::Welsh,
        accessibility: Accessibility {
            easy_read,
            ..Accessibility::default()
        },
        expires_at: Utc::now(),
        answered: false,
        invitation_answered: false,
        readers: Texts::new(),
        help: Default::default(),
    }
}

#[test]
fn steps_go_intro_questions_comment_check_and_back_again() {
    let d = Draft::new("t".into(), survey("jobseeker", false));
    let mut step = Step::Intro;
    let mut seen = vec![step];
    while step != Step::Done {
        step = d.next(step);
        seen.push(step);
    }
    let expected: Vec<Step> = [Step::Intro]
        .into_iter()
        .chain((0..5).map(Step::Question))
        .chain([Step::Comment, Step::Check, Step::Done])
        .collect();
    assert_eq!(seen, expected);
    assert_eq!(d.previous(Step::Check), Some(Step::Comment));
    assert_eq!(d.previous(Step::Comment), Some(Step::Question(4)));
    assert_eq!(d.previous(Step::Question(0)), Some(Step::Intro));
    assert_eq!(d.previous(Step::Intro), None);
}

#[test]
fn swemwbs_has_no_comment_step_and_never_easy_read() {
    let d = Draft::new("t".into(), survey("swemwbs", true));
    assert_eq!(d.next(Step::Question(6)), Step::Check);
    assert_eq!(d.previous(Step::Check), Some(Step::Question(6)));
    assert!(!d.shows_easy_read());
    // The interface may be Welsh; SWEMWBS stays in English without an official translation.
    assert_eq!(d.content_language("cy"), "en");
}

#[test]
fn the_response_records_how_it_was_answered() {
    let mut d = Draft::new("t".into(), survey("jobseeker", true));
    assert!(d.shows_easy_read());
    d.answer(0, Some(4));
    d.answer(1, Some(9)); // not on the scale: cleared, never sent
    d.read_aloud_used = true;
    d.comment = "  Thank you  ".into();
    let at = Utc::now();
    let r = d.response(Language::Welsh, at);
    assert_eq!(r.id, d.response_id);
    assert_eq!(r.invitation_id, Some(d.survey.invitation_id));
    assert_eq!(r.answers, vec![Some(4), None, None, None, None]);
    assert_eq!(r.completion.format, Format::EasyRead);
    assert_eq!(r.completion.support, Support::ReadAloud);
    assert_eq!(r.completion.channel, Channel::OwnDevice);
    assert_eq!(r.completion.respondent, Respondent::SelfReport);
    assert_eq!(r.completion.language, Language::Welsh);
    assert_eq!(r.comment.as_ref().map(LongText::as_str), Some("Thank you"));
    assert_eq!(r.answered_at, at);
    d.comment = "   ".into();
    assert_eq!(d.response(Language::English, at).comment, None);
}

#[test]
fn a_survey_handed_over_on_a_staff_phone_names_the_person_not_an_invitation() {
    let participant = Uuid::new_v4();
    let episode = Uuid::new_v4();
    let mut s = survey("swemwbs", false);
    s.timing = Some(domain::kpi::Timing::Start);
    let assisted = |helped| Assisted {
        owner: Uuid::new_v4(),
        specialist: "Sam".into(),
        participant_id: participant,
        episode_id: Some(episode),
        helped,
        label: "SWEMWBS".into(),
    };
    let mut d = Draft::handed_over(s.clone(), assisted(false));
    d.answer(0, Some(5));
    d.read_aloud_used = true;
    let r = d.response(Language::English, Utc::now());
    assert_eq!(
        r.invitation_id, None,
        "no invitation behind a handed-over survey"
    );
    assert_eq!(r.participant_id, Some(participant));
    assert_eq!(r.episode_id, Some(episode));
    assert_eq!(r.instrument.as_deref(), Some("swemwbs"));
    assert_eq!(r.timing, Some(domain::kpi::Timing::Start));
    assert_eq!(r.completion.channel, Channel::StaffDevice);
    assert_eq!(r.completion.respondent, Respondent::SelfReport);
    assert_eq!(
        r.completion.support,
        Support::ReadAloud,
        "answered alone, with read aloud"
    );

    let helped = Draft::handed_over(s, assisted(true)).response(Language::English, Utc::now());
    assert_eq!(helped.completion.support, Support::StaffAssisted);
    assert_eq!(helped.completion.channel, Channel::StaffDevice);
}

#[test]
fn the_swemwbs_score_is_the_servers_score() {
    let mut d = Draft::new("t".into(), survey("swemwbs", false));
    for i in 0..7 {
        d.answer(i, Some(3));
    }
    let score = d.swemwbs_score().unwrap();
    assert_eq!(score.raw, 21);
    assert_eq!(score.metric, domain::swemwbs::metric_for_raw(21).unwrap());
    assert_eq!(score.metric.to_string(), "19.25");
    d.answer(6, None);
    assert_eq!(d.swemwbs_score(), None, "no score for an incomplete form");
}

#[test]
fn a_draft_survives_being_stored_and_read_back() {
    let mut d = Draft::new("t".into(), survey("jobseeker", false));
    d.answer(2, Some(5));
    d.step = Step::Question(3);
    let back: Draft = serde_json::from_str(&serde_json::to_string(&d).unwrap()).unwrap();
    assert_eq!(back, d);
}
