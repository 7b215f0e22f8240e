//! The command line: what a clerk types, in Chinese.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const HELP_TEMPLATE: &str = "\
{before-help}{name} {version}
{about-with-newline}
用法：{usage}

{all-args}{after-help}";

const SUBCOMMAND_TEMPLATE: &str = "\
{about-with-newline}
用法：{usage}

{all-args}{after-help}";

/// gongwen：把整改台账等电子表格生成符合 GB/T 9704-2012 的公文 PDF 和 XLSX 台账。
#[derive(Debug, Parser)]
#[command(
    name = "gongwen",
    version,
    help_template = HELP_TEMPLATE,
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true,
    override_usage = "gongwen [选项] <命令> [工作簿…]",
    subcommand_help_heading = "命令",
    next_help_heading = "选项",
    after_help = "示例：\n  gongwen build                      生成 input/ 中的全部工作簿\n  gongwen build input/整改台账.xlsx  只生成这一个\n  gongwen check                      只检查数据，不生成文件\n\n退出状态：0 全部成功；1 有工作簿出错（其余照常生成）；2 命令用法有误。"
)]
pub struct Cli {
    /// 项目文件夹（含 input/、templates/、fonts/、output/），默认为当前文件夹
    #[arg(
        short = 'C',
        long = "project",
        value_name = "文件夹",
        global = true,
        default_value = ".",
        hide_default_value = true
    )]
    pub project: PathBuf,

    /// 不使用系统中安装的正式字体（只用 fonts/ 和内置字体，便于在不同电脑上得到相同结果）
    #[arg(long, global = true)]
    pub no_system_fonts: bool,

    /// 显示帮助
    #[arg(short = 'h', long = "help", action = clap::ArgAction::Help, global = true)]
    pub help: Option<bool>,

    /// 显示版本
    #[arg(short = 'V', long = "version", action = clap::ArgAction::Version)]
    pub version: Option<bool>,

    /// 要执行的命令
    #[command(subcommand)]
    pub command: Command,
}

/// How problems are reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// 中文文字，在终端中带颜色
    Text,
    /// 一个 JSON 文档（输出到标准输出），供脚本使用
    Json,
}

/// Options shared by `build` and `check`.
#[derive(Debug, Clone, Args)]
pub struct CheckArgs {
    /// 问题的报告方式：text（文字）或 json（供脚本使用）
    #[arg(long, value_enum, default_value_t = Format::Text, value_name = "格式")]
    pub format: Format,
    /// 有警告也视为失败（退出状态 1）
    #[arg(long)]
    pub deny_warnings: bool,
    /// 按这个日期判断是否逾期（默认为各文件的成文日期），如 2024-06-30
    #[arg(long, value_name = "日期", value_parser = parse_date)]
    pub as_of: Option<chrono::NaiveDate>,
    /// 只报告问题：不显示进度条，也不逐个列出生成的文件
    #[arg(short = 'q', long)]
    pub quiet: bool,
}

fn parse_date(text: &str) -> Result<chrono::NaiveDate, String> {
    crate::date::parse(text).ok_or_else(|| format!("“{text}”不是日期，请写成 2024-06-30"))
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// 生成公文 PDF 和台账 XLSX 到 output/（数据未变的不重新生成）
    #[command(help_template = SUBCOMMAND_TEMPLATE, override_usage = "gongwen build [选项] [工作簿…]", next_help_heading = "选项")]
    Build {
        /// 要生成的工作簿；不写则生成 input/ 中的全部 .xlsx/.xlsm/.xls/.ods
        #[arg(value_name = "工作簿")]
        workbooks: Vec<PathBuf>,
        /// 即使数据未变也全部重新生成
        #[arg(long)]
        force: bool,
        /// 同时把每份公文生成的 Typst 源码保存到 output/.gongwen/（修改模板时对照用）
        #[arg(long)]
        typst: bool,
        /// How problems are reported.
        #[command(flatten)]
        checks: CheckArgs,
    },
    /// 只读取并检查工作簿，列出全部问题，不写任何文件
    #[command(help_template = SUBCOMMAND_TEMPLATE, override_usage = "gongwen check [选项] [工作簿…]", next_help_heading = "选项")]
    Check {
        /// 要检查的工作簿；不写则检查 input/ 中的全部
        #[arg(value_name = "工作簿")]
        workbooks: Vec<PathBuf>,
        /// How problems are reported.
        #[command(flatten)]
        checks: CheckArgs,
    },
    /// 监视 input/、templates/、fonts/：每次保存后自动重新生成改动的部分（按 Ctrl-C 结束）
    #[command(help_template = SUBCOMMAND_TEMPLATE, override_usage = "gongwen watch [选项]", next_help_heading = "选项")]
    Watch {
        /// How problems are reported.
        #[command(flatten)]
        checks: CheckArgs,
    },
    /// 为一个文种生成空白工作簿（含示例行、下拉选项和说明），不覆盖已有文件
    #[command(help_template = SUBCOMMAND_TEMPLATE, override_usage = "gongwen new [选项] <文种> [文件]", next_help_heading = "选项")]
    New {
        /// 文种，如 整改报告、督办函、通知、简报
        #[arg(value_name = crate::contract::key(crate::contract::KeyId::Kind))]
        kind: String,
        /// 要生成的工作簿（默认为 input/<文种>.xlsx）
        #[arg(value_name = "文件")]
        path: Option<PathBuf>,
    },
    /// 列出每种字体角色（小标宋、仿宋、黑体、楷体、宋体）实际使用的字体
    #[command(help_template = SUBCOMMAND_TEMPLATE, override_usage = "gongwen fonts [选项]")]
    Fonts,
    /// 在浏览器中使用：添加工作簿、查看问题和页面、下载公文（本机网页服务，按 Ctrl-C 结束）
    #[command(help_template = SUBCOMMAND_TEMPLATE, override_usage = "gongwen serve [选项]", next_help_heading = "选项")]
    Serve(ServeArgs),
    /// 生成手册页和命令补全文件到指定文件夹（打包用）
    #[command(hide = true)]
    Manual {
        /// 输出文件夹
        #[arg(value_name = "文件夹")]
        dir: PathBuf,
    },
    /// 用本项目的字体和样式库排版一个 Typst 文件（修改模板时试排用）
    #[command(help_template = SUBCOMMAND_TEMPLATE, override_usage = "gongwen typst [选项] <文件>", next_help_heading = "选项")]
    Typst {
        /// Typst 源文件
        #[arg(value_name = "文件")]
        file: PathBuf,
        /// 输出的 PDF（默认与源文件同名）
        #[arg(short = 'o', long = "output", value_name = "PDF")]
        output: Option<PathBuf>,
    },
}

/// Options of `serve`.
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// 监听的地址和端口；默认只允许本机访问。端口写 0 则任取一个空闲端口
    #[arg(long, value_name = "地址:端口", default_value = "127.0.0.1:8421")]
    pub listen: std::net::SocketAddr,
    /// 启动后用默认浏览器打开页面
    #[arg(long)]
    pub open: bool,
    /// 访问口令；监听本机以外的地址时必须有（不写则自动生成一个并显示）
    #[arg(long, value_name = "口令")]
    pub token: Option<String>,
}
