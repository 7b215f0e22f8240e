//! `gongwen serve` over HTTP: every endpoint, every refusal, uploads good, broken, concurrent
//! and too large, clients that hang up, and Ctrl+C.

use std::io::Write as _;
use std::time::Duration;

use crate::support::{Project, Server, repo};

const REPORT: &str = "行唐县整改报告.xlsx";
const BATCH: &str = "尾矿库汛期安全督办函.xlsx";

fn broken(name: &str) -> Vec<u8> {
    std::fs::read(repo().join("tests/fixtures/broken/input").join(name)).unwrap()
}

fn sample(name: &str) -> Vec<u8> {
    std::fs::read(repo().join("input").join(name)).unwrap()
}

fn outputs(w: &serde_json::Value) -> Vec<serde_json::Value> {
    w["outputs"].as_array().unwrap().clone()
}

#[test]
fn status_lists_every_workbook_with_its_kind_state_problems_and_outputs() {
    let p = Project::with_samples();
    let server = Server::start(&p, &[]);
    assert!(
        server.url.starts_with("http://127.0.0.1:"),
        "{}",
        server.url
    );
    let status = server.settled();
    assert_eq!(status["version"], 1);
    assert_eq!(status["workbooks"].as_array().unwrap().len(), 6);

    let report = Server::workbook(&status, REPORT);
    assert_eq!(report["path"], format!("input/{REPORT}"));
    assert_eq!(report["kind"], "整改报告");
    assert!(
        report["title"].as_str().unwrap().contains("整改"),
        "{report:#}"
    );
    assert!(
        matches!(report["state"].as_str(), Some("built" | "warnings")),
        "{report:#}"
    );
    assert!(report["built_at"].is_string());
    let pdf = outputs(&report)
        .into_iter()
        .find(|o| o["kind"] == "pdf")
        .unwrap();
    assert_eq!(pdf["path"], "output/行唐县整改报告.pdf");
    assert!(pdf["pages"].as_u64().unwrap() >= 2);

    // The download is the file gongwen wrote, named in Chinese.
    let url = pdf["url"].as_str().unwrap();
    assert!(url.starts_with("/output/%E8%A1%8C"), "{url}");
    let got = server.get(url);
    assert_eq!(got.status, 200);
    assert_eq!(
        got.body,
        std::fs::read(p.output("行唐县整改报告.pdf")).unwrap()
    );
    assert_eq!(got.header("content-type"), Some("application/pdf"));
    let disposition = got.header("content-disposition").unwrap();
    assert!(
        disposition.starts_with("attachment;")
            && disposition.contains("filename*=UTF-8''%E8%A1%8C%E5%94%90%E5%8E%BF"),
        "{disposition}"
    );

    // A batch: its letters by recipient, the print file, the tables and a ZIP.
    let batch = Server::workbook(&status, BATCH);
    assert_eq!(batch["kind"], "督办函");
    let kinds: Vec<String> = outputs(&batch)
        .iter()
        .map(|o| o["kind"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        kinds.iter().filter(|k| *k == "letter").count(),
        4,
        "{kinds:?}"
    );
    assert!(kinds.contains(&"print".to_string()) && kinds.contains(&"xlsx".to_string()));
    assert_eq!(
        kinds.iter().filter(|k| *k == "letter-docx").count(),
        4,
        "each letter's DOCX is listed with it: {kinds:?}"
    );
    let letter = outputs(&batch)
        .into_iter()
        .find(|o| o["kind"] == "letter")
        .unwrap();
    // Letters in the order of the 收文单位 sheet.
    let labels: Vec<String> = outputs(&batch)
        .iter()
        .filter(|o| o["kind"] == "letter")
        .map(|o| o["label"].as_str().unwrap().to_string())
        .collect();
    let recipients: Vec<String> = crate::support::read_sheet(&p.input(BATCH), "收文单位")
        .into_iter()
        .skip(1)
        .map(|r| r[0].clone())
        .collect();
    assert_eq!(labels, recipients);
    assert!(
        letter["label"].as_str().unwrap().ends_with("应急管理局"),
        "{letter:#}"
    );

    let zip = server.get(batch["zip"].as_str().unwrap());
    assert_eq!(zip.status, 200);
    assert_eq!(zip.header("content-type"), Some("application/zip"));
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip.body)).unwrap();
    assert_eq!(archive.len(), 8, "each letter's PDF and DOCX");
    let name = archive.by_index(0).unwrap().name().unwrap().to_string();
    let mut first = Vec::new();
    std::io::copy(&mut archive.by_index(0).unwrap(), &mut first).unwrap();
    assert_eq!(
        first,
        std::fs::read(p.output("尾矿库汛期安全督办函").join(&name)).unwrap()
    );
}

#[test]
fn the_page_its_assets_kinds_blank_workbooks_and_project_are_served() {
    let p = Project::with_sample(REPORT);
    std::fs::write(
        p.path().join("gongwen.toml"),
        "[checks]\noff = [\"done-without-date\"]\n",
    )
    .unwrap();
    let server = Server::start(&p, &[]);
    let page = server.get("/");
    assert_eq!(page.status, 200);
    assert!(page.text().contains("公文生成"));
    assert!(
        page.header("content-security-policy")
            .unwrap()
            .contains("default-src 'self'")
    );
    assert_eq!(page.header("x-frame-options"), Some("DENY"));
    for asset in ["/assets/app.js", "/assets/app.css"] {
        let r = server.get(asset);
        assert_eq!(r.status, 200, "{asset}");
        assert!(!r.body.is_empty());
        // Offline: nothing is fetched from elsewhere.
        assert!(
            !r.text().contains("http://") && !r.text().contains("https://"),
            "{asset}"
        );
    }
    assert!(!page.text().contains("https://"));

    let kinds = server.get("/api/kinds").json();
    let names: Vec<&str> = kinds["kinds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["name"].as_str().unwrap())
        .collect();
    for k in ["整改报告", "整改情况报告", "督办函", "通知", "简报"] {
        assert!(names.contains(&k), "{names:?}");
    }
    let blank = server.get("/api/new?kind=%E6%95%B4%E6%94%B9%E6%8A%A5%E5%91%8A");
    assert_eq!(blank.status, 200);
    assert!(blank.body.starts_with(b"PK"));
    assert!(
        blank
            .header("content-disposition")
            .unwrap()
            .contains("%E6%95%B4%E6%94%B9%E6%8A%A5%E5%91%8A.xlsx")
    );
    let path = p.path().join("blank.xlsx");
    std::fs::write(&path, &blank.body).unwrap();
    assert!(crate::support::sheet_names(&path).contains(&"问题清单".to_string()));
    assert!(
        !p.input("整改报告.xlsx").exists(),
        "a blank workbook is downloaded, not written into the project"
    );
    assert_eq!(server.get("/api/new?kind=%E6%97%A0").status, 404);

    let project = server.get("/api/project").json();
    assert_eq!(project["fonts"].as_array().unwrap().len(), 5);
    assert!(
        project["config"]
            .as_str()
            .unwrap()
            .contains("done-without-date")
    );
}

#[test]
fn page_images_are_rendered_from_the_pdf() {
    let p = Project::with_sample(REPORT);
    let server = Server::start(&p, &[]);
    let status = server.settled();
    let pdf = outputs(&Server::workbook(&status, REPORT))
        .into_iter()
        .find(|o| o["kind"] == "pdf")
        .unwrap();
    let path = "output%2F%E8%A1%8C%E5%94%90%E5%8E%BF%E6%95%B4%E6%94%B9%E6%8A%A5%E5%91%8A.pdf";
    let image = server.get(&format!("/api/page?path={path}&page=1&scale=0.5"));
    assert_eq!(image.status, 200, "{}", image.text());
    assert_eq!(image.header("content-type"), Some("image/png"));
    assert!(image.body.starts_with(b"\x89PNG"));
    // A4 at half a pixel per point: 297 × 420.
    let width = u32::from_be_bytes(image.body[16..20].try_into().unwrap());
    let height = u32::from_be_bytes(image.body[20..24].try_into().unwrap());
    assert_eq!((width, height), (297, 420));
    let pages = pdf["pages"].as_u64().unwrap();
    let past = server.get(&format!("/api/page?path={path}&page={}", pages + 1));
    assert_eq!(past.status, 404);
    assert!(
        past.json()["error"]
            .as_str()
            .unwrap()
            .contains(&format!("共 {pages} 页"))
    );
    assert_eq!(
        server
            .get("/api/page?path=output%2F..%2Finput%2Fx.pdf&page=1")
            .status,
        400
    );
}

#[test]
fn nothing_outside_output_is_served() {
    let p = Project::with_sample(REPORT);
    std::fs::write(p.path().join("secret.txt"), "秘密").unwrap();
    let server = Server::start(&p, &[]);
    server.settled();
    std::os::unix::fs::symlink(p.path().join("secret.txt"), p.output("link.pdf")).unwrap();
    std::os::unix::fs::symlink(p.path(), p.output("up")).unwrap();
    for path in [
        "/output/../secret.txt",
        "/output/..%2Fsecret.txt",
        "/output/%2e%2e/secret.txt",
        "/output/%2E%2E%2Fsecret.txt",
        "/output/..%5Csecret.txt",
        "/output/%5C..%5Csecret.txt",
        "/output/%2Fetc%2Fpasswd",
        "/output//etc/passwd",
        "/output/C:%5Cwindows%5Cwin.ini",
        "/output/link.pdf",
        "/output/up/secret.txt",
        "/output/.gongwen/manifest.json",
        "/output/%2egongwen/manifest.json",
        "/output/.gongwen/lock",
        "/output/nothing.pdf",
        "/zip/..",
        "/zip/%2e%2e",
        "/zip/up",
        "/input/行唐县整改报告.xlsx",
        "/../secret.txt",
        "/secret.txt",
    ] {
        let r = server.get(path);
        assert!(
            matches!(r.status, 400 | 404),
            "{path}: {} {}",
            r.status,
            r.text()
        );
        assert!(!r.text().contains("秘密"), "{path}");
        assert!(!r.text().contains("root:"), "{path}");
    }
}

#[test]
fn strangers_are_refused() {
    let p = Project::with_sample(REPORT);
    let server = Server::start(&p, &[]);
    // DNS rebinding: the browser sends the attacker's name as Host.
    for host in ["evil.example:80", "127.0.0.1.evil.example", "localhost:1"] {
        let r = server.request("GET", "/api/status", &[("Host", host)], &[]);
        assert_eq!(r.status, 403, "{host}");
    }
    let ok = server.request(
        "GET",
        "/api/status",
        &[("Host", &format!("localhost:{}", server.port))],
        &[],
    );
    assert_eq!(ok.status, 200);
    // A form posted from another site.
    let (kind, body) = crate::support::multipart(&[("x.xlsx", &sample(REPORT))]);
    for origin in [
        ("Origin", "http://evil.example"),
        ("Referer", "http://evil.example/x"),
    ] {
        let r = server.request(
            "POST",
            "/api/upload",
            &[("Content-Type", &kind), origin],
            &body,
        );
        assert_eq!(r.status, 403, "{origin:?}");
    }
    assert!(!p.input("x.xlsx").exists());
    let own = format!("http://{}", server.host());
    let r = server.request(
        "POST",
        "/api/upload",
        &[("Content-Type", &kind), ("Origin", &own)],
        &body,
    );
    assert_eq!(r.status, 200, "{}", r.text());
}

#[test]
fn off_loopback_every_request_needs_the_token() {
    let p = Project::with_sample(REPORT);
    let server = Server::start_listening(&p, "0.0.0.0:0", &[]);
    let token = server.url.split("?token=").nth(1).unwrap().to_string();
    assert_eq!(token.len(), 32, "{}", server.url);
    assert_eq!(server.get("/").status, 401);
    assert_eq!(server.get("/api/status").status, 401);
    assert_eq!(server.get("/output/x.pdf").status, 401);
    assert_eq!(server.get("/?token=wrong").status, 401);
    assert_eq!(
        server
            .request(
                "GET",
                "/api/status",
                &[("Cookie", "gongwen_token=wrong")],
                &[]
            )
            .status,
        401
    );
    // First visit with the token: the page keeps it as a cookie.
    let first = server.get(&format!("/?token={token}"));
    assert_eq!(first.status, 200);
    let cookie = first.header("set-cookie").unwrap();
    assert!(
        cookie.starts_with(&format!("gongwen_token={token}")) && cookie.contains("HttpOnly"),
        "{cookie}"
    );
    let with_cookie = server.request(
        "GET",
        "/api/status",
        &[("Cookie", &format!("gongwen_token={token}"))],
        &[],
    );
    assert_eq!(with_cookie.status, 200);
    let bearer = server.request(
        "GET",
        "/api/status",
        &[("Authorization", &format!("Bearer {token}"))],
        &[],
    );
    assert_eq!(bearer.status, 200);

    let short = p.run(&["serve", "--listen", "0.0.0.0:0", "--token", "口令"]);
    assert_eq!(short.status.code(), Some(1));
    assert!(crate::support::stderr(&short).contains("至少要 8 个字符"));
    let given = Server::start_listening(&p, "0.0.0.0:0", &["--token", "office-secret-42"]);
    assert!(given.url.ends_with("?token=office-secret-42"));
    assert_eq!(given.get("/api/status").status, 401);
}

#[test]
fn uploads_are_saved_checked_and_built_and_refused_when_they_should_be() {
    let p = Project::new();
    std::fs::write(
        p.path().join("gongwen.toml"),
        "[serve]\nupload-limit-mib = 1\n",
    )
    .unwrap();
    let server = Server::start(&p, &[]);
    let good = sample(REPORT);

    let r = server.upload("/api/upload", &[("整改台账.xlsx", &good)]);
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["saved"][0]["path"], "input/整改台账.xlsx");
    assert_eq!(std::fs::read(p.input("整改台账.xlsx")).unwrap(), good);
    let status =
        server.wait_for("the upload built", |s| {
            s["workbooks"].as_array().unwrap().iter().any(|w| {
                w["name"] == "整改台账.xlsx" && !w["outputs"].as_array().unwrap().is_empty()
            })
        });
    assert_eq!(
        Server::workbook(&status, "整改台账.xlsx")["kind"],
        "整改报告"
    );
    assert!(p.output("整改台账.pdf").is_file());

    // The same file again: nothing to do. A different one of that name: asked first.
    let again = server.upload("/api/upload", &[("整改台账.xlsx", &good)]);
    assert_eq!(again.json()["saved"][0]["unchanged"], true);
    let other = sample("石家庄市整改情况报告.xlsx");
    let conflict = server.upload("/api/upload", &[("整改台账.xlsx", &other)]);
    assert_eq!(conflict.status, 409, "{}", conflict.text());
    assert!(conflict.json()["error"].as_str().unwrap().contains("同名"));
    assert_eq!(std::fs::read(p.input("整改台账.xlsx")).unwrap(), good);
    let replaced = server.upload("/api/upload?replace=1", &[("整改台账.xlsx", &other)]);
    assert_eq!(replaced.status, 200, "{}", replaced.text());
    assert_eq!(replaced.json()["saved"][0]["replaced"], true);
    assert_eq!(std::fs::read(p.input("整改台账.xlsx")).unwrap(), other);
    let kept = std::fs::read_dir(p.output(".gongwen/replaced"))
        .unwrap()
        .count();
    assert_eq!(kept, 1, "the replaced workbook is kept");

    // Not a workbook by its content, whatever its name; a name that is not a workbook's.
    let pdf = std::fs::read(p.output("整改台账.pdf")).unwrap();
    let r = server.upload("/api/upload", &[("伪装.xlsx", &pdf)]);
    assert_eq!(r.status, 415, "{}", r.text());
    assert!(r.json()["error"].as_str().unwrap().contains("不是工作簿"));
    let r = server.upload("/api/upload", &[("说明.txt", &good)]);
    assert_eq!(r.status, 400);
    assert!(!p.input("伪装.xlsx").exists() && !p.input("说明.txt").exists());

    // Over the limit (1 MiB here).
    let mut big = good.clone();
    big.resize(3 << 20, 0);
    let r = server.upload("/api/upload", &[("大.xlsx", &big)]);
    assert_eq!(r.status, 413, "{}", r.text());
    assert!(!p.input("大.xlsx").exists());

    // No file, or not multipart.
    assert_eq!(server.upload("/api/upload", &[]).status, 400);
    assert_eq!(
        server
            .request(
                "POST",
                "/api/upload",
                &[("Content-Type", "text/plain")],
                b"x"
            )
            .status,
        400
    );

    // Names cleaned as recipients' are, kept in Chinese, never leaving input/.
    let r = server.upload("/api/upload", &[("../../逃逸.xlsx", &good)]);
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["saved"][0]["name"], "逃逸.xlsx");
    assert!(p.input("逃逸.xlsx").is_file());
    assert!(!p.path().parent().unwrap().join("逃逸.xlsx").exists());
}

#[test]
fn a_broken_or_encrypted_workbook_is_saved_and_reported_and_the_server_goes_on() {
    let p = Project::new();
    let server = Server::start(&p, &[]);
    // Text named .xlsx is not a workbook at all; a workbook cut short is a broken one.
    let text = server.upload("/api/upload", &[("文字.xlsx", &broken("01损坏.xlsx"))]);
    assert_eq!(text.status, 415, "{}", text.text());
    let whole = sample(REPORT);
    let cut = &whole[..whole.len() / 2];
    let r = server.upload(
        "/api/upload",
        &[("损坏.xlsx", cut), ("加密.xlsx", &broken("02加密.xlsx"))],
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let status = server.wait_for("both reported", |s| {
        s["workbooks"].as_array().unwrap().len() == 2
            && s["workbooks"]
                .as_array()
                .unwrap()
                .iter()
                .all(|w| w["state"] == "errors")
    });
    let rules: Vec<String> = status["workbooks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["diagnostics"][0]["rule"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(rules, ["file-encrypted", "file-corrupt"], "{status:#}");
    assert_eq!(server.get("/api/status").status, 200);
}

#[test]
fn an_error_is_located_to_its_cell_and_turns_green_when_fixed() {
    let p = Project::new();
    let server = Server::start(&p, &[]);
    assert_eq!(
        server
            .upload(
                "/api/upload",
                &[("台账.xlsx", &broken("09整改状态错误.xlsx"))]
            )
            .status,
        200
    );
    let status = server.wait_for("the error", |s| s["workbooks"][0]["state"] == "errors");
    let w = &status["workbooks"][0];
    let d = &w["diagnostics"][0];
    assert_eq!(d["severity"], "error");
    assert_eq!(d["rule"], "status-unknown");
    assert_eq!(d["location"]["sheet"], "问题清单");
    assert!(
        d["location"]["cell"].is_string() && d["location"]["row"].is_u64(),
        "{d:#}"
    );
    assert!(d["hint"].as_str().unwrap().contains("已完成整改"));
    assert!(w["errors"].as_u64().unwrap() >= 1);

    // Fixed in Excel and saved: the page's row turns green without anyone asking.
    std::fs::write(p.input("台账.xlsx"), broken("15完好.xlsx")).unwrap();
    let status = server.wait_for("fixed", |s| {
        matches!(
            s["workbooks"][0]["state"].as_str(),
            Some("built" | "warnings")
        )
    });
    assert_eq!(status["workbooks"][0]["errors"], 0);
}

#[test]
fn two_workbooks_uploaded_at_once_are_both_saved_and_built() {
    let p = Project::new();
    let server = Server::start(&p, &[]);
    server.settled();
    let a = sample(REPORT);
    let b = sample("石家庄市整改情况报告.xlsx");
    std::thread::scope(|s| {
        let one = s.spawn(|| server.upload("/api/upload", &[("甲.xlsx", &a)]));
        let two = s.spawn(|| server.upload("/api/upload", &[("乙.xlsx", &b)]));
        assert_eq!(one.join().unwrap().status, 200);
        assert_eq!(two.join().unwrap().status, 200);
    });
    server.wait_for("both built", |s| {
        s["workbooks"].as_array().unwrap().len() == 2
            && s["workbooks"]
                .as_array()
                .unwrap()
                .iter()
                .all(|w| !w["outputs"].as_array().unwrap().is_empty())
    });
    assert!(p.output("甲.pdf").is_file() && p.output("乙.pdf").is_file());
}

#[test]
fn events_are_pushed_and_clients_that_hang_up_do_no_harm() {
    use std::io::Read as _;
    let p = Project::with_sample(REPORT);
    let server = Server::start(&p, &[]);
    server.settled();
    let mut events = std::net::TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    events
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    write!(
        events,
        "GET /api/events HTTP/1.1\r\nHost: {}\r\n\r\n",
        server.host()
    )
    .unwrap();
    let mut seen = String::new();
    let mut buf = [0u8; 4096];
    while !seen.contains("event: status") {
        let n = events.read(&mut buf).unwrap();
        assert!(n > 0, "the stream ended: {seen}");
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    assert!(seen.contains("text/event-stream"), "{seen}");
    // A change (a workbook saved) is pushed.
    let before = seen.matches("event: status").count();
    std::fs::write(p.input("再一个.xlsx"), sample(REPORT)).unwrap();
    while seen.matches("event: status").count() == before {
        let n = events.read(&mut buf).unwrap();
        assert!(n > 0);
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    drop(events);

    // An upload cut off halfway, and a download abandoned after its first bytes.
    let (kind, body) = crate::support::multipart(&[("半截.xlsx", &sample(REPORT))]);
    let mut cut = std::net::TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    write!(
        cut,
        "POST /api/upload HTTP/1.1\r\nHost: {}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\n\r\n",
        server.host(),
        body.len()
    )
    .unwrap();
    cut.write_all(&body[..body.len() / 2]).unwrap();
    drop(cut);
    let mut abandoned = std::net::TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    write!(
        abandoned,
        "GET /output/%E8%A1%8C%E5%94%90%E5%8E%BF%E6%95%B4%E6%94%B9%E6%8A%A5%E5%91%8A.pdf HTTP/1.1\r\nHost: {}\r\n\r\n",
        server.host()
    )
    .unwrap();
    let _ = abandoned.read(&mut buf).unwrap();
    drop(abandoned);

    let status = server.settled();
    assert_eq!(status["workbooks"].as_array().unwrap().len(), 2);
    assert!(
        !p.input("半截.xlsx").exists(),
        "nothing of a cut upload is saved"
    );
    let leftovers: Vec<_> = std::fs::read_dir(p.path().join("input"))
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn ctrl_c_stops_the_server_cleanly() {
    let p = Project::with_sample(BATCH);
    let mut server = Server::start(&p, &[]);
    server.settled();
    let code = server.interrupt();
    assert_eq!(code.code(), Some(0));
    server.lines.until("已停止");
    // The project's lock went with the server: a build runs.
    assert!(p.run(&["build"]).status.success());
}

/// Started by a launcher that goes away: the server's output is closed, and it still serves
/// and stops cleanly (writing to a closed pipe once ended it with a panic).
#[test]
fn a_server_whose_output_is_closed_goes_on_and_stops_cleanly() {
    use std::io::BufRead as _;
    let p = Project::with_sample(REPORT);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_gongwen"))
        .arg("-C")
        .arg(p.path())
        .args(["--no-system-fonts", "serve", "--listen", "127.0.0.1:0"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let port: u16 = first
        .trim()
        .trim_end_matches('/')
        .rsplit(':')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        s,
        "GET /api/status HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    std::io::Read::read_to_string(&mut s, &mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
