//! The words of every email, in English and Welsh, as plain text and HTML. Short sentences and
//! one idea each, for readers who may have a learning disability. Nothing about a person's
//! answers or wellbeing is ever put in an email: only links, and what the service did.
//!
//! The Welsh text was written by a non-native speaker and must be reviewed by a Welsh speaker
//! before a service in Wales relies on it.

use crate::html::escape;
use chrono::NaiveDate;
use domain::records::Language;

pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// One "you said, we did" action, already in the reader's language (and Easy Read if wanted).
pub struct ActionLines<'a> {
    pub you_said: &'a str,
    pub we_did: &'a str,
    pub done_on: NaiveDate,
}

/// Header values (the subject) must not carry line breaks from an organisation's name.
fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

fn date_words(d: NaiveDate, lang: Language) -> String {
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    // Welsh month names; review with the rest of the Welsh text.
    const CY: [&str; 12] = [
        "Ionawr",
        "Chwefror",
        "Mawrth",
        "Ebrill",
        "Mai",
        "Mehefin",
        "Gorffennaf",
        "Awst",
        "Medi",
        "Hydref",
        "Tachwedd",
        "Rhagfyr",
    ];
    use chrono::Datelike;
    let i = usize::try_from(d.month0()).unwrap_or(0).min(11);
    let month = match lang {
        Language::Welsh => CY[i],
        Language::English => EN[i],
    };
    format!("{} {} {}", d.day(), month, d.year())
}

struct Words {
    greeting: &'static str,
    unsubscribe: &'static str,
    why: &'static str,
}

fn words(lang: Language) -> Words {
    match lang {
        Language::English => Words {
            greeting: "Hello,",
            unsubscribe: "To stop getting emails from us, use this link:",
            why: "You get this email because you agreed that we can email you.",
        },
        Language::Welsh => Words {
            greeting: "Helo,",
            unsubscribe: "I beidio â chael e-byst gennym ni, defnyddiwch y ddolen hon:",
            why: "Rydych chi'n cael yr e-bost hwn oherwydd i chi gytuno y gallwn ni anfon e-bost atoch chi.",
        },
    }
}

/// Paragraphs and one button-like link, laid out the same way in text and HTML.
fn compose(
    lang: Language,
    subject: String,
    paragraphs: &[String],
    link_label: &str,
    link: &str,
    unsubscribe: &str,
) -> Rendered {
    let w = words(lang);
    let mut text = format!("{}\n\n", w.greeting);
    for p in paragraphs {
        text.push_str(p);
        text.push_str("\n\n");
    }
    text.push_str(&format!(
        "{link_label}\n{link}\n\n-- \n{}\n{}\n{unsubscribe}\n",
        w.why, w.unsubscribe
    ));

    let mut html = format!(
        "<!doctype html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title></head>\
         <body style=\"font-family: Arial, sans-serif; font-size: 18px; line-height: 1.5; color: #111; max-width: 40em;\">\n<p>{}</p>\n",
        lang.as_str(),
        escape(&subject),
        escape(w.greeting)
    );
    for p in paragraphs {
        html.push_str(&format!("<p>{}</p>\n", escape(p)));
    }
    html.push_str(&format!(
        "<p><a href=\"{}\" style=\"display: inline-block; padding: 12px 20px; background: #1d4ed8; color: #fff; font-weight: bold; text-decoration: underline;\">{}</a></p>\n\
         <hr>\n<p style=\"font-size: 16px;\">{}<br>{} <a href=\"{}\">{}</a></p>\n</body></html>\n",
        escape(link),
        escape(link_label),
        escape(w.why),
        escape(w.unsubscribe),
        escape(unsubscribe),
        escape(unsubscribe),
    ));
    Rendered {
        subject,
        text,
        html,
    }
}

/// An invitation to a survey, or its one reminder.
pub fn invitation(
    lang: Language,
    organisation: &str,
    reminder: bool,
    link: &str,
    expires_on: NaiveDate,
    unsubscribe: &str,
) -> Rendered {
    let org = one_line(organisation);
    let until = date_words(expires_on, lang);
    let (subject, paragraphs, label) = match (lang, reminder) {
        (Language::English, false) => (
            format!("{org}: please tell us what you think"),
            vec![
                format!("{org} would like to know what you think of our support."),
                "It takes about 5 minutes. You can stop and come back later.".to_owned(),
                format!("The link works until {until}."),
            ],
            "Start the survey",
        ),
        (Language::English, true) => (
            format!("Reminder: {org} would like your views"),
            vec![
                format!("A few days ago {org} asked what you think of our support."),
                "If you have time, we would still like to hear from you.".to_owned(),
                format!("The link works until {until}."),
            ],
            "Start the survey",
        ),
        (Language::Welsh, false) => (
            format!("{org}: dywedwch wrthym beth yw eich barn"),
            vec![
                format!("Hoffai {org} wybod beth yw eich barn am ein cymorth."),
                "Mae'n cymryd tua 5 munud. Gallwch chi stopio a dod yn ôl wedyn.".to_owned(),
                format!("Mae'r ddolen yn gweithio tan {until}."),
            ],
            "Dechrau'r arolwg",
        ),
        (Language::Welsh, true) => (
            format!("Nodyn atgoffa: hoffai {org} gael eich barn"),
            vec![
                format!(
                    "Ychydig ddyddiau yn ôl, gofynnodd {org} beth yw eich barn am ein cymorth."
                ),
                "Os oes gennych chi amser, hoffem glywed gennych chi o hyd.".to_owned(),
                format!("Mae'r ddolen yn gweithio tan {until}."),
            ],
            "Dechrau'r arolwg",
        ),
    };
    compose(lang, subject, &paragraphs, label, link, unsubscribe)
}

/// "You said, we did": what the service did with feedback, and a link to the results.
pub fn digest(
    lang: Language,
    organisation: &str,
    actions: &[ActionLines<'_>],
    results_link: &str,
    expires_on: NaiveDate,
    unsubscribe: &str,
) -> Rendered {
    let org = one_line(organisation);
    let until = date_words(expires_on, lang);
    let (subject, intro, said, did, when, outro, label) = match lang {
        Language::English => (
            format!("{org}: you said, we did"),
            format!("Thank you for telling {org} what you think. Here is what we did."),
            "You said:",
            "We did:",
            "When:",
            format!(
                "See what people said about our service, and what we did. The link works until {until}."
            ),
            "See the results",
        ),
        Language::Welsh => (
            format!("{org}: dywedoch chi, gwnaethom ni"),
            format!("Diolch am ddweud wrth {org} beth yw eich barn. Dyma beth wnaethom ni."),
            "Dywedoch chi:",
            "Gwnaethom ni:",
            "Pryd:",
            format!(
                "Gwelwch beth ddywedodd pobl am ein gwasanaeth, a beth wnaethom ni. Mae'r ddolen yn gweithio tan {until}."
            ),
            "Gweld y canlyniadau",
        ),
    };
    let mut paragraphs = vec![intro];
    for a in actions {
        paragraphs.push(format!("{said} {}", a.you_said));
        paragraphs.push(format!(
            "{did} {} ({when} {})",
            a.we_did,
            date_words(a.done_on, lang)
        ));
    }
    paragraphs.push(outro);
    compose(lang, subject, &paragraphs, label, results_link, unsubscribe)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
    }

    #[test]
    fn html_escapes_what_a_manager_typed_and_text_keeps_it_plain() {
        let a = [ActionLines {
            you_said: "<b>waits</b> & delays",
            we_did: "hired \"two\" more",
            done_on: day(),
        }];
        let r = digest(
            Language::English,
            "Org",
            &a,
            "http://x/#r=1",
            day(),
            "http://x/#u=2",
        );
        assert!(r.html.contains("&lt;b&gt;waits&lt;/b&gt; &amp; delays"));
        assert!(!r.html.contains("<b>waits"));
        assert!(r.text.contains("<b>waits</b> & delays"));
        assert!(r.text.contains("http://x/#u=2"));
    }

    #[test]
    fn every_email_is_in_the_readers_language_with_an_unsubscribe_link() {
        for lang in [Language::English, Language::Welsh] {
            for reminder in [false, true] {
                let r = invitation(
                    lang,
                    "Org",
                    reminder,
                    "http://x/#t=1",
                    day(),
                    "http://x/#u=2",
                );
                assert!(r.text.contains("http://x/#t=1") && r.html.contains("http://x/#t=1"));
                assert!(r.text.contains("http://x/#u=2") && r.html.contains("http://x/#u=2"));
                assert!(r.html.contains(&format!("lang=\"{}\"", lang.as_str())));
            }
        }
        let cy = invitation(Language::Welsh, "Org", false, "l", day(), "u");
        assert!(cy.text.contains("Rhagfyr"), "{}", cy.text);
    }

    #[test]
    fn a_line_break_in_the_organisation_name_cannot_reach_a_header() {
        let r = invitation(Language::English, "Org\r\nBcc: x", false, "l", day(), "u");
        assert!(!r.subject.contains('\n') && !r.subject.contains('\r'));
    }
}
