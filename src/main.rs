//! The `gongwen` command: parse the command line, run, print problems in Chinese, exit 0/1/2.

use std::process::ExitCode;

use clap::Parser;
use gongwen::cli::Cli;

fn main() -> ExitCode {
    std::panic::set_hook(Box::new(|info| eprintln!("gongwen 内部错误：{info}")));
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // No command at all: show the help, and say it was a usage error.
        Err(e) if e.kind() == clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            return ExitCode::from(2);
        }
        Err(e) => match gongwen::usage::describe(&e) {
            Some(message) => {
                eprintln!("{message}");
                return ExitCode::from(2);
            }
            None => {
                let _ = e.print();
                return ExitCode::SUCCESS;
            }
        },
    };
    match gongwen::cmd::run(&cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("错误：{e:#}");
            ExitCode::from(1)
        }
    }
}
