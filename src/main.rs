//! The `gongwen` command: parse the command line, run, print problems in Chinese, exit 0/1/2.

use std::process::ExitCode;

use clap::Parser;
use gongwen::cli::Cli;

fn main() -> ExitCode {
    std::panic::set_hook(Box::new(|info| eprintln!("gongwen 内部错误：{info}")));
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match gongwen::cmd::run(&cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("错误：{e:#}");
            ExitCode::from(1)
        }
    }
}
