//! Timings: the time a run spends in each stage, summed over threads (for `cargo bench` and
//! docs/speed.md).

/// The stages whose time a run adds up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Reading workbooks.
    Read,
    /// Validating, routing and planning.
    Validate,
    /// The supervisor's checks and the character coverage check.
    Lint,
    /// Rendering templates to Typst.
    Render,
    /// Typst layout.
    Layout,
    /// Measuring the pages against GB/T 9704.
    Check,
    /// PDF export (font subsetting included).
    Pdf,
    /// DOCX.
    Docx,
    /// Writing letters.
    Write,
    /// The print file: fragments and binding.
    Bundle,
    /// XLSX.
    Xlsx,
}

impl Stage {
    /// Every stage, in pipeline order.
    pub const ALL: [Stage; 11] = [
        Stage::Read,
        Stage::Validate,
        Stage::Lint,
        Stage::Render,
        Stage::Layout,
        Stage::Check,
        Stage::Pdf,
        Stage::Docx,
        Stage::Write,
        Stage::Bundle,
        Stage::Xlsx,
    ];

    /// Its name in reports.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Read => "read workbooks",
            Stage::Validate => "validate, route, plan",
            Stage::Lint => "supervisor's checks",
            Stage::Render => "render templates",
            Stage::Layout => "layout (Typst)",
            Stage::Check => "GB/T 9704 measurement",
            Stage::Pdf => "PDF export (font subsetting)",
            Stage::Docx => "DOCX",
            Stage::Write => "write letters",
            Stage::Bundle => "print file (fragments, binding)",
            Stage::Xlsx => "XLSX",
        }
    }
}

/// Time spent per stage, summed over threads.
#[derive(Debug, Default)]
pub struct Timings([std::sync::atomic::AtomicU64; Stage::ALL.len()]);

impl Timings {
    pub(crate) fn add(&self, stage: Stage, since: std::time::Instant) {
        let i = Stage::ALL
            .iter()
            .position(|s| *s == stage)
            .expect("a stage");
        self.0[i].fetch_add(
            since.elapsed().as_nanos() as u64,
            std::sync::atomic::Ordering::Relaxed,
        );
    }

    /// Each stage's total so far, and resets it.
    pub fn take(&self) -> Vec<(Stage, std::time::Duration)> {
        Stage::ALL
            .iter()
            .zip(&self.0)
            .map(|(s, t)| {
                let n = t.swap(0, std::sync::atomic::Ordering::Relaxed);
                (*s, std::time::Duration::from_nanos(n))
            })
            .collect()
    }
}
