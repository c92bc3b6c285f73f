//! Inviting from the staff app, in headless Chromium: the QR code shown on the specialist's phone
//! is read back as a camera would (decoded from its modules) and opens the survey on another
//! phone; "Email the link" sends it through a real SMTP server, and the emailed link opens it too.

use std::time::Duration;

use sea_orm::{EntityTrait, QueryOrder};
use soundings::entities::invitation;
use soundings_tests::browser::Browser;
use soundings_tests::smtp::SmtpServer;

use super::pwa_results::{jobseeker, local, world};
use super::pwa_staff::{assert_accessible, click, heading, log_in};

/// Reads the QR code drawn on the page: its dark modules from the SVG path, drawn into a
/// greyscale picture (4 pixels a module), then decoded as a phone's camera app would.
async fn read_qr(b: &Browser) -> String {
    let drawn = b
        .eval(
            "const svg = document.querySelector('#invite-qr');
             return svg ? [svg.getAttribute('viewBox'), svg.querySelector('path').getAttribute('d')] : null",
        )
        .await
        .unwrap();
    let side: usize = drawn[0]
        .as_str()
        .unwrap()
        .split(' ')
        .nth(2)
        .unwrap()
        .parse()
        .unwrap();
    let mut dark = vec![false; side * side];
    for module in drawn[1].as_str().unwrap().split('M').skip(1) {
        let end = module.find('h').unwrap();
        let mut xy = module[..end]
            .split(' ')
            .map(|n| n.parse::<usize>().unwrap());
        let (x, y) = (xy.next().unwrap(), xy.next().unwrap());
        dark[y * side + x] = true;
    }
    let scale = 4;
    let mut picture =
        rqrr::PreparedImage::prepare_from_greyscale(side * scale, side * scale, |x, y| {
            if dark[(y / scale) * side + x / scale] {
                0
            } else {
                255
            }
        });
    let grids = picture.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code on the page");
    grids[0].decode().expect("a readable QR code").1
}

#[tokio::test]
async fn a_specialists_qr_code_and_emailed_link_each_open_the_survey_on_the_clients_phone() {
    let smtp = SmtpServer::start();
    let w = world(Some(&smtp)).await;
    let (ann, _) = jobseeker(&w, "ann@example.org", "en").await;
    let b = Browser::start().await.unwrap();
    b.goto(&w.proxy.url("/staff/")).await.unwrap();
    log_in(&b, "sam@v.example.org").await;
    heading(&b, "Caseload").await;
    b.wait_for_text(".hint", "Up to date").await.unwrap();
    click(&b, &format!("a.caseload-link[href$='{ann}']")).await;
    heading(&b, "JS-").await;

    // A code and a QR code to show.
    click(&b, "#invite").await;
    b.wait_for_text(".short-code", " ").await.unwrap();
    assert_accessible(&b, "client page with a QR code").await;
    if let Some(dir) = std::env::var_os("SOUNDINGS_SCREENSHOTS") {
        b.eval("document.querySelector('.panel-code').scrollIntoView(); return true")
            .await
            .unwrap();
        let path = std::path::Path::new(&dir).join("staff-invite-qr-phone.png");
        b.screenshot(&path).await.unwrap();
    }
    let link = read_qr(&b).await;
    let made = invitation::Entity::find()
        .order_by_desc(invitation::Column::CreatedAt)
        .all(&w.app.db)
        .await
        .unwrap();
    assert_eq!(made.len(), 1);
    assert!(
        link.starts_with(&w.proxy.url("/#t=")),
        "the QR code opens this server's survey page: {link}"
    );
    // The shown code is the invitation's, in two groups of four.
    let shown = b
        .eval("return document.querySelector('.short-code').textContent")
        .await
        .unwrap();
    assert_eq!(shown.as_str().unwrap().replace(' ', "").len(), 8);

    // Ann points her own phone's camera at it: her survey opens.
    let phone = Browser::start().await.unwrap();
    phone.goto(&link).await.unwrap();
    phone
        .wait_for_text("h1", "Your views on our support")
        .await
        .unwrap();
    phone.close().await.unwrap();

    // Or the link goes by email, through the organisation's SMTP server.
    click(&b, "#invite-email").await;
    b.wait_for_text("#invite-emailed", "ann@example.org")
        .await
        .unwrap();
    let worker = w.app.start_mail_worker("w1");
    smtp.wait_for_messages(1, Duration::from_secs(20)).await;
    worker.abort();
    let mail = smtp.received().remove(0);
    assert!(
        mail.to.iter().any(|to| to.contains("ann@example.org")),
        "{:?}",
        mail.to
    );
    let text = mail.decoded();
    let emailed = text
        .split_whitespace()
        .find(|w| w.contains("/#t="))
        .expect("the invitation link in the email")
        .to_owned();
    let phone = Browser::start().await.unwrap();
    phone.goto(&local(&w, &emailed)).await.unwrap();
    phone
        .wait_for_text("h1", "Your views on our support")
        .await
        .unwrap();
    phone.close().await.unwrap();
    // Two invitations: the one shown and the one emailed, each with its own link.
    assert_eq!(w.app.count_rows("invitation").await, 2);
    assert_ne!(
        &emailed[emailed.find('#').unwrap()..],
        &link[link.find('#').unwrap()..]
    );
    b.close().await.unwrap();
}
