//! gongwen turns spreadsheets into Chinese official documents (公文) that follow GB/T 9704-2012.
//!
//! The stages, each a module, in the order a workbook goes through them:
//!
//! 1. [`read`]: calamine opens the workbook; sheets become grids of cells (merged cells filled
//!    and kept as regions, dates recognised, formulas by cached value); [`read::Records`] finds a
//!    declared sheet's header row by name.
//! 2. [`validate`]: the sheets, read by what [`contract`] declares for them, become a typed
//!    [`model::Job`] whose records keep their cell; appendix sheets become [`table::Table`]s;
//!    every problem is a [`diag::Diagnostic`] naming file, sheet and cell. [`lint`] adds the
//!    warnings that do not stop a build. [`date`] reads and prints dates.
//! 3. [`plan`]: the job becomes its outputs: one document, or one per recipient of a batch plus
//!    the combined print file, and the XLSX.
//! 4. [`view`]: what a template sees of one [`model::Document`]; [`render`]: a Tera template per
//!    文种 (declaring its format) emits Typst, every value inserted as literal text ([`escape`]).
//!    [`prepare`] runs stages 1–4 for one workbook.
//! 5. [`compile`]: Typst lays the document out in-process with the run's [`fonts`] → PDF.
//!    [`measure`] reads the laid-out pages back and [`conformance`] checks them against
//!    GB/T 9704-2012 clause by clause.
//! 6. [`ledger`]: the job's tables (整改台账, 督办事项, appendices); [`xlsx`] writes them.
//! 7. [`make`] lays out, checks and writes the outputs whose [`fingerprint`] changed;
//!    [`output`]: atomic writes, the build lock, and the manifest of what each output was made
//!    from; [`bundle`] binds a batch's letters into the print file from per-letter fragments.
//!
//! [`pipeline`] runs those stages for every workbook in parallel, the documents of a workbook on
//! [`workers`], and adds up [`timings`]; [`cmd`] is the command line, [`report`] what it prints,
//! [`watch`] sees saves, [`serve`] is the page in the browser and its HTTP API.

mod blank;
mod bundle;
pub mod cli;
pub mod cmd;
mod compile;
pub mod config;
pub mod conformance;
pub mod contract;
mod date;
pub mod diag;
mod docx;
mod escape;
mod fingerprint;
mod fonts;
mod ledger;
mod lint;
mod make;
pub mod measure;
mod model;
pub mod output;
pub mod pipeline;
mod plan;
mod prepare;
pub mod project;
mod read;
mod render;
mod report;
mod serve;
mod similar;
mod spec;
mod table;
mod timings;
mod title;
pub mod usage;
mod validate;
mod view;
mod watch;
mod workers;
mod xlsx;
