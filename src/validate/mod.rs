//! Validation: the sheets of a workbook become a typed [`Job`], with every problem reported.
//!
//! Each sheet is read by what [`crate::contract`] declares for it, one file per kind of sheet:
//! [`info`] (文件信息), [`lists`] (问题清单, 下一步工作, 正文, 简报文章, 督办事项), [`batch`]
//! (收文单位 and the routing of rows). Appendix sheets (附件N) and sheets a template declares it
//! reads become [`Table`]s. Every problem names its cell; validation never stops at the first.
//! Every cell that will be printed is listed with the faces it prints in, for the coverage check.

mod batch;
mod declared;
mod info;
mod lists;

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::NaiveDate;

use crate::contract::{self, Field, SheetId};
use crate::diag::{Diagnostic, Loc, Report, Rule};
use crate::fonts::Role;
use crate::model::{At, Job, Lists, Recipient};
use crate::read::{Cell, Records, Row, Workbook};
use crate::spec::Spec;
use crate::table::Table;

/// A cell whose text is printed, and the faces it prints in.
#[derive(Debug, Clone)]
pub struct Printed {
    /// Where it is.
    pub loc: Loc,
    /// Its text.
    pub text: String,
    /// The faces its text prints in.
    pub faces: &'static [Role],
}

/// A validated workbook: the job, the template's declaration, and the printed cells.
#[derive(Debug)]
pub struct Validated {
    /// The records.
    pub job: Job,
    /// What the 文种's template declares.
    pub spec: Spec,
    /// Every printed cell with its faces.
    pub printed: Vec<Printed>,
}

/// Parses a date cell or one of the text forms `2024-03-02`, `2024/3/2`, `2024.3.2`,
/// `2024年3月2日`.
pub(crate) fn parse_date(cell: &Cell) -> Option<NaiveDate> {
    match cell {
        Cell::Date(d) => Some(*d),
        Cell::Text(t) => crate::date::parse(t),
        _ => None,
    }
}

const DATE_HINT: &str =
    "请填写日期单元格，或写成 2024-03-02、2024/3/2、2024.3.2、2024年3月2日 之一";

/// What validation of one workbook collects as it goes.
struct Context<'a> {
    book: &'a Workbook,
    report: Report,
    printed: Vec<Printed>,
}

impl Context<'_> {
    fn file(&self) -> &str {
        &self.book.display
    }

    fn print(&mut self, loc: Loc, text: &str, faces: &'static [Role]) {
        if !text.trim().is_empty() {
            self.printed.push(Printed {
                loc,
                text: text.to_string(),
                faces,
            });
        }
    }

    /// Reads a declared sheet by its header, reporting a missing header.
    fn records(&mut self, spec: &contract::Sheet) -> Option<Records> {
        let sheet = self.book.sheet(&spec.name)?;
        match Records::find(sheet, &self.book.display, spec) {
            Ok(r) => Some(r),
            Err(d) => {
                self.report.push(d);
                None
            }
        }
    }
}

/// Validates `book` against the contract and the template its 文种 names.
pub(crate) fn validate(
    book: &Workbook,
    spec_of: &dyn Fn(&str) -> Result<Spec, String>,
) -> (Option<Validated>, Report) {
    let mut cx = Context {
        book,
        report: Report::default(),
        printed: Vec::new(),
    };
    let (info, kind) = info::read(&mut cx);
    let spec = kind.and_then(|kind| spec_for(&mut cx, spec_of, kind));
    report_unused_sheets(&mut cx, spec.as_ref());
    if let Some(spec) = &spec {
        report_missing_sheets(&mut cx, spec);
    }
    let recipients = batch::recipients(&mut cx, info.as_ref());
    let mut lists = read_lists(&mut cx, spec.as_ref());
    check_routes(&mut cx, &recipients, &lists);
    let Context {
        report, printed, ..
    } = cx;
    // With errors too: what did validate is checked by the supervisor's rules in the same run
    // (the caller builds nothing while errors stand).
    let (Some(info), Some(spec)) = (info, spec) else {
        return (None, report);
    };
    lists
        .appendices
        .sort_by_key(|t| contract::appendix_number(&t.name));
    let job = Job {
        info,
        recipients,
        lists,
    };
    (Some(Validated { job, spec, printed }), report)
}

/// Warns about each sheet the 文种 does not use (with an unknown 文种, every sheet of the
/// contract stays quiet: the 文种 is the problem).
fn report_unused_sheets(cx: &mut Context, spec: Option<&Spec>) {
    let uses = |name: &str| match spec {
        Some(s) => s.uses(name),
        None => contract::named(name).is_some() || contract::appendix_number(name).is_some(),
    };
    for sheet in &cx.book.sheets {
        if sheet.name.trim() != contract::notes() && !uses(&sheet.name) && !sheet.is_blank() {
            cx.report
                .push(unused_sheet(&cx.book.display, &sheet.name, spec));
        }
    }
}

/// Reports each sheet the 文种 requires that the workbook lacks.
fn report_missing_sheets(cx: &mut Context, spec: &Spec) {
    for needed in &spec.requires {
        if cx.book.sheet(needed).is_some() {
            continue;
        }
        cx.report.push(
            Diagnostic::new(
                Rule::SheetMissing,
                Loc::file(cx.file()),
                format!(
                    "文种「{}」需要工作表「{needed}」，但工作簿中没有",
                    spec.kind
                ),
            )
            .hint(match contract::named(needed) {
                Some(s) => format!(
                    "请添加「{needed}」工作表，表头至少包含：{}",
                    s.required().join("、")
                ),
                None => format!("请添加「{needed}」工作表"),
            }),
        );
    }
}

/// Reads the sheets the 文种 uses into lists and tables, in the workbook's order; a list or
/// table whose sheet is there but holds no rows is reported.
fn read_lists(cx: &mut Context, spec: Option<&Spec>) -> Lists {
    let lists = Lists {
        issues: read_list(cx, spec, SheetId::Issues, lists::issues),
        steps: read_list(cx, spec, SheetId::Steps, lists::steps),
        sections: read_list(cx, spec, SheetId::Sections, lists::sections),
        articles: read_list(cx, spec, SheetId::Articles, lists::articles),
        items: read_list(cx, spec, SheetId::Items, lists::items),
        appendices: read_appendices(cx, spec),
        sheets: read_declared_sheets(cx, spec),
    };
    report_empty_lists(cx, spec, &lists);
    report_empty_appendices(cx, &lists.appendices);
    lists
}

/// Whether the list sheet `id` is read: when the 文种 uses it, and without a known 文种 every
/// one (all its problems at once).
fn list_used(spec: Option<&Spec>, id: SheetId) -> bool {
    spec.is_none_or(|s| s.uses(&contract::sheet(id).name))
}

/// The records `read` takes from the list sheet `id`; none when the sheet is not read.
fn read_list<T>(
    cx: &mut Context,
    spec: Option<&Spec>,
    id: SheetId,
    read: fn(&mut Context) -> Vec<T>,
) -> Vec<T> {
    if list_used(spec, id) {
        read(cx)
    } else {
        Vec::new()
    }
}

/// The appendix sheets (附件N) the 文种 uses, as tables in the workbook's order.
fn read_appendices(cx: &mut Context, spec: Option<&Spec>) -> Vec<Table> {
    tables(cx, |name| {
        contract::appendix_number(name).is_some() && spec.is_none_or(|s| s.uses(name))
    })
}

/// The template's own sheets (not in the contract) it declares it reads, by name; a sheet whose
/// columns it declares is held to them.
fn read_declared_sheets(cx: &mut Context, spec: Option<&Spec>) -> BTreeMap<String, Table> {
    tables(cx, |name| {
        contract::named(name).is_none()
            && contract::appendix_number(name).is_none()
            && spec.is_some_and(|s| s.reads(name))
    })
    .into_iter()
    .map(|t| match spec.and_then(|s| s.declared(&t.name)) {
        Some(declaration) => declared::hold(cx, t, declaration),
        None => t,
    })
    .map(|t| (t.name.clone(), t))
    .collect()
}

/// Each list sheet and how many records it gave, in the order they are read.
fn list_sizes(lists: &Lists) -> [(SheetId, usize); 5] {
    [
        (SheetId::Issues, lists.issues.len()),
        (SheetId::Steps, lists.steps.len()),
        (SheetId::Sections, lists.sections.len()),
        (SheetId::Articles, lists.articles.len()),
        (SheetId::Items, lists.items.len()),
    ]
}

/// A list sheet that is there but holds no rows: an error when the 文种 needs it (a report of
/// no issues would say “0条问题已全部整改完成”), else a warning. A sheet with problems of its
/// own (a missing header, rows left out by errors) has been reported already.
fn report_empty_lists(cx: &mut Context, spec: Option<&Spec>, lists: &Lists) {
    for (id, size) in list_sizes(lists) {
        let sheet = contract::sheet(id);
        if size > 0 || !list_used(spec, id) {
            continue;
        }
        let Some(found) = cx.book.sheet(&sheet.name) else {
            continue;
        };
        if cx
            .report
            .items
            .iter()
            .any(|d| d.loc.sheet.as_deref() == Some(&found.name))
        {
            continue;
        }
        let required = spec.is_some_and(|s| s.requires.contains(&sheet.name));
        let (rule, what) = if required {
            (
                Rule::RequiredListEmpty,
                format!(
                    "「{}」中没有任何一行，文种「{}」无法生成",
                    sheet.name,
                    spec.map_or("", |s| s.kind.as_str())
                ),
            )
        } else {
            (
                Rule::ListEmpty,
                format!(
                    "「{}」中没有任何一行，这个工作表不会出现在文档中",
                    sheet.name
                ),
            )
        };
        cx.report.push(
            Diagnostic::new(rule, Loc::sheet(cx.file(), &found.name), what).hint(format!(
                "请在表头下逐行填写（{}）；不需要时请删除这个工作表",
                sheet.meaning
            )),
        );
    }
}

/// An appendix with a header and no rows.
fn report_empty_appendices(cx: &mut Context, appendices: &[Table]) {
    for t in appendices.iter().filter(|t| t.rows.is_empty()) {
        cx.report.push(
            Diagnostic::new(
                Rule::ListEmpty,
                Loc::sheet(cx.file(), &t.name),
                format!("附件「{}」只有表头，没有内容", t.name),
            )
            .hint("请在表头下逐行填写内容；不需要这个附件时请删除该工作表"),
        );
    }
}

/// Reports every row, of a list or a table, routed to a 收文单位 the workbook does not name.
fn check_routes(cx: &mut Context, recipients: &[Recipient], lists: &Lists) {
    let names = batch::Names::new(recipients.iter().map(|r| r.name.as_str()).collect());
    batch::check_routes(cx, &names, lists.records());
    for t in lists.appendices.iter().chain(lists.sheets.values()) {
        batch::check_table_routes(cx, &names, t);
    }
}

/// The one warning for a sheet the 文种 does not use, naming it and the sheets it does use.
fn unused_sheet(file: &str, name: &str, spec: Option<&Spec>) -> Diagnostic {
    let kind = spec.map(|s| s.kind.as_str()).unwrap_or_default();
    let usable: Vec<String> = match spec {
        Some(s) => s
            .requires
            .iter()
            .chain(&s.optional)
            .chain(&s.reads)
            .map(|n| {
                if n == contract::appendix() {
                    "附件1、附件2…".to_string()
                } else {
                    n.clone()
                }
            })
            .collect(),
        None => Vec::new(),
    };
    let known = if contract::named(name).is_some() || contract::appendix_number(name).is_some() {
        format!("文种「{kind}」不用这个工作表：它的内容不会出现在文档中，也不检查")
    } else {
        "这个工作表不是本文种读取的工作表，其内容不会出现在文档中".to_string()
    };
    Diagnostic::new(Rule::SheetUnread, Loc::sheet(file, name), known).hint(format!(
        "「{kind}」读取的工作表：文件信息、收文单位{}；如是笔误请改正工作表名称，不需要的工作表可以删除",
        usable.iter().map(|u| format!("、{u}")).collect::<String>()
    ))
}

/// The template declaration for the workbook's 文种, or an error naming the 文种 cell.
fn spec_for(
    cx: &mut Context,
    spec_of: &dyn Fn(&str) -> Result<Spec, String>,
    kind: info::KindCell,
) -> Option<Spec> {
    match spec_of(&kind.kind) {
        Ok(spec) => Some(spec),
        Err(message) => {
            cx.report.push(
                Diagnostic::new(Rule::KindUnknown, kind.loc, message).hint(format!(
                    "请把「{}」改为现有文种之一，或在项目的 templates/ 中添加该文种的模板",
                    contract::key(contract::KeyId::Kind)
                )),
            );
            None
        }
    }
}

/// Reads every sheet whose name `wanted` accepts as a [`Table`].
fn tables(cx: &mut Context, wanted: impl Fn(&str) -> bool) -> Vec<Table> {
    let mut out = Vec::new();
    for sheet in cx.book.sheets.iter().filter(|s| wanted(&s.name)) {
        let file = &cx.book.display;
        match Table::read(sheet, file).and_then(|t| with_printed_column(t, file)) {
            Ok(t) => {
                list_printed(cx, &t);
                report_error_cells(cx, sheet, &t);
                out.push(t);
            }
            Err(d) => cx.report.push(d),
        }
    }
    out
}

/// The table, or an error when its only column is 收文单位: that column says whom each row goes
/// to and is not printed, so the table would print no column at all.
fn with_printed_column(t: Table, file: &str) -> Result<Table, Diagnostic> {
    if t.columns.len() != 1 || t.column(contract::route()).is_none() {
        return Ok(t);
    }
    let loc = Loc {
        cell: t.header_row.zip(t.source_cols.first().copied()),
        ..Loc::sheet(file, &t.name)
    };
    Err(Diagnostic::new(
        Rule::HeaderMissing,
        loc,
        format!(
            "工作表「{}」除「{}」外没有别的列，没有可印出的内容",
            t.name,
            contract::route()
        ),
    )
    .hint(format!(
        "「{}」列只决定每一行发给谁，本身不印出：请在表头中写上要印出的列名，再逐行填写内容",
        contract::route()
    )))
}

/// Lists a table's title, header and body text as printed, with their faces (its 收文单位
/// column is not printed).
fn list_printed(cx: &mut Context, t: &Table) {
    let file = cx.book.display.clone();
    let [title_faces, head_faces, body_faces] = contract::APPENDIX_FACES;
    if let Some(h) = t.header_row {
        cx.print(
            Loc::cell(&file, &t.name, h.saturating_sub(1), 0),
            &t.title.clone(),
            title_faces,
        );
    }
    for (c, col) in t.columns.iter().enumerate() {
        if col.name == contract::route() {
            continue;
        }
        let loc = t.loc(&file, 0, c);
        let loc = Loc {
            cell: t.header_row.zip(t.source_cols.get(c).copied()),
            ..loc
        };
        let head = match &col.group {
            Some(g) => format!("{g}{}", col.name),
            None => col.name.clone(),
        };
        cx.print(loc, &head, head_faces);
    }
    let spans = t.span_index();
    for r in 0..t.rows.len() {
        for c in 0..t.columns.len() {
            if t.columns[c].name == contract::route() || spans.covered(r, c) {
                continue;
            }
            if let crate::table::Value::Text(text) = &t.rows[r].cells[c].value {
                cx.print(t.loc(&file, r, c), &text.clone(), body_faces);
            }
        }
    }
}

/// An empty or unknown 整改状态 in the column `name`, with the closest wording when there is one.
fn status_problem(loc: Loc, name: &str, text: &str) -> Diagnostic {
    let (rule, shown) = if text.is_empty() {
        (Rule::ValueMissing, format!("「{name}」为空"))
    } else {
        let guess = crate::model::Status::closest(text)
            .map(|s| format!("，是不是“{}”？", s.label()))
            .unwrap_or_default();
        (
            Rule::StatusUnknown,
            format!("「{name}」“{text}”无法识别{guess}"),
        )
    };
    Diagnostic::new(rule, loc, shown)
        .value(text)
        .hint("请填写 已完成整改、积极整改中 或 未启动（也可写 已完成、已整改、整改中、正在整改、未开始）")
}

/// Error values (#REF!…) and uncomputed formulas in a table's body, read from the sheet.
fn report_error_cells(cx: &mut Context, sheet: &crate::read::Sheet, t: &Table) {
    let spans = t.span_index();
    for (r, row) in t.rows.iter().enumerate() {
        let Some(sr) = row.source_row else { continue };
        for (c, &sc) in t.source_cols.iter().enumerate() {
            let cell = sheet.get(sr, sc);
            if !matches!(cell, Cell::Error(_) | Cell::Formula(_)) || spans.covered(r, c) {
                continue;
            }
            let loc = t.loc(&cx.book.display, r, c);
            if let Some(d) = cell_problem(loc, &t.columns[c].full_name(), cell) {
                cx.report.push(d);
            }
        }
    }
}

/// What is wrong with a cell whose value cannot be used: an Excel error value, or a formula
/// without a computed value.
fn cell_problem(loc: Loc, column: &str, cell: &Cell) -> Option<Diagnostic> {
    match cell {
        Cell::Error(e) => Some(
            Diagnostic::new(Rule::CellError, loc, format!("「{column}」是公式错误 {e}"))
                .value(e.clone())
                .hint("请在 Excel 或 WPS 中改正这个单元格的公式（或改为直接填写内容），保存后重新生成"),
        ),
        Cell::Formula(f) => Some(
            Diagnostic::new(
                Rule::FormulaUncomputed,
                loc,
                format!("「{column}」是公式“{f}”，但文件中没有它的计算结果"),
            )
            .value(f.clone())
            .hint("这个工作簿是由程序写出、没有在 Excel 或 WPS 中保存过的：请用 Excel 或 WPS 打开它并保存一次（公式会算出结果），再重新生成；也可以把公式改为直接填写内容"),
        ),
        _ => None,
    }
}

/// Reads one row of a built-in sheet by the columns' fields, each by the kind the contract gives
/// it.
struct RowReader<'a> {
    sheet: &'static contract::Sheet,
    records: &'a Records,
    row: &'a Row,
    at: At,
}

impl<'a> RowReader<'a> {
    fn rows(
        cx: &Context,
        sheet: &'static contract::Sheet,
        records: &'a Records,
    ) -> Vec<RowReader<'a>> {
        let columns: Arc<[(String, u32)]> = records
            .columns
            .iter()
            .map(|c| (c.name.clone(), c.col))
            .collect();
        let file: Arc<str> = Arc::from(cx.file());
        let sheet_name: Arc<str> = Arc::from(records.sheet.as_str());
        records
            .rows
            .iter()
            .map(|row| RowReader {
                sheet,
                records,
                row,
                at: At {
                    file: file.clone(),
                    sheet: sheet_name.clone(),
                    row: row.row,
                    columns: columns.clone(),
                },
            })
            .collect()
    }

    /// The declared name of the column that is `field`.
    fn name(&self, field: Field) -> &'static str {
        self.sheet.col(field)
    }

    fn cell(&self, field: Field) -> Option<&Cell> {
        self.records
            .column(self.name(field))
            .map(|i| &self.row.cells[i])
    }

    fn loc(&self, field: Field) -> Loc {
        self.at.cell(self.name(field))
    }

    /// Whether the cell holds an error value or an uncomputed formula (reported when read).
    fn unusable(&self, field: Field) -> bool {
        self.cell(field)
            .is_some_and(|c| matches!(c, Cell::Error(_) | Cell::Formula(_)))
    }

    /// The cell's text, or `None` when empty; an error value or uncomputed formula is reported.
    fn text(&self, cx: &mut Context, field: Field) -> Option<String> {
        let cell = self.cell(field)?;
        if let Some(d) = cell_problem(self.loc(field), self.name(field), cell) {
            cx.report.push(d);
            return None;
        }
        Some(cell.text()).filter(|t| !t.is_empty())
    }

    /// Like [`RowReader::text`], and the text is listed as printed in `faces`.
    fn printed(&self, cx: &mut Context, field: Field, faces: &'static [Role]) -> Option<String> {
        let t = self.text(cx, field)?;
        cx.print(self.loc(field), &t, faces);
        Some(t)
    }

    /// Printed in the faces the contract declares for the column.
    fn declared(&self, cx: &mut Context, field: Field) -> Option<String> {
        let faces = self
            .sheet
            .field(field)
            .map_or(contract::OTHER_FACES, |c| &c.faces[..]);
        self.printed(cx, field, faces)
    }

    /// The cell's lines, each trimmed, empty lines dropped.
    fn lines(&self, cx: &mut Context, field: Field) -> Vec<String> {
        self.declared(cx, field)
            .map(|t| {
                t.lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// A date; anything else in the cell is an error naming it.
    fn date(&self, cx: &mut Context, field: Field) -> Option<NaiveDate> {
        let cell = self.cell(field).filter(|c| !c.is_blank())?;
        date_in(cx, self.loc(field), self.name(field), cell)
    }

    /// A date printed 2024年3月2日, or the text as written (2024年9月, 长期坚持).
    fn date_or_text(&self, cx: &mut Context, field: Field) -> Option<String> {
        let cell = self.cell(field).filter(|c| !c.is_blank())?;
        let text = match parse_date(cell) {
            Some(d) => crate::date::format(d),
            None => self.text(cx, field)?,
        };
        cx.print(self.loc(field), &text, contract::OTHER_FACES);
        Some(text)
    }

    /// The recipient named in the 收文单位 column.
    fn route(&self, cx: &mut Context) -> Option<String> {
        self.text(cx, Field::Route)
    }

    /// Columns the contract does not declare for the sheet, by header, as text.
    fn extra(&self, cx: &mut Context) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        for (i, c) in self.records.columns.iter().enumerate() {
            if self.sheet.column(&c.name).is_none() {
                let cell = &self.row.cells[i];
                if let Some(d) = cell_problem(self.at.cell(&c.name), &c.name, cell) {
                    cx.report.push(d);
                    continue;
                }
                let text = cell.text();
                cx.print(self.at.cell(&c.name), &text, contract::OTHER_FACES);
                out.insert(c.name.clone(), text);
            }
        }
        out
    }
}

/// The date in `cell` (not blank) of the column `name`; anything else is an error at `loc`.
fn date_in(cx: &mut Context, loc: Loc, name: &str, cell: &Cell) -> Option<NaiveDate> {
    if let Some(d) = cell_problem(loc.clone(), name, cell) {
        cx.report.push(d);
        return None;
    }
    let date = parse_date(cell);
    if date.is_none() {
        cx.report.push(
            Diagnostic::new(
                Rule::DateInvalid,
                loc,
                format!("「{name}」的内容“{}”不是日期", cell.text()),
            )
            .value(cell.text())
            .hint(DATE_HINT),
        );
    }
    date
}

/// Warns about columns of a declared sheet that nothing reads.
fn report_unread_columns(cx: &mut Context, records: &Records, spec: &contract::Sheet) {
    for c in &records.columns {
        if spec.column(&c.name).is_none() {
            cx.report.push(
                Diagnostic::new(
                    Rule::ColumnUnread,
                    Loc::cell(cx.file(), &records.sheet, records.header_row, c.col),
                    format!(
                        "列「{}」不是「{}」工作表的列，其内容不会出现在文档中",
                        c.written, spec.name
                    ),
                )
                .hint(format!(
                    "「{}」的列有：{}；如是笔误请改正列名",
                    spec.name,
                    spec.columns
                        .iter()
                        .map(|c| c.name.as_str())
                        .collect::<Vec<_>>()
                        .join("、")
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Cell {
        Cell::Text(s.into())
    }

    #[test]
    fn a_date_cell_or_text_in_an_accepted_form_is_a_date() {
        let want = NaiveDate::from_ymd_opt(2024, 3, 2);
        // The text forms themselves are crate::date's; a cell hands its text on.
        assert_eq!(parse_date(&text("2024年3月2日")), want);
        assert_eq!(parse_date(&text("三月二日")), None);
        assert_eq!(parse_date(&Cell::Date(want.unwrap())), want);
        assert_eq!(parse_date(&Cell::Number(45353.0)), None);
    }

    #[test]
    fn unusable_cells_are_explained() {
        let loc = Loc::cell("a.xlsx", &contract::sheet(SheetId::Issues).name, 1, 2);
        let d = cell_problem(loc.clone(), "整改时限", &Cell::Error("#REF!".into())).unwrap();
        assert_eq!(d.rule, Rule::CellError);
        let d = cell_problem(loc.clone(), "天数", &Cell::Formula("=A1+1".into())).unwrap();
        assert!(d.message.contains("“=A1+1”"), "{}", d.message);
        assert!(cell_problem(loc, "天数", &Cell::Number(2.0)).is_none());
    }
}
