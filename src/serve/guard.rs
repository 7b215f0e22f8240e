//! Guard: who may talk to the server, checked on every request before anything else.
//!
//! - **Host.** A page on any web site can make a browser resolve that site's name to this
//!   machine (DNS rebinding) and read the answers; its requests carry that name as Host. Only
//!   `localhost`, `127.0.0.1`, `[::1]` and the bound address (any IP address when bound to all
//!   of them) with the bound port pass.
//! - **Origin.** Any web site can make a browser send a form here; requests that change
//!   something (every method but GET, HEAD and OPTIONS) whose Origin, or else Referer, is not
//!   this page's own are refused.
//! - **Token.** Off loopback, every request needs the token: `?token=`, which the answer then
//!   sets as a cookie, the cookie itself, or `Authorization: Bearer`. Compared in constant time.
//!
//! Every answer carries headers that keep it from being framed, sniffed or mixed with other
//! sites' scripts.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The cookie that carries the token.
pub(crate) const COOKIE: &str = "gongwen_token";

/// Who may talk to the server.
#[derive(Debug, Clone)]
pub(crate) struct Guard {
    /// The address the server is bound to.
    pub(crate) bound: SocketAddr,
    /// The token every request must carry, when one is set.
    pub(crate) token: Option<String>,
}

/// A new random token: 128 bits, in hex.
///
/// # Errors
/// When the system has no randomness to give.
pub(crate) fn new_token() -> anyhow::Result<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("无法生成访问口令（{e}）"))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

impl Guard {
    /// Whether a Host header names this server.
    pub(crate) fn host_allowed(&self, host: &str) -> bool {
        let Some((name, port)) = split_host(host) else {
            return false;
        };
        if port != self.bound.port() {
            return false;
        }
        if name.eq_ignore_ascii_case("localhost") {
            return true;
        }
        let Ok(ip) = name
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
        else {
            // A name: what DNS rebinding uses.
            return false;
        };
        ip.is_loopback() || ip == self.bound.ip() || self.bound.ip().is_unspecified()
    }

    /// Whether a request that changes something comes from this server's own page: its Origin
    /// (else its Referer) is `http://` + the Host it was sent to, or it carries neither (a
    /// script, not a browser).
    pub(crate) fn origin_allowed(&self, headers: &HeaderMap, host: &str) -> bool {
        let own = format!("http://{host}");
        if let Some(origin) = headers.get(header::ORIGIN) {
            return origin.to_str().is_ok_and(|o| o.eq_ignore_ascii_case(&own));
        }
        if let Some(referer) = headers.get(header::REFERER) {
            return referer.to_str().is_ok_and(|r| {
                r.eq_ignore_ascii_case(&own)
                    || r.get(..own.len() + 1)
                        .is_some_and(|p| p.eq_ignore_ascii_case(&format!("{own}/")))
            });
        }
        true
    }

    /// The token a request carries, and whether it came in the query (to be kept as a cookie).
    fn presented<'a>(&self, request: &'a Request) -> Vec<(&'a str, bool)> {
        let mut found = Vec::new();
        if let Some(query) = request.uri().query() {
            for pair in query.split('&') {
                if let Some(v) = pair.strip_prefix("token=") {
                    found.push((v, true));
                }
            }
        }
        for cookies in request.headers().get_all(header::COOKIE) {
            if let Ok(text) = cookies.to_str() {
                for c in text.split(';') {
                    if let Some(v) = c.trim().strip_prefix(&format!("{COOKIE}=")) {
                        found.push((v, false));
                    }
                }
            }
        }
        if let Some(v) = request
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|a| a.to_str().ok())
            .and_then(|a| a.strip_prefix("Bearer "))
        {
            found.push((v.trim(), false));
        }
        found
    }
}

/// `host:port` split; the port is 80 when not written.
fn split_host(host: &str) -> Option<(&str, u16)> {
    if let Some(rest) = host.strip_prefix('[') {
        let (ip, after) = rest.split_once(']')?;
        let port = match after.strip_prefix(':') {
            Some(p) => p.parse().ok()?,
            None if after.is_empty() => 80,
            None => return None,
        };
        return Some((ip, port));
    }
    match host.rsplit_once(':') {
        Some((name, port)) => Some((name, port.parse().ok()?)),
        None => Some((host, 80)),
    }
}

/// The middleware: refuses strangers, adds the safety headers to every answer.
pub(crate) async fn check(
    State(guard): State<Arc<Guard>>,
    request: Request,
    next: Next,
) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("")
        .to_string();
    if !guard.host_allowed(&host) {
        return harden(super::reply::error(
            StatusCode::FORBIDDEN,
            "拒绝访问：请求的主机名不是本服务的地址（请用启动时显示的地址打开页面）",
        ));
    }
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if !safe && !guard.origin_allowed(request.headers(), &host) {
        return harden(super::reply::error(
            StatusCode::FORBIDDEN,
            "拒绝访问：这个请求来自其他网站，只有本服务自己的页面可以修改项目",
        ));
    }
    let mut remember = None;
    if let Some(token) = &guard.token {
        let presented = guard.presented(&request);
        let Some((_, from_query)) = presented
            .iter()
            .find(|(t, _)| constant_time_eq::constant_time_eq(t.as_bytes(), token.as_bytes()))
        else {
            return harden(super::reply::error(
                StatusCode::UNAUTHORIZED,
                "需要访问口令：请用启动 gongwen serve 时显示的完整地址（含 ?token=…）打开页面",
            ));
        };
        if *from_query {
            remember = Some(token.clone());
        }
    }
    let mut response = next.run(request).await;
    if let Some(token) = remember
        && let Ok(v) = HeaderValue::from_str(&format!(
            "{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict"
        ))
    {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    harden(response)
}

/// Adds the headers every answer carries.
fn harden(response: impl IntoResponse) -> Response {
    let mut response = response.into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
        ),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::SERVER, HeaderValue::from_static("gongwen"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guard(bound: &str) -> Guard {
        Guard {
            bound: bound.parse().unwrap(),
            token: None,
        }
    }

    #[test]
    fn only_this_servers_names_are_hosts() {
        let g = guard("127.0.0.1:8421");
        for ok in [
            "127.0.0.1:8421",
            "localhost:8421",
            "LOCALHOST:8421",
            "[::1]:8421",
        ] {
            assert!(g.host_allowed(ok), "{ok}");
        }
        for bad in [
            "evil.example:8421",
            "127.0.0.1.nip.io:8421",
            "127.0.0.1:8422",
            "127.0.0.1",
            "192.168.1.5:8421",
            "",
            "[::1",
            "localhost:x",
        ] {
            assert!(!g.host_allowed(bad), "{bad}");
        }
        let lan = guard("0.0.0.0:8421");
        assert!(lan.host_allowed("192.168.1.5:8421"));
        assert!(!lan.host_allowed("office.example:8421"));
        let one = guard("192.168.1.5:80");
        assert!(one.host_allowed("192.168.1.5"));
        assert!(!one.host_allowed("192.168.1.6"));
    }

    #[test]
    fn changes_come_only_from_the_own_page() {
        let g = guard("127.0.0.1:8421");
        let with = |name: header::HeaderName, value: &str| {
            let mut h = HeaderMap::new();
            h.insert(name, HeaderValue::from_str(value).unwrap());
            h
        };
        let host = "127.0.0.1:8421";
        assert!(g.origin_allowed(&with(header::ORIGIN, "http://127.0.0.1:8421"), host));
        assert!(!g.origin_allowed(&with(header::ORIGIN, "http://evil.example"), host));
        assert!(!g.origin_allowed(&with(header::ORIGIN, "null"), host));
        assert!(!g.origin_allowed(&with(header::ORIGIN, "http://127.0.0.1:8421.evil"), host));
        assert!(g.origin_allowed(&with(header::REFERER, "http://127.0.0.1:8421/?x"), host));
        assert!(!g.origin_allowed(&with(header::REFERER, "http://127.0.0.1:84210/"), host));
        assert!(g.origin_allowed(&HeaderMap::new(), host));
    }

    #[test]
    fn tokens_are_random_and_long() {
        let a = new_token().unwrap();
        assert_eq!(a.len(), 32);
        assert_ne!(a, new_token().unwrap());
    }
}
