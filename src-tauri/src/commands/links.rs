//! Opening links outside the app: kontan's own hosts open at once; anything else opens only after
//! the user says yes in a native dialog that Rust asks, so nothing the page does can open it; and
//! nothing but http(s) ever opens.

use crate::error::{Error, Result};
use crate::window::{Popup, MAIN};
use pantau_engine::parse::urls::is_kontan_host;
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_dialog::{DialogExt, MessageDialogButtons, MessageDialogKind};
use url::Url;

/// Where a link the user may open goes.
#[derive(Debug, PartialEq, Eq)]
pub enum Link {
    /// One of kontan's own hosts: opens without asking.
    Kontan(Url),
    /// Any other web address: opens only after the user's yes.
    Elsewhere(Url),
}

/// Checks a link: only http(s) addresses with a host are ever opened.
pub fn check_link(url: &str) -> Result<Link> {
    let parsed = Url::parse(url.trim()).map_err(|_| Error::RefusedLink(url.to_string()))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(Error::RefusedLink(url.to_string()));
    }
    match parsed.host_str() {
        Some(host) if is_kontan_host(host) => Ok(Link::Kontan(parsed)),
        Some(_) => Ok(Link::Elsewhere(parsed)),
        None => Err(Error::RefusedLink(url.to_string())),
    }
}

/// Opens a link in the user's browser (`$BROWSER` when set, else the system opener). A link that
/// leaves kontan is asked about first; returns whether the link was opened.
#[tauri::command(async)]
pub fn open_external<R: Runtime>(app: AppHandle<R>, url: String) -> Result<bool> {
    let url = match check_link(&url)? {
        Link::Kontan(url) => url,
        Link::Elsewhere(url) if user_allows(&app, &url) => url,
        Link::Elsewhere(url) => {
            log::info!("the user kept {url} closed");
            return Ok(false);
        }
    };
    open_in_browser(&app, &url)?;
    Ok(true)
}

/// Asks "leave kontan for this host?" in a native dialog above the popup; blocks until answered.
fn user_allows<R: Runtime>(app: &AppHandle<R>, url: &Url) -> bool {
    let language = app.state::<crate::state::AppState>().settings().language;
    let host = url.host_str().unwrap_or_default();
    let text = crate::i18n::t(language, "confirm.leave", &[("host", host)]);
    let yes = crate::i18n::t(language, "confirm.yes", &[]);
    let no = crate::i18n::t(language, "confirm.no", &[]);
    let mut dialog = app
        .dialog()
        .message(text)
        .title("Pantau")
        .kind(MessageDialogKind::Warning)
        .buttons(MessageDialogButtons::OkCancelCustom(yes, no));
    if let Some(window) = app.get_webview_window(MAIN) {
        dialog = dialog.parent(&window);
    }
    // The popup stays up while its question is asked.
    let popup = app.state::<Popup>();
    popup.dialog(true);
    let allowed = dialog.blocking_show();
    popup.dialog(false);
    allowed
}

fn open_in_browser<R: Runtime>(app: &AppHandle<R>, url: &Url) -> Result<()> {
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
    fn only_web_links_and_only_kontan_without_asking() {
        for kontan in [
            "https://investasi.kontan.co.id/news/x",
            "http://www.kontan.co.id/",
        ] {
            assert!(
                matches!(check_link(kontan), Ok(Link::Kontan(_))),
                "{kontan}"
            );
        }
        for elsewhere in [
            "https://example.com/",
            "https://kontan.co.id.evil.example/",
            "https://evilkontan.co.id/",
        ] {
            assert!(
                matches!(check_link(elsewhere), Ok(Link::Elsewhere(_))),
                "{elsewhere}"
            );
        }
        for bad in [
            "javascript:alert(1)",
            "file:///etc/passwd",
            "data:text/html,x",
            "ftp://kontan.co.id/",
            "not a url",
        ] {
            assert!(
                matches!(check_link(bad), Err(Error::RefusedLink(_))),
                "{bad}"
            );
        }
    }
}
