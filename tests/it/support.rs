//! Shared test harness: fixture projects in temporary folders, the gongwen binary, PDF text,
//! XLSX read back with calamine.

use std::io::BufRead as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

use calamine::{Data, Reader, Xlsx, open_workbook, open_workbook_auto};
use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};

/// The repository root.
pub(crate) fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A project folder holding only `input/`, deleted when dropped.
pub(crate) struct Project {
    pub(crate) dir: tempfile::TempDir,
}

impl Project {
    pub(crate) fn new() -> Project {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("input")).unwrap();
        Project { dir }
    }

    /// Puts the repository's test seal into the project's `templates/印章.png`.
    pub(crate) fn add_seal(&self) {
        std::fs::create_dir_all(self.path().join("templates")).unwrap();
        std::fs::copy(
            repo().join("tests/fixtures/印章.png"),
            self.path().join("templates/印章.png"),
        )
        .unwrap();
    }

    /// A project with the repository's sample workbooks.
    pub(crate) fn with_samples() -> Project {
        let p = Project::new();
        for e in std::fs::read_dir(repo().join("input")).unwrap() {
            let e = e.unwrap();
            if e.path().extension().is_some_and(|x| x == "xlsx") {
                std::fs::copy(e.path(), p.input(e.file_name().to_str().unwrap())).unwrap();
            }
        }
        p
    }

    /// A project with one of the repository's samples only.
    pub(crate) fn with_sample(name: &str) -> Project {
        let p = Project::new();
        std::fs::copy(repo().join("input").join(name), p.input(name)).unwrap();
        p
    }

    /// Every file under the project folder, relative to it, sorted.
    pub(crate) fn files(&self) -> Vec<PathBuf> {
        fn walk(dir: &Path, root: &Path, out: &mut Vec<PathBuf>) {
            for e in std::fs::read_dir(dir).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    walk(&p, root, out);
                } else {
                    out.push(p.strip_prefix(root).unwrap().to_path_buf());
                }
            }
        }
        let mut out = Vec::new();
        walk(self.path(), self.path(), &mut out);
        out.sort();
        out
    }

    pub(crate) fn path(&self) -> &Path {
        self.dir.path()
    }

    pub(crate) fn input(&self, name: &str) -> PathBuf {
        self.path().join("input").join(name)
    }

    pub(crate) fn output(&self, name: &str) -> PathBuf {
        self.path().join("output").join(name)
    }

    /// Runs `gongwen -C <project> --no-system-fonts <args>`.
    pub(crate) fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_gongwen"))
            .arg("-C")
            .arg(self.path())
            .arg("--no-system-fonts")
            .args(args)
            .output()
            .unwrap()
    }
}

pub(crate) fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub(crate) fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Runs a poppler-utils tool on `pdf` and returns what it printed.
fn poppler(tool: &str, args: &[&str], pdf: &Path) -> String {
    let out = Command::new(tool)
        .args(args)
        .arg(pdf)
        .args(if tool == "pdftotext" {
            &["-"][..]
        } else {
            &[][..]
        })
        .output()
        .unwrap_or_else(|e| panic!("{tool} (poppler-utils) is installed: {e}"));
    assert!(
        out.status.success(),
        "{tool} rejects {}: {}",
        pdf.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// `s` without white space.
pub(crate) fn strip(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The text of a PDF (pdftotext), with all white space removed so line breaks do not matter.
pub(crate) fn pdf_text(pdf: &Path) -> String {
    strip(&poppler("pdftotext", &["-enc", "UTF-8"], pdf))
}

/// The text of each page of a PDF, white space removed.
pub(crate) fn pdf_page_texts(pdf: &Path) -> Vec<String> {
    let text = poppler("pdftotext", &["-enc", "UTF-8"], pdf);
    let mut pages: Vec<String> = text.split('\u{c}').map(strip).collect();
    if pages.last().is_some_and(String::is_empty) {
        pages.pop();
    }
    pages
}

/// A worksheet read back with calamine, every cell as text.
pub(crate) fn read_sheet(path: &Path, name: &str) -> Vec<Vec<String>> {
    let mut book = open_workbook_auto(path).unwrap();
    let range = book.worksheet_range(name).unwrap();
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

/// The sheet names of a workbook.
pub(crate) fn sheet_names(path: &Path) -> Vec<String> {
    open_workbook_auto(path).unwrap().sheet_names()
}

/// A worksheet's merged regions as (first row, first col, last row, last col), zero-based.
pub(crate) fn merged(path: &Path, name: &str) -> Vec<(u32, u32, u32, u32)> {
    let mut book: Xlsx<_> = open_workbook(path).unwrap();
    let mut out: Vec<(u32, u32, u32, u32)> = book
        .merge_cells_by_sheet_name(name)
        .unwrap()
        .into_iter()
        .map(|d| (d.start.0, d.start.1, d.end.0, d.end.1))
        .collect();
    out.sort();
    out
}

/// `pdfinfo`'s page count, which also proves the PDF parses.
pub(crate) fn pdf_pages(pdf: &Path) -> usize {
    let info = poppler("pdfinfo", &[], pdf);
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

/// A cell value for [`write_sheet`].
#[derive(Clone)]
pub(crate) enum V {
    S(&'static str),
    O(String),
    D(u16, u8, u8),
    F(&'static str, &'static str),
    N(f64),
    E,
}

/// Writes the 正文 sheet: a row (层级, 标题, 内容) per paragraph; level 0 and an empty title
/// leave the cell empty (a paragraph under no heading).
pub(crate) fn body_sheet(book: &mut Workbook, paragraphs: &[(u8, &'static str, &'static str)]) {
    let mut rows = vec![vec![V::S("层级"), V::S("标题"), V::S("内容")]];
    for (level, title, text) in paragraphs {
        rows.push(vec![
            if *level == 0 {
                V::E
            } else {
                V::N(f64::from(*level))
            },
            if title.is_empty() { V::E } else { V::S(title) },
            V::S(text),
        ]);
    }
    write_sheet(book, "正文", &rows, &[]);
}

/// Writes rows to a new sheet; `merges` are (first_row, first_col, last_row, last_col).
pub(crate) fn write_sheet(
    book: &mut Workbook,
    name: &str,
    rows: &[Vec<V>],
    merges: &[(u32, u16, u32, u16)],
) {
    let sheet = book.add_worksheet();
    sheet.set_name(name).unwrap();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for &(r1, c1, r2, c2) in merges {
        let text = match &rows[r1 as usize][c1 as usize] {
            V::S(s) => s.to_string(),
            V::O(s) => s.clone(),
            _ => String::new(),
        };
        sheet
            .merge_range(r1, c1, r2, c2, &text, &Format::new())
            .unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            if merges
                .iter()
                .any(|&(r1, c1, r2, c2)| r >= r1 && r <= r2 && c >= c1 && c <= c2)
            {
                continue;
            }
            match v {
                V::S(s) => drop(sheet.write_string(r, c, *s).unwrap()),
                V::O(s) => drop(sheet.write_string(r, c, s).unwrap()),
                V::D(y, m, d) => drop(
                    sheet
                        .write_datetime_with_format(
                            r,
                            c,
                            ExcelDateTime::from_ymd(*y, *m, *d).unwrap(),
                            &date,
                        )
                        .unwrap(),
                ),
                V::F(f, cached) => drop(
                    sheet
                        .write_formula(r, c, Formula::new(*f).set_result(*cached))
                        .unwrap(),
                ),
                V::N(n) => drop(sheet.write_number(r, c, *n).unwrap()),
                V::E => {}
            }
        }
    }
}

/// A 文件信息 sheet from key/value pairs.
pub(crate) fn info_sheet(book: &mut Workbook, pairs: &[(&'static str, V)]) {
    let mut rows = vec![vec![V::S("项目"), V::S("内容")]];
    for (k, v) in pairs {
        rows.push(vec![V::S(k), v.clone()]);
    }
    write_sheet(book, "文件信息", &rows, &[]);
}

/// Lines a child prints, read on a thread of their own.
pub(crate) struct Lines(std::sync::Mutex<std::sync::mpsc::Receiver<String>>);

impl Lines {
    pub(crate) fn new(out: impl std::io::Read + Send + 'static) -> Lines {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(out).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Lines(std::sync::Mutex::new(rx))
    }

    /// Lines up to and including the first that contains `what`.
    pub(crate) fn until(&self, what: &str) -> Vec<String> {
        let mut seen = Vec::new();
        loop {
            match self
                .0
                .lock()
                .unwrap()
                .recv_timeout(Duration::from_secs(120))
            {
                Ok(line) => {
                    let done = line.contains(what);
                    seen.push(line);
                    if done {
                        return seen;
                    }
                }
                Err(e) => panic!("no line with “{what}” ({e}); saw: {seen:#?}"),
            }
        }
    }

    /// The lines printed so far and not yet read, without waiting.
    pub(crate) fn drain(&self) -> Vec<String> {
        self.0.lock().unwrap().try_iter().collect()
    }
}

/// A `gongwen serve` of a project, on a free loopback port, stopped when dropped.
pub(crate) struct Server {
    pub(crate) child: std::process::Child,
    /// The first line it printed: the page's address.
    pub(crate) url: String,
    pub(crate) port: u16,
    pub(crate) lines: Lines,
}

/// An HTTP answer.
#[derive(Debug)]
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
}

impl Reply {
    /// A header's value (names compared without case).
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub(crate) fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "not JSON ({e}): {} {}",
                self.status,
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

impl Server {
    /// Starts `gongwen serve --listen 127.0.0.1:0` on `project`, with `args` after it.
    pub(crate) fn start(project: &Project, args: &[&str]) -> Server {
        Server::start_listening(project, "127.0.0.1:0", args)
    }

    /// Starts `gongwen serve --listen <listen>` on `project`, with `args` after it.
    pub(crate) fn start_listening(project: &Project, listen: &str, args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_gongwen"))
            .arg("-C")
            .arg(project.path())
            .args(["--no-system-fonts", "serve", "--listen", listen])
            .args(args)
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let lines = Lines::new(child.stdout.take().unwrap());
        let first = lines.until("http://");
        assert_eq!(first.len(), 1, "the address is the first line: {first:#?}");
        let url = first[0].clone();
        let port = url
            .trim_start_matches("http://")
            .split(['/', '?'])
            .next()
            .and_then(|hp| hp.rsplit(':').next())
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("a port in {url}"));
        Server {
            child,
            url,
            port,
            lines,
        }
    }

    /// This server's own Host.
    pub(crate) fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// Sends one request (Host is this server's unless `headers` name one) and reads the whole
    /// answer.
    pub(crate) fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Reply {
        use std::io::{Read as _, Write as _};
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(120)))
            .unwrap();
        let mut head = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\n");
        if !headers.iter().any(|(n, _)| n.eq_ignore_ascii_case("host")) {
            head.push_str(&format!("Host: {}\r\n", self.host()));
        }
        for (n, v) in headers {
            head.push_str(&format!("{n}: {v}\r\n"));
        }
        if !body.is_empty() || method == "POST" {
            head.push_str(&format!("Content-Length: {}\r\n", body.len()));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).unwrap();
        // The server may answer (413, 415…) before reading the whole body, and close.
        let _ = stream.write_all(body);
        let mut raw = Vec::new();
        let _ = stream.read_to_end(&mut raw);
        parse_reply(&raw)
    }

    pub(crate) fn get(&self, path: &str) -> Reply {
        self.request("GET", path, &[], &[])
    }

    /// `GET /api/status`.
    pub(crate) fn status(&self) -> serde_json::Value {
        let r = self.get("/api/status");
        assert_eq!(r.status, 200, "{}", r.text());
        r.json()
    }

    /// The status once `ready` holds of it (polled; at most two minutes).
    pub(crate) fn wait_for(
        &self,
        what: &str,
        ready: impl Fn(&serde_json::Value) -> bool,
    ) -> serde_json::Value {
        let started = std::time::Instant::now();
        loop {
            let s = self.status();
            if ready(&s) {
                return s;
            }
            assert!(
                started.elapsed() < Duration::from_secs(120),
                "waited two minutes for {what}: {s:#}"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// The status once no build is under way and every workbook has been built or checked.
    pub(crate) fn settled(&self) -> serde_json::Value {
        self.wait_for("every workbook settled", |s| {
            !s["building"].as_bool().unwrap_or(true)
                && s["workbooks"].as_array().is_some_and(|w| {
                    w.iter()
                        .all(|w| !matches!(w["state"].as_str(), Some("pending" | "building")))
                })
        })
    }

    /// The status entry of `input/<name>`.
    pub(crate) fn workbook(status: &serde_json::Value, name: &str) -> serde_json::Value {
        status["workbooks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|w| w["name"] == name)
            .unwrap_or_else(|| panic!("no {name} in {status:#}"))
            .clone()
    }

    /// Uploads `files` (name, bytes) to `path` (`/api/upload`, maybe with a query).
    pub(crate) fn upload(&self, path: &str, files: &[(&str, &[u8])]) -> Reply {
        let (kind, body) = multipart(files);
        self.request("POST", path, &[("Content-Type", &kind)], &body)
    }

    /// Sends SIGINT and waits for the server to end.
    pub(crate) fn interrupt(&mut self) -> std::process::ExitStatus {
        Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status()
            .unwrap();
        self.child.wait().unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A multipart/form-data body with every file in a field `file`: its content type and bytes.
pub(crate) fn multipart(files: &[(&str, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "gongwen-test-boundary-7d1f";
    let mut body = Vec::new();
    for (name, bytes) in files {
        body.extend(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend(*bytes);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// An HTTP/1.1 answer read to the end of the connection.
fn parse_reply(raw: &[u8]) -> Reply {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no HTTP head in {:?}", String::from_utf8_lossy(raw)));
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    let chunked = headers.iter().any(|(n, v)| {
        n.eq_ignore_ascii_case("transfer-encoding") && v.eq_ignore_ascii_case("chunked")
    });
    if chunked {
        let mut out = Vec::new();
        let mut rest = body.as_slice();
        while let Some(end) = rest.windows(2).position(|w| w == b"\r\n") {
            let size = usize::from_str_radix(
                String::from_utf8_lossy(&rest[..end])
                    .split(';')
                    .next()
                    .unwrap()
                    .trim(),
                16,
            )
            .unwrap_or(0);
            if size == 0 {
                break;
            }
            out.extend(&rest[end + 2..end + 2 + size]);
            rest = &rest[end + 2 + size + 2..];
        }
        body = out;
    }
    Reply {
        status,
        headers,
        body,
    }
}
