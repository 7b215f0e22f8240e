//! The input contract as data: every sheet, column and 文件信息 key gongwen reads, declared once.
//!
//! `docs/input-contract.md` says in prose what a clerk puts in a workbook; this module says the
//! same as data. Validation finds header rows and reads values by these declarations, the
//! character-coverage check takes the face each cell prints in from them, and the conformance
//! expectations and blank workbooks are derived from them. Nothing else in the code spells a
//! sheet's name, a column's name or a 文件信息 key.

use crate::fonts::Role;

/// The layouts a 文种's template can declare; layout and the conformance check follow it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum Format {
    /// 文件格式 (GB/T 9704 §7): red “…文件” 标志 35 mm below the 版心 top, 156 mm red rule.
    File,
    /// 信函格式 (§10.1): 标志 30 mm from the paper top, 170 mm red double rules.
    Letter,
    /// 简报: masthead with 简报名称, 期号, 编印单位 and date; 报/送 at the end.
    Bulletin,
}

impl Format {
    /// Every format, as templates name them.
    pub const ALL: [Format; 3] = [Format::File, Format::Letter, Format::Bulletin];

    /// The name a template uses (`format = "信函"`) and the style library's `格式`.
    pub fn name(self) -> &'static str {
        match self {
            Format::File => "文件",
            Format::Letter => "信函",
            Format::Bulletin => "简报",
        }
    }

    /// The format a template names (`文件`, `文件格式`, `信函`, `信函格式`, `简报`).
    pub fn parse(text: &str) -> Option<Format> {
        let t = text.trim();
        let t = t.strip_suffix("格式").unwrap_or(t);
        Format::ALL.into_iter().find(|f| f.name() == t)
    }
}

/// What kind of value a column or key holds, which decides how it is read and checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Free text.
    Text,
    /// Text whose lines are separate paragraphs (or measures).
    Lines,
    /// A date cell or one of the four text forms.
    Date,
    /// A date, or text such as 2024年9月 or 长期坚持.
    DateOrText,
    /// A 整改状态 wording.
    Status,
    /// A heading level 1..4, or empty.
    Level,
    /// 是 or 否.
    YesNo,
}

/// One column of a sheet.
#[derive(Debug)]
pub struct Column {
    /// The header name (white space inside a header is ignored when matching).
    pub name: &'static str,
    /// Whether the header must have it.
    pub required: bool,
    /// What it holds.
    pub kind: Kind,
    /// The faces its text prints in (a heading column prints in the face of its level).
    pub faces: &'static [Role],
    /// Other headers clerks use for the same column.
    pub synonyms: &'static [&'static str],
    /// What it means, in a clerk's words.
    pub meaning: &'static str,
    /// A value for the example row of a blank workbook (empty: leave the cell empty).
    pub example: &'static str,
}

/// A sheet read as a table by header names.
#[derive(Debug)]
pub struct Sheet {
    /// The sheet's name.
    pub name: &'static str,
    /// Its columns, in the order a blank workbook lays them out.
    pub columns: &'static [Column],
    /// What it is for.
    pub meaning: &'static str,
}

impl Sheet {
    /// The names of the columns a header row must hold.
    pub fn required(&self) -> Vec<&'static str> {
        self.columns
            .iter()
            .filter(|c| c.required)
            .map(|c| c.name)
            .collect()
    }

    /// The column declared under `name` or one of its synonyms.
    pub fn column(&self, name: &str) -> Option<&'static Column> {
        self.columns
            .iter()
            .find(|c| c.name == name || c.synonyms.contains(&name))
    }
}

/// One key of the 文件信息 sheet.
#[derive(Debug)]
pub struct Key {
    /// The key as written in the 项目 column.
    pub name: &'static str,
    /// Whether every workbook must give it.
    pub required: bool,
    /// What it holds.
    pub kind: Kind,
    /// The faces its value prints in.
    pub faces: &'static [Role],
    /// What it means.
    pub meaning: &'static str,
    /// A value for a blank workbook (empty: the key is listed without a value).
    pub example: &'static str,
}

const FANG: &[Role] = &[Role::FangSong];
const TITLE: &[Role] = &[Role::XiaoBiaoSong];
const HEI: &[Role] = &[Role::Hei];
const KAI: &[Role] = &[Role::Kai];

const fn col(
    name: &'static str,
    required: bool,
    kind: Kind,
    meaning: &'static str,
    example: &'static str,
) -> Column {
    Column {
        name,
        required,
        kind,
        faces: FANG,
        synonyms: &[],
        meaning,
        example,
    }
}

const fn key(
    name: &'static str,
    required: bool,
    kind: Kind,
    meaning: &'static str,
    example: &'static str,
) -> Key {
    Key {
        name,
        required,
        kind,
        faces: FANG,
        meaning,
        example,
    }
}

/// The sheet every workbook has: one key per row.
pub const INFO: Sheet = Sheet {
    name: "文件信息",
    columns: &[
        col(
            "项目",
            true,
            Kind::Text,
            "键名，如 文种、发文机关、标题、成文日期",
            "",
        ),
        col("内容", true, Kind::Text, "该项的内容", ""),
    ],
    meaning: "文件的基本信息：文种、发文机关、标题、成文日期等，每行一项",
};

/// The column of [`INFO`] holding the key names.
pub const INFO_KEY: &str = "项目";
/// The column of [`INFO`] holding the values.
pub const INFO_VALUE: &str = "内容";

/// 文种: chooses the template.
pub const KIND: &str = "文种";
/// 发文机关
pub const ISSUER: &str = "发文机关";
/// 发文机关标志
pub const MARK: &str = "发文机关标志";
/// 发文字号
pub const DOC_NUMBER: &str = "发文字号";
/// 签发人
pub const SIGNERS: &str = "签发人";
/// 印章
pub const SEAL: &str = "印章";
/// 标题
pub const TITLE_KEY: &str = "标题";
/// 主送机关
pub const ADDRESSEE: &str = "主送机关";
/// 成文日期
pub const DATE: &str = "成文日期";
/// 署名
pub const SIGNATURE: &str = "署名";
/// 附注
pub const NOTE: &str = "附注";
/// 抄送
pub const COPY_TO: &str = "抄送";
/// 附件说明
pub const ATTACHMENT_NOTE: &str = "附件说明";

/// Every 文件信息 key the contract names. Any other key is a free variable for templates.
pub const KEYS: &[Key] = &[
    key(
        KIND,
        true,
        Kind::Text,
        "选择模板：整改报告、整改情况报告、督办函、通知、简报，或项目 templates/ 中的文种",
        "",
    ),
    Key {
        faces: &[Role::XiaoBiaoSong, Role::FangSong],
        ..key(
            ISSUER,
            true,
            Kind::Text,
            "发文机关全称（未填发文机关标志时也用作标志，未填署名时用作署名）",
            "××县人民政府",
        )
    },
    Key {
        faces: TITLE,
        ..key(
            MARK,
            false,
            Kind::Text,
            "版头红色的发文机关标志，如 ××县人民政府文件；默认由发文机关和模板的格式得出",
            "",
        )
    },
    key(
        DOC_NUMBER,
        false,
        Kind::Text,
        "机关代字〔年份〕序号号，如 晋应急函〔2022〕136号（六角括号，不加“第”，不编虚位）",
        "××政〔2026〕1号",
    ),
    Key {
        faces: KAI,
        ..key(
            SIGNERS,
            false,
            Kind::Text,
            "上行文的签发人，多人用顿号分隔",
            "张××",
        )
    },
    key(
        SEAL,
        false,
        Kind::YesNo,
        "是：落款按加盖印章的格式排；否或留空：不加盖印章",
        "否",
    ),
    key("份号", false, Kind::Text, "6 位阿拉伯数字，如 000001", ""),
    Key {
        faces: HEI,
        ..key("密级", false, Kind::Text, "绝密、机密、秘密", "")
    },
    key("保密期限", false, Kind::Text, "如 1年", ""),
    Key {
        faces: HEI,
        ..key("紧急程度", false, Kind::Text, "特急、加急", "")
    },
    Key {
        faces: TITLE,
        ..key(
            TITLE_KEY,
            true,
            Kind::Text,
            "公文标题；太长时由 gongwen 在词与词之间回行，也可自己换行",
            "关于××××工作的报告",
        )
    },
    key(
        ADDRESSEE,
        false,
        Kind::Text,
        "主送机关，印出时后加全角冒号",
        "××市人民政府",
    ),
    key(
        DATE,
        true,
        Kind::Date,
        "成文日期，印为 2024年3月25日",
        "2026-06-30",
    ),
    key(
        SIGNATURE,
        false,
        Kind::Text,
        "落款的署名，默认为发文机关",
        "",
    ),
    key(
        NOTE,
        false,
        Kind::Text,
        "附注，印在圆括号内，如 此件依申请公开",
        "",
    ),
    key("联系人", false, Kind::Text, "督办函等的联系人", "王××"),
    key("联系电话", false, Kind::Text, "联系电话", "0000—1234567"),
    key("电子邮箱", false, Kind::Text, "电子邮箱", ""),
    key(
        COPY_TO,
        false,
        Kind::Text,
        "版记的抄送机关，以句号结尾",
        "××市应急管理局。",
    ),
    key(
        "印发机关",
        false,
        Kind::Text,
        "版记的印发机关",
        "××县人民政府办公室",
    ),
    key(
        "印发日期",
        false,
        Kind::Date,
        "版记的印发日期",
        "2026-06-30",
    ),
    key(
        "报",
        false,
        Kind::Text,
        "简报的报送范围",
        "××省应急管理厅。",
    ),
    key(
        "送",
        false,
        Kind::Text,
        "简报的发送范围",
        "各市应急管理局。",
    ),
    Key {
        faces: TITLE,
        ..key(
            "简报名称",
            false,
            Kind::Text,
            "简报报头的名称，如 三年行动进展情况",
            "安全生产工作简报",
        )
    },
    key("期号", false, Kind::Text, "简报的期号，如 第5期", "第1期"),
    key(
        "编印单位",
        false,
        Kind::Text,
        "简报报头左下的编印单位",
        "××县应急管理局办公室",
    ),
    key(
        ATTACHMENT_NOTE,
        false,
        Kind::Lines,
        "附件说明，每行一个附件名称；不填则由 附件1、附件2… 工作表的标题生成",
        "",
    ),
    Key {
        faces: TITLE,
        ..key(
            "印发文件标题",
            false,
            Kind::Text,
            "通知所印发的文件（如实施方案）的标题；填写后「正文」工作表是该文件的正文",
            "",
        )
    },
    key(
        "通知正文",
        false,
        Kind::Lines,
        "印发通知的正文；不填则写“现将《…》印发给你们，请认真贯彻执行。”",
        "",
    ),
];

/// The contract's key named `name`.
pub fn info_key(name: &str) -> Option<&'static Key> {
    KEYS.iter().find(|k| k.name == name)
}

/// The column through which rows go to one recipient of a batch.
pub const ROUTE: &str = "收文单位";

/// The items of an inspection and their rectification.
pub const ISSUES: Sheet = Sheet {
    name: "问题清单",
    columns: &[
        col(
            "序号",
            false,
            Kind::Text,
            "如填写，须按行的顺序为 1..N",
            "1",
        ),
        Column {
            faces: HEI,
            ..col(
                "层面",
                false,
                Kind::Text,
                "第一层分组，如 政府、部门层面 / 企业层面",
                "企业层面",
            )
        },
        Column {
            faces: KAI,
            ..col(
                "类别",
                false,
                Kind::Text,
                "层面内的第二层分组，印为（一）（二）…",
                "安全风险管控不到位",
            )
        },
        Column {
            synonyms: &["问题描述", "问题", "发现问题", "问题内容"],
            ..col(
                "存在问题",
                true,
                Kind::Text,
                "发现的问题",
                "××矿业有限公司未按规定开展安全风险辨识评估",
            )
        },
        col("问题来源", false, Kind::Text, "如 《建议函》提出", ""),
        Column {
            synonyms: &["整改进度", "整改情况", "完成情况", "状态"],
            ..col(
                "整改状态",
                true,
                Kind::Status,
                "已完成整改、积极整改中 或 未启动",
                "积极整改中",
            )
        },
        col(
            "整改措施",
            false,
            Kind::Lines,
            "每行一条措施，印为 一是…二是…",
            "组织专家开展安全风险辨识评估。\n建立安全风险分级管控台账并每月更新。",
        ),
        col("责任单位", false, Kind::Text, "责任单位", "××矿业有限公司"),
        col("责任人", false, Kind::Text, "责任人", "李××"),
        Column {
            synonyms: &["完成时限", "整改期限", "整改时间"],
            ..col(
                "整改时限",
                false,
                Kind::Date,
                "超过时限且未完成整改的问题计为逾期",
                "2026-12-31",
            )
        },
        col("完成时间", false, Kind::Date, "实际完成整改的日期", ""),
        col("备注", false, Kind::Text, "备注", ""),
        col(
            ROUTE,
            false,
            Kind::Text,
            "批量发文时，这一行只发给这个收文单位；留空则发给每一个",
            "",
        ),
    ],
    meaning: "检查发现的问题及其整改情况，也是整改台账的来源",
};

/// 下一步工作: 一是<标题>。<内容>…
pub const STEPS: Sheet = Sheet {
    name: "下一步工作",
    columns: &[
        col(
            "标题",
            true,
            Kind::Text,
            "一句话概括，印为 一是…",
            "持续抓好问题整改",
        ),
        col(
            "内容",
            false,
            Kind::Text,
            "具体内容",
            "对未完成整改的问题逐项跟踪督办，确保按期完成。",
        ),
        col(ROUTE, false, Kind::Text, "批量发文时只发给这个收文单位", ""),
    ],
    meaning: "下一步工作，每行一项",
};

/// 正文: headings and paragraphs of long prose.
pub const SECTIONS: Sheet = Sheet {
    name: "正文",
    columns: &[
        col(
            "层级",
            false,
            Kind::Level,
            "1 一、 2 （一） 3 1. 4 （1）；留空为普通段落",
            "1",
        ),
        Column {
            faces: &[Role::Hei, Role::Kai, Role::FangSong],
            ..col(
                "标题",
                false,
                Kind::Text,
                "标题（不写序号）；以“。”结尾的标题与内容接排",
                "加强组织领导",
            )
        },
        col(
            "内容",
            false,
            Kind::Lines,
            "段落，每行一段",
            "各单位要高度重视，明确责任分工，确保各项工作落到实处。",
        ),
        col(ROUTE, false, Kind::Text, "批量发文时只发给这个收文单位", ""),
    ],
    meaning: "正文：层次标题和段落",
};

/// 简报文章: the articles of a bulletin.
pub const ARTICLES: Sheet = Sheet {
    name: "简报文章",
    columns: &[
        Column {
            faces: HEI,
            ..col(
                "栏目",
                false,
                Kind::Text,
                "栏目，如 工作动态；相邻的同一栏目只印一次",
                "工作动态",
            )
        },
        Column {
            faces: TITLE,
            ..col(
                "标题",
                true,
                Kind::Text,
                "文章标题；换行处即标题回行处（主标题、副标题）",
                "××县召开安全生产工作会议",
            )
        },
        col(
            "正文",
            true,
            Kind::Lines,
            "文章正文，每行一段",
            "6月28日，××县召开安全生产工作会议，部署下半年重点工作。",
        ),
        col("来源", false, Kind::Text, "稿件来源，印在文末", ""),
        col(ROUTE, false, Kind::Text, "批量发文时只发给这个收文单位", ""),
    ],
    meaning: "简报的文章，按行的顺序排",
};

/// 督办事项: the items a supervision letter presses for.
pub const ITEMS: Sheet = Sheet {
    name: "督办事项",
    columns: &[
        col(
            ROUTE,
            false,
            Kind::Text,
            "只督办这个收文单位；留空则督办每一个",
            "",
        ),
        Column {
            synonyms: &["督办事项", "任务", "工作任务", "事项内容"],
            ..col(
                "事项",
                true,
                Kind::Text,
                "督办的事项",
                "组织开展一次全覆盖的安全隐患排查",
            )
        },
        Column {
            synonyms: &["完成时间", "时限"],
            ..col(
                "完成时限",
                false,
                Kind::DateOrText,
                "日期，或 2024年9月、长期坚持 等文字",
                "2026年9月30日前",
            )
        },
        col("责任单位", false, Kind::Text, "责任单位", "各市应急管理局"),
        col("备注", false, Kind::Text, "备注", ""),
    ],
    meaning: "督办函督办的事项，每行一项，按顺序编号",
};

/// 收文单位: one document per row.
pub const RECIPIENTS: Sheet = Sheet {
    name: ROUTE,
    columns: &[col(
        ADDRESSEE,
        true,
        Kind::Text,
        "收文单位全称；每行生成一份公文，文件名即此名称",
        "××市应急管理局",
    )],
    meaning: "批量发文：每行一个收文单位、一份公文；与文件信息同名的列覆盖该项，其他列是模板可用的变量",
};

/// Every sheet read by header names (the 附件N appendix sheets are tables of any shape).
pub const SHEETS: &[&Sheet] = &[
    &INFO,
    &ISSUES,
    &STEPS,
    &SECTIONS,
    &ARTICLES,
    &ITEMS,
    &RECIPIENTS,
];

/// The declared sheet named `name` (surrounding white space ignored).
pub fn sheet(name: &str) -> Option<&'static Sheet> {
    SHEETS.iter().copied().find(|s| s.name == name.trim())
}

/// A sheet that explains a workbook to the clerk (written by `gongwen new`); never read.
pub const NOTES: &str = "说明";

/// The prefix of appendix sheets: 附件1, 附件2…
pub const APPENDIX: &str = "附件";

/// The number of an appendix sheet (`附件2` or `附件2 尾矿库一览表` → 2).
pub fn appendix_number(sheet_name: &str) -> Option<u32> {
    let rest = sheet_name.trim().strip_prefix(APPENDIX)?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok().filter(|n| *n > 0)
}

/// Faces of an appendix table: its title, its header, its body.
pub const APPENDIX_FACES: [&[Role]; 3] = [TITLE, HEI, FANG];

/// The face of text of a sheet the contract does not declare (read by a template).
pub const OTHER_FACES: &[Role] = FANG;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_parse_by_their_names() {
        assert_eq!(Format::parse("信函格式"), Some(Format::Letter));
        assert_eq!(Format::parse("文件"), Some(Format::File));
        assert_eq!(Format::parse(" 简报 "), Some(Format::Bulletin));
        assert_eq!(Format::parse("命令"), None);
    }

    #[test]
    fn appendix_sheets_are_numbered() {
        assert_eq!(appendix_number("附件1"), Some(1));
        assert_eq!(appendix_number(" 附件12 包保一览表"), Some(12));
        assert_eq!(appendix_number("附件"), None);
        assert_eq!(appendix_number("附件说明"), None);
        assert_eq!(appendix_number("附件0"), None);
    }

    #[test]
    fn every_declared_name_is_unique() {
        let mut names: Vec<&str> = SHEETS.iter().map(|s| s.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), SHEETS.len());
        let mut keys: Vec<&str> = KEYS.iter().map(|k| k.name).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), KEYS.len());
        for s in SHEETS {
            let mut cols: Vec<&str> = s
                .columns
                .iter()
                .flat_map(|c| std::iter::once(c.name).chain(c.synonyms.iter().copied()))
                .collect();
            cols.sort_unstable();
            cols.dedup();
            assert_eq!(
                cols.len(),
                s.columns
                    .iter()
                    .map(|c| 1 + c.synonyms.len())
                    .sum::<usize>(),
                "{}",
                s.name
            );
        }
    }
}
