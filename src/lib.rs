//! gongwen turns spreadsheets into Chinese official documents (公文) that follow GB/T 9704-2012.
//!
//! The stages, each a module, in the order a workbook goes through them:
//!
//! 1. [`read`]: calamine opens the workbook; sheets become grids of cells (merged cells filled,
//!    dates recognised, formulas by cached value); [`read::Table`] finds header rows by name.
//! 2. [`validate`]: the sheets of the input contract become a typed [`model::Document`]; every
//!    problem is a [`diag::Diagnostic`] naming file, sheet and cell.
//! 3. [`model`]: numbering (1..N across groups), counts, dates and measures, computed; the view
//!    templates see.
//! 4. [`render`]: a Tera template per 文种 emits Typst; every value is inserted as literal text.
//! 5. [`compile`]: Typst lays the document out in-process with the run's [`fonts`] → PDF.
//!    [`measure`] reads the laid-out pages back and [`conformance`] checks them against
//!    GB/T 9704-2012 clause by clause.
//! 6. [`ledger`]: the same records → the 整改台账 XLSX.
//! 7. [`output`]: atomic writes and the manifest that lets unchanged documents be skipped.
//!
//! [`pipeline`] runs those stages for every workbook in parallel; [`cmd`] is the command line.

pub mod cli;
pub mod cmd;
pub mod compile;
pub mod conformance;
pub mod diag;
pub mod fonts;
pub mod ledger;
pub mod measure;
pub mod model;
pub mod output;
pub mod pipeline;
pub mod project;
pub mod read;
pub mod render;
pub mod title;
pub mod usage;
pub mod validate;
