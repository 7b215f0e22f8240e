//! The page in a real browser: Debian's chromium driven through chromedriver (WebDriver) from
//! Rust. A clerk's round: open the page, upload a workbook with an error through the file input,
//! see the error with its cell, upload the fixed workbook, see it turn green, open a letter's
//! pages, download its PDF and find it byte for byte what `gongwen build` makes.
//!
//! Chromium must be installed (`apt-get install chromium chromium-driver`); without it these
//! tests fail and say so. Screenshots are written to `target/screenshots/`, or to the folder
//! `GONGWEN_SCREENSHOTS` names (the README's come from there).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};

use crate::support::{Project, Server, repo};

const BATCH: &str = "尾矿库汛期安全督办函.xlsx";

/// chromedriver on a free loopback port, ended when dropped.
struct Driver {
    child: Child,
    port: u16,
}

impl Driver {
    fn start() -> Driver {
        let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
            .into_iter()
            .find(|p| Path::new(p).exists());
        let driver = which("chromedriver");
        assert!(
            chromium.is_some() && driver.is_some(),
            "the browser tests need Debian's chromium and chromium-driver: \
             apt-get install chromium chromium-driver (found chromium: {chromium:?}, chromedriver: {driver:?})"
        );
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(driver.unwrap())
            .arg(format!("--port={port}"))
            .arg("--allowed-ips=127.0.0.1")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "chromedriver did not start"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        Driver { child, port }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn which(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(name))
            .find(|p| p.is_file())
    })
}

/// A headless chromium session whose downloads go to `downloads`.
async fn browser(driver: &Driver, profile: &Path, downloads: &Path) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".to_string(),
        serde_json::json!({
            "binary": "/usr/bin/chromium",
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1280,900",
                "--lang=zh-CN", format!("--user-data-dir={}", profile.display()),
            ],
            "prefs": {
                "download.default_directory": downloads.display().to_string(),
                "download.prompt_for_download": false,
                "safebrowsing.enabled": false,
            },
        }),
    );
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .expect("a chromium session")
}

fn screenshots() -> PathBuf {
    let dir = std::env::var_os("GONGWEN_SCREENSHOTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("target/screenshots"));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn screenshot(client: &Client, name: &str) {
    let png = client.screenshot().await.unwrap();
    std::fs::write(screenshots().join(format!("{name}.png")), png).unwrap();
}

/// Waits (two minutes at most) until `script` returns true in the page.
async fn until(client: &Client, what: &str, script: &str) {
    let started = Instant::now();
    loop {
        let v = client.execute(script, vec![]).await.unwrap();
        if v.as_bool() == Some(true) {
            return;
        }
        if started.elapsed() > Duration::from_secs(120) {
            let png = client.screenshot().await.unwrap_or_default();
            let _ = std::fs::write(screenshots().join("failed.png"), png);
            panic!("waited two minutes for {what} ({script})");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Clicks the element `css` finds.
async fn click(client: &Client, css: &str) {
    client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no {css}: {e}"))
        .click()
        .await
        .unwrap();
}

fn row_state(path: &str, states: &[&str]) -> String {
    let list: Vec<String> = states.iter().map(|s| format!("'{s}'")).collect();
    format!(
        "const r = document.querySelector('#workbooks [data-path=\"{path}\"]'); return !!r && [{}].includes(r.dataset.state);",
        list.join(",")
    )
}

/// Puts `bytes` in a folder of its own as `name`, for the file input.
fn staged(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn a_clerk_uploads_fixes_browses_letters_and_downloads_in_chromium() {
    let driver = Driver::start();
    let p = Project::with_samples();
    let server = Server::start(&p, &[]);
    let scratch = tempfile::tempdir().unwrap();
    let downloads = scratch.path().join("downloads");
    std::fs::create_dir_all(&downloads).unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let client = browser(&driver, &scratch.path().join("profile"), &downloads).await;
        client.goto(&server.url).await.unwrap();
        until(
            &client,
            "the batch built",
            &row_state(&format!("input/{BATCH}"), &["built", "warnings"]),
        )
        .await;
        until(
            &client,
            "every sample built",
            "const rows = [...document.querySelectorAll('#workbooks [data-state]')]; \
             return rows.length === 6 && rows.every(r => ['built', 'warnings'].includes(r.dataset.state));",
        )
        .await;
        assert_eq!(client.title().await.unwrap(), "公文生成");
        screenshot(&client, "1-首页").await;

        // A workbook with an error, through the file input.
        let wrong = staged(
            &scratch.path().join("wrong"),
            "整改台账.xlsx",
            &std::fs::read(repo().join("tests/fixtures/broken/input/09整改状态错误.xlsx")).unwrap(),
        );
        let input = client.find(Locator::Id("file-input")).await.unwrap();
        input.send_keys(&wrong.display().to_string()).await.unwrap();
        until(
            &client,
            "the error reported",
            &row_state("input/整改台账.xlsx", &["errors"]),
        )
        .await;
        click(&client, "#workbooks [data-path=\"input/整改台账.xlsx\"]").await;
        until(
            &client,
            "the error's row",
            "return !!document.querySelector('#problems tr.error[data-rule=\"status-unknown\"]');",
        )
        .await;
        let row = client
            .find(Locator::Css("#problems tr.error[data-rule=\"status-unknown\"]"))
            .await
            .unwrap();
        let cell = row.attr("data-cell").await.unwrap().unwrap_or_default();
        let text = row.text().await.unwrap();
        assert!(!cell.is_empty(), "the error names its cell: {text}");
        assert!(text.contains(&cell) && text.contains("问题清单"), "{text}");
        assert!(text.contains("已完成整改"), "what to do is shown: {text}");
        screenshot(&client, "2-有错误").await;

        // The fixed workbook, same name: the page asks before replacing.
        let fixed = staged(
            &scratch.path().join("fixed"),
            "整改台账.xlsx",
            &std::fs::read(repo().join("tests/fixtures/broken/input/15完好.xlsx")).unwrap(),
        );
        input.send_keys(&fixed.display().to_string()).await.unwrap();
        let started = Instant::now();
        loop {
            match client.accept_alert().await {
                Ok(()) => break,
                Err(_) if started.elapsed() < Duration::from_secs(30) => {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(e) => panic!("the page did not ask before replacing: {e}"),
            }
        }
        until(
            &client,
            "the workbook turned green",
            &row_state("input/整改台账.xlsx", &["built", "warnings"]),
        )
        .await;
        until(
            &client,
            "the error's row marked resolved",
            "return !!document.querySelector('#problems tr.resolved[data-rule=\"status-unknown\"]');",
        )
        .await;
        screenshot(&client, "3-已改正").await;

        // A letter's pages.
        click(&client, &format!("#workbooks [data-path=\"input/{BATCH}\"]")).await;
        click(&client, "#tab-pages").await;
        until(
            &client,
            "the recipients",
            "return document.querySelectorAll('#recipients [data-label]').length === 4;",
        )
        .await;
        let second = client
            .find_all(Locator::Css("#recipients [data-label]"))
            .await
            .unwrap()
            .remove(1);
        let label = second.attr("data-label").await.unwrap().unwrap();
        second.click().await.unwrap();
        let letter = p.output("尾矿库汛期安全督办函").join(format!("{label}.pdf"));
        let pages = crate::support::pdf_pages(&letter);
        until(
            &client,
            "every page image loaded",
            &format!(
                "const imgs = [...document.querySelectorAll('#viewer img')]; \
                 return imgs.length === {pages} && imgs.slice(0, 2).every(i => i.complete && i.naturalWidth > 0);"
            ),
        )
        .await;
        screenshot(&client, "4-批量公文页面").await;

        // Its PDF, downloaded as a clerk would, is what `gongwen build` makes.
        let encoded: String = format!("尾矿库汛期安全督办函/{label}.pdf")
            .split('/')
            .map(|part| {
                part.bytes()
                    .map(|b| {
                        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                            (b as char).to_string()
                        } else {
                            format!("%{b:02X}")
                        }
                    })
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join("/");
        let link = client
            .find(Locator::Css(&format!("#viewer-downloads a[href=\"/output/{encoded}\"]")))
            .await
            .unwrap();
        link.click().await.unwrap();
        let saved = downloads.join(format!("{label}.pdf"));
        let started = Instant::now();
        while !saved.is_file() {
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "no download in {}: {:?}",
                downloads.display(),
                std::fs::read_dir(&downloads).unwrap().collect::<Vec<_>>()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
        let downloaded = std::fs::read(&saved).unwrap();

        let clean = Project::with_sample(BATCH);
        assert!(clean.run(&["build"]).status.success());
        let built = std::fs::read(clean.output("尾矿库汛期安全督办函").join(format!("{label}.pdf")))
            .unwrap();
        assert!(downloaded == built, "the downloaded PDF is the one gongwen build makes");
        client.close().await.unwrap();
    });
}
