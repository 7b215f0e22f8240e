//! The integration tests, one binary: fixture projects in temporary folders built by the real
//! `gongwen` binary or the library, and what they make read back (pdftotext, pdfinfo, calamine).
//!
//! - `batch`: batches rebuilt: per-output incremental builds, builds killed midway, two builds
//!   at once, the same bytes on any number of threads, `gongwen watch`.
//! - `browser`: the page in Debian's chromium, driven through chromedriver.
//! - `build`: the command line end to end, reports and exit codes, escaping, incremental builds.
//! - `checks`: broken and defective workbooks (snapshots), the supervisor's rules, `new`, and a
//!   property test over random workbooks.
//! - `kinds`: every 文种 and its seed, batches, appendix tables, safe names, custom 文种.
//! - `layout`: GB/T 9704 measured clause by clause on every sample and fixture.
//! - `pdf`: the PDF front end of `measure` against Typst's frames on every sample.
//! - `serve`: `gongwen serve` over HTTP: endpoints, refusals, uploads, events, Ctrl+C.

mod batch;
mod browser;
mod build;
mod checks;
mod declarations;
mod docx;
mod kinds;
mod layout;
mod pdf;
mod serve;
mod support;
