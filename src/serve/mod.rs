//! Serve: the clerk's page in the browser and the HTTP API it uses (docs/serve.md).
//!
//! - `board`: what the page shows, kept by the builder, read by requests;
//! - `builder`: one thread building the project on every change, as `gongwen build` does;
//! - `routes`: the page, its assets and the API; `guard`: who may ask (Host, Origin, token);
//! - `files`: what of `output/` may be sent, and how; `reply`: refusals as JSON; `upload`: workbooks saved into
//!   `input/`; `pages`: page images of the PDFs.
//!
//! Requests run on a small async runtime and never wait for a build: the builder works on its
//! own thread and only ever changes the board under a short lock.

mod board;
mod builder;
mod files;
mod guard;
mod pages;
mod reply;
mod routes;
mod upload;

use std::io::{Read as _, Write as _};
use std::net::{SocketAddr, TcpStream};
use std::process::ExitCode;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use anyhow::{Context as _, bail};

use crate::cli::ServeArgs;
use crate::pipeline::Run;
use crate::project::Project;
use crate::watch::{Event, Watch};

use board::Board;

/// A line on standard output. A server outlives whoever started it: when its output is closed
/// (the terminal or the launcher gone), the line is dropped rather than the server stopped.
macro_rules! say {
    ($($arg:tt)*) => {{
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

/// A line on standard error, dropped likewise when it is closed.
macro_rules! warn {
    ($($arg:tt)*) => {{
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}
use builder::{Builder, Requests};
use routes::App;

/// Serves `project` until Ctrl+C (or SIGTERM); a build under way is finished first.
///
/// # Errors
/// When the address cannot be listened on, or the project cannot be loaded.
pub(crate) fn serve(
    project: Project,
    args: &ServeArgs,
    system_fonts: bool,
) -> anyhow::Result<ExitCode> {
    let project = Project::new(
        std::path::absolute(&project.root)
            .with_context(|| format!("找不到项目文件夹 {}", project.root.display()))?,
    );
    let config = crate::config::Config::load(&project.root)?;
    let token = token(args)?;
    let Some(listener) = listen(args, token.as_deref())? else {
        return Ok(ExitCode::SUCCESS);
    };
    listener.set_nonblocking(true)?;
    let bound = listener.local_addr()?;
    std::fs::create_dir_all(project.input_dir())
        .with_context(|| format!("无法建立输入文件夹 {}", project.input_dir().display()))?;
    let run = Arc::new(RwLock::new(Arc::new(Run::new(
        project.clone(),
        system_fonts,
    )?)));
    let url = address(bound, token.as_deref());
    announce(&url, &project, bound, token.as_deref());

    let board = Arc::new(Board::new(config.serve.upload_limit()));
    let (tx, rx) = std::sync::mpsc::channel();
    let requests = Requests(tx);
    let builder = Builder::start(run.clone(), board.clone(), rx, system_fonts);
    let to_builder = requests.clone();
    let _watch = Watch::start(&project, move |event| match event {
        Event::Changed(change) => to_builder.build(change),
        Event::Failed(e) => warn!("监视文件时出错（{e}），继续监视"),
    })?;
    let (stop, stopping) = tokio::sync::watch::channel(false);
    let app = Arc::new(App {
        project,
        board,
        requests: requests.clone(),
        run,
        guard: Arc::new(guard::Guard { bound, token }),
        pages: pages::Pages::default(),
        upload_limit: config.serve.upload_limit(),
        saving: Mutex::new(()),
        stopping,
    });

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("无法启动网页服务")?;
    let open_at = args.open.then_some(url.as_str());
    runtime.block_on(answer_until_interrupted(listener, app, stop, open_at))?;
    say!("正在停止：等正在进行的生成做完（再按一次 Ctrl+C 立即退出）…");
    requests.stop();
    runtime.spawn(async {
        interrupted().await;
        std::process::exit(130);
    });
    builder.join();
    say!("已停止");
    Ok(ExitCode::SUCCESS)
}

/// Listens at the address asked for; `None` when a gongwen server already answers there and
/// `--open` asked for its page (opened).
fn listen(args: &ServeArgs, token: Option<&str>) -> anyhow::Result<Option<std::net::TcpListener>> {
    match std::net::TcpListener::bind(args.listen) {
        Ok(l) => Ok(Some(l)),
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
            if args.open && already_serving(args.listen) {
                let url = address(args.listen, token);
                say!("{url}");
                say!("公文生成页面已在运行，正在打开：{url}");
                open(&url);
                return Ok(None);
            }
            bail!(
                "无法监听 {}：这个端口已被占用（是否已有一个 gongwen serve 在运行？）\n  处理办法：关掉另一个，或换一个端口，如 --listen 127.0.0.1:0",
                args.listen
            )
        }
        Err(e) => Err(e).with_context(|| format!("无法监听 {}", args.listen)),
    }
}

/// Says where the page is (and, off loopback, how other computers reach it).
fn announce(url: &str, project: &Project, bound: SocketAddr, token: Option<&str>) {
    say!("{url}");
    say!(
        "公文生成页面：{url}（项目文件夹 {}）；按 Ctrl+C 结束",
        project.root.display()
    );
    if !bound.ip().is_loopback() {
        say!(
            "办公室的其他电脑请用本机的 IP 地址和上面的口令访问，如 http://本机IP:{}/?token={}",
            bound.port(),
            token.unwrap_or("")
        );
    }
    let _ = std::io::stdout().flush();
}

/// Answers requests until interrupted, then tells the requests under way that the server is
/// stopping; opens the page at `open_at` first when asked.
async fn answer_until_interrupted(
    listener: std::net::TcpListener,
    app: Arc<App>,
    stop: tokio::sync::watch::Sender<bool>,
    open_at: Option<&str>,
) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::from_std(listener)?;
    if let Some(url) = open_at {
        open(url);
    }
    let shutdown = async move {
        interrupted().await;
        let _ = stop.send(true);
    };
    axum::serve(listener, routes::router(app))
        .with_graceful_shutdown(shutdown)
        .await
}

/// The token to require: the one given, or off loopback a new one.
fn token(args: &ServeArgs) -> anyhow::Result<Option<String>> {
    match &args.token {
        Some(t) if t.chars().count() < 8 || !t.chars().all(|c| c.is_ascii_graphic()) => bail!(
            "访问口令至少要 8 个字符，只用字母、数字和符号（不含空格）\n  处理办法：换一个口令，或不写 --token 让 gongwen 生成一个"
        ),
        Some(t) => Ok(Some(t.clone())),
        None if args.listen.ip().is_loopback() => Ok(None),
        None => guard::new_token().map(Some),
    }
}

/// The page's address: the bound one (this machine's when bound to every address), with the
/// token when there is one.
fn address(bound: SocketAddr, token: Option<&str>) -> String {
    let mut shown = bound;
    if bound.ip().is_unspecified() {
        shown.set_ip(std::net::Ipv4Addr::LOCALHOST.into());
    }
    match token {
        Some(t) => format!("http://{shown}/?token={t}"),
        None => format!("http://{shown}/"),
    }
}

/// Opens `url` in the default browser, or says how to.
fn open(url: &str) {
    if webbrowser::open(url).is_err() {
        warn!("无法自动打开浏览器，请手动打开 {url}");
    }
}

/// Whether a gongwen server already answers at `addr` (for `--open` started twice).
fn already_serving(addr: SocketAddr) -> bool {
    let mut target = addr;
    if addr.ip().is_unspecified() {
        target.set_ip(std::net::Ipv4Addr::LOCALHOST.into());
    }
    let Ok(mut stream) = TcpStream::connect_timeout(&target, Duration::from_secs(2)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let request =
        format!("GET /api/status HTTP/1.1\r\nHost: {target}\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut head = vec![0u8; 4096];
    let n = stream.read(&mut head).unwrap_or(0);
    String::from_utf8_lossy(&head[..n])
        .to_ascii_lowercase()
        .contains("\r\nserver: gongwen")
}

/// Ctrl+C, or SIGTERM (a desktop session ending).
async fn interrupted() {
    #[cfg(unix)]
    {
        let mut term =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
        let terminated = async {
            match term.as_mut() {
                Some(t) => {
                    t.recv().await;
                }
                None => std::future::pending::<()>().await,
            }
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            () = terminated => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
