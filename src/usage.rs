//! Usage errors from the command line, in Chinese.
//!
//! clap reports a mistyped command in English; a clerk gets the same facts in Chinese: what was
//! wrong, the closest valid spelling when clap has one, and how to see the help.

use clap::error::{ContextKind, ContextValue, ErrorKind};

fn context(e: &clap::Error, kind: ContextKind) -> Option<String> {
    e.get(kind).map(|v| match v {
        ContextValue::String(s) => s.clone(),
        ContextValue::Strings(list) => list.join("、"),
        other => other.to_string(),
    })
}

/// The Chinese message for a usage error, or `None` for help and version output (printed as is).
pub fn describe(e: &clap::Error) -> Option<String> {
    let arg = context(e, ContextKind::InvalidArg).unwrap_or_default();
    let value = context(e, ContextKind::InvalidValue).unwrap_or_default();
    let problem = match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => return None,
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand | ErrorKind::MissingSubcommand => {
            "缺少命令：请写明要做什么，例如 gongwen build".to_string()
        }
        ErrorKind::UnknownArgument => format!("不认识的选项“{arg}”"),
        ErrorKind::InvalidSubcommand => {
            format!(
                "不认识的命令“{}”",
                context(e, ContextKind::InvalidSubcommand).unwrap_or_default()
            )
        }
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            format!("选项 {arg} 的值“{value}”无效")
        }
        ErrorKind::MissingRequiredArgument => format!("缺少必须提供的参数：{arg}"),
        ErrorKind::ArgumentConflict => format!("选项 {arg} 不能与其他选项同时使用"),
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues | ErrorKind::TooFewValues => {
            format!("选项 {arg} 的值的个数不对")
        }
        ErrorKind::NoEquals => format!("选项 {arg} 需要用 = 连接它的值"),
        _ => format!("命令写法有误（{}）", e.kind()),
    };
    let suggestion = context(e, ContextKind::SuggestedSubcommand)
        .or_else(|| context(e, ContextKind::SuggestedArg))
        .map(|s| format!("\n  是不是想写：{s}"))
        .unwrap_or_default();
    Some(format!(
        "错误：{problem}{suggestion}\n  处理办法：运行 gongwen --help 查看全部命令和选项"
    ))
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;
    use crate::cli::Cli;

    #[test]
    fn usage_errors_are_explained_in_chinese() {
        let e = Cli::try_parse_from(["gongwen", "build", "--bogus"]).unwrap_err();
        let m = describe(&e).unwrap();
        assert!(m.starts_with("错误：不认识的选项“--bogus”"), "{m}");
        let e = Cli::try_parse_from(["gongwen", "biuld"]).unwrap_err();
        let m = describe(&e).unwrap();
        assert!(
            m.contains("不认识的命令“biuld”") && m.contains("是不是想写：build"),
            "{m}"
        );
        let help = Cli::try_parse_from(["gongwen", "--help"]).unwrap_err();
        assert!(describe(&help).is_none());
    }
}
