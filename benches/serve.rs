//! Load benchmark of `gongwen serve`: while a batch of N letters (default 200) builds, 20
//! clients each send 100 requests mixing the status, page images and downloads of finished
//! outputs; counts failures, latency (p50, p95, max) per kind and the server's peak memory.
//!
//! `cargo bench --bench serve` (or `cargo bench --bench serve -- 300`). Every request goes to
//! 127.0.0.1 only; the run is bounded (2,000 requests, each with a timeout, and ten minutes in
//! all) and stops the server it started.
//!
//! The server first builds the batch (so that there are finished letters to download); then a
//! seal image is added to templates/, which makes every letter be built again, and the clients
//! start as soon as the status says the build is under way.

use std::io::{BufRead as _, Read as _, Write as _};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[allow(dead_code)]
mod batch;

const CLIENTS: usize = 20;
const REQUESTS: usize = 100;
const TIMEOUT: Duration = Duration::from_secs(60);
const LIMIT: Duration = Duration::from_secs(600);

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Status,
    Page,
    Download,
}

struct Sample {
    kind: Kind,
    took: Duration,
    ok: bool,
}

/// One GET on a connection of its own; the status code and the body's length.
fn get(port: u16, path: &str) -> std::io::Result<(u16, usize)> {
    let mut s = TcpStream::connect(("127.0.0.1", port))?;
    s.set_read_timeout(Some(TIMEOUT))?;
    s.set_write_timeout(Some(TIMEOUT))?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw)?;
    let head = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| std::io::Error::other("no head"))?;
    let code = String::from_utf8_lossy(&raw[..head])
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    Ok((code, raw.len() - head - 4))
}

fn status(port: u16) -> serde_json::Value {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("the server");
    write!(
        s,
        "GET /api/status HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .expect("a request");
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).expect("an answer");
    let head = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a head");
    serde_json::from_slice(&raw[head + 4..]).expect("JSON")
}

fn wait(port: u16, what: &str, ready: impl Fn(&serde_json::Value) -> bool) -> serde_json::Value {
    let started = Instant::now();
    loop {
        let s = status(port);
        if ready(&s) {
            return s;
        }
        assert!(started.elapsed() < LIMIT, "waited too long for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1e3
}

fn main() {
    let (n, dir, workbook) = batch::batch_project(200);
    batch::write_batch(&workbook, n, false);
    let mut server = Command::new(env!("CARGO_BIN_EXE_gongwen"))
        .arg("-C")
        .arg(dir.path())
        .args(["--no-system-fonts", "serve", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("gongwen serve");
    let mut first = String::new();
    let mut lines = std::io::BufReader::new(server.stdout.take().expect("its output"));
    lines.read_line(&mut first).expect("the address");
    // The rest of what it prints, read so that it never writes into a closed pipe.
    let rest = std::thread::spawn(move || std::io::copy(&mut lines, &mut std::io::sink()));
    let port: u16 = first
        .trim()
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .expect("a port");

    let started = Instant::now();
    let built = wait(port, "the first build", |s| {
        !s["building"].as_bool().unwrap_or(true)
            && s["workbooks"][0]["outputs"]
                .as_array()
                .is_some_and(|o| o.len() > n)
    });
    let first_build = started.elapsed();
    let outputs = built["workbooks"][0]["outputs"]
        .as_array()
        .expect("outputs")
        .clone();
    let urls: Vec<String> = outputs
        .iter()
        .map(|o| o["url"].as_str().expect("a url").to_string())
        .collect();
    let pages: Vec<String> = outputs
        .iter()
        .filter(|o| o["kind"] == "letter")
        .take(40)
        .map(|o| {
            let path: String = o["path"]
                .as_str()
                .expect("a path")
                .bytes()
                .map(|b| format!("%{b:02X}"))
                .collect();
            format!("/api/page?path={path}&page=1&scale=1")
        })
        .collect();

    // Every letter built again: a seal image appears in templates/.
    std::fs::create_dir_all(dir.path().join("templates")).expect("templates/");
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/印章.png"),
        dir.path().join("templates/印章.png"),
    )
    .expect("the seal");
    wait(port, "the rebuild to start", |s| {
        s["building"].as_bool().unwrap_or(false)
    });
    let rebuild_started = Instant::now();

    let samples: Vec<Sample> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..CLIENTS)
            .map(|c| {
                let urls = &urls;
                let pages = &pages;
                scope.spawn(move || {
                    let mut out = Vec::with_capacity(REQUESTS);
                    for r in 0..REQUESTS {
                        if rebuild_started.elapsed() > LIMIT {
                            break;
                        }
                        let i = c * REQUESTS + r;
                        let (kind, path) = match i % 10 {
                            0..=3 => (Kind::Status, "/api/status".to_string()),
                            4..=6 => (Kind::Page, pages[i % pages.len()].clone()),
                            _ => (Kind::Download, urls[i % urls.len()].clone()),
                        };
                        let t = Instant::now();
                        let ok = matches!(get(port, &path), Ok((200, len)) if len > 0);
                        out.push(Sample {
                            kind,
                            took: t.elapsed(),
                            ok,
                        });
                    }
                    out
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a client"))
            .collect()
    });
    let load = rebuild_started.elapsed();
    let during = status(port)["building"].as_bool().unwrap_or(false);
    wait(port, "the rebuild", |s| {
        !s["building"].as_bool().unwrap_or(true)
    });
    let rebuild = rebuild_started.elapsed();
    let peak = batch::peak_mib_of(&server.id().to_string());
    let _ = Command::new("kill")
        .args(["-INT", &server.id().to_string()])
        .status();
    let _ = server.wait();
    let _ = rest.join();

    println!(
        "gongwen serve under load: {n} letters, {CLIENTS} clients × {REQUESTS} requests on 127.0.0.1"
    );
    println!(
        "first build {:.1} s; rebuild of every letter under load {:.1} s; the {} requests took {:.1} s (build {} when they ended)",
        first_build.as_secs_f64(),
        rebuild.as_secs_f64(),
        samples.len(),
        load.as_secs_f64(),
        if during { "still running" } else { "finished" }
    );
    println!("| requests | count | failed | p50 ms | p95 ms | max ms |");
    println!("| --- | --- | --- | --- | --- | --- |");
    for (name, kind) in [
        ("all", None),
        ("status", Some(Kind::Status)),
        ("page image", Some(Kind::Page)),
        ("download", Some(Kind::Download)),
    ] {
        let mut times: Vec<Duration> = samples
            .iter()
            .filter(|s| kind.is_none_or(|k| s.kind == k))
            .map(|s| s.took)
            .collect();
        times.sort();
        let failed = samples
            .iter()
            .filter(|s| kind.is_none_or(|k| s.kind == k) && !s.ok)
            .count();
        println!(
            "| {name} | {} | {failed} | {:.1} | {:.1} | {:.1} |",
            times.len(),
            percentile(&times, 0.5),
            percentile(&times, 0.95),
            percentile(&times, 1.0),
        );
    }
    match peak {
        Some(m) => println!("server peak memory (VmHWM): {m:.0} MiB"),
        None => println!("server peak memory: unknown"),
    }
    let failed = samples.iter().filter(|s| !s.ok).count();
    assert_eq!(failed, 0, "failed requests under load");
}
