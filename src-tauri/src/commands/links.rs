//! Opening links outside the app: kontan's own hosts open at once, anything else asks first,
//! and nothing but http(s) ever opens.

use crate::error::{Error, Result};
use pantau_engine::parse::urls::is_kontan_host;
use tauri::{AppHandle, Runtime};
use url::Url;

/// Checks a link: `Ok` for http(s) kontan links (or any http(s) link once `confirmed`).
pub fn check_link(url: &str, confirmed: bool) -> Result<Url> {
    let parsed = Url::parse(url.trim()).map_err(|_| Error::RefusedLink(url.to_string()))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(Error::RefusedLink(url.to_string()));
    }
    if !confirmed && !parsed.host_str().is_some_and(is_kontan_host) {
        return Err(Error::NeedsConfirmation(parsed.to_string()));
    }
    Ok(parsed)
}

/// Opens a link in the user's browser (`$BROWSER` when set, else the system opener).
#[tauri::command(async)]
pub fn open_external<R: Runtime>(
    app: AppHandle<R>,
    url: String,
    confirmed: Option<bool>,
) -> Result<()> {
    let url = check_link(&url, confirmed.unwrap_or(false))?;
    if let Some(browser) = std::env::var_os("BROWSER").filter(|b| !b.is_empty()) {
        std::process::Command::new(browser)
            .arg(url.as_str())
            .spawn()
            .map_err(|e| Error::App(format!("browser did not start: {e}")))?;
        return Ok(());
    }
    use tauri_plugin_opener::OpenerExt;
    app.opener()
        .open_url(url.as_str(), None::<&str>)
        .map_err(|e| Error::App(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_links_and_kontan_without_asking() {
        assert!(check_link("https://investasi.kontan.co.id/news/x", false).is_ok());
        assert!(check_link("http://www.kontan.co.id/", false).is_ok());
        assert!(matches!(
            check_link("https://example.com/", false),
            Err(Error::NeedsConfirmation(_))
        ));
        assert!(check_link("https://example.com/", true).is_ok());
        assert!(matches!(
            check_link("https://kontan.co.id.evil.example/", false),
            Err(Error::NeedsConfirmation(_))
        ));
        for bad in [
            "javascript:alert(1)",
            "file:///etc/passwd",
            "data:text/html,x",
            "ftp://kontan.co.id/",
            "not a url",
        ] {
            assert!(
                matches!(check_link(bad, true), Err(Error::RefusedLink(_))),
                "{bad}"
            );
        }
    }
}
