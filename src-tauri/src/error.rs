//! The app's error type: what a command hands the UI, as `{kind, message}`.

use serde::{Serialize, Serializer};

/// Everything a command can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// From the engine (network, layout change, cache ...).
    #[error(transparent)]
    Engine(#[from] pantau_engine::Error),
    /// A link that is never opened (not http/https).
    #[error("refusing to open {0}")]
    RefusedLink(String),
    /// A setting that cannot be used; `field` names the form field it came from.
    #[error("{field}: {reason}")]
    InvalidSetting {
        /// The settings form's field name.
        field: String,
        /// Why, in English (the UI words it from the kind and field).
        reason: String,
    },
    /// The desktop refused a global shortcut (taken by another app, or not allowed at all).
    #[error("the shortcut {0} could not be registered: {1}")]
    Shortcut(String, String),
    /// Something in the app shell itself.
    #[error("{0}")]
    App(String),
}

impl Error {
    /// A stable machine-readable name.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Engine(e) => e.kind(),
            Error::RefusedLink(_) => "refused_link",
            Error::InvalidSetting { .. } => "invalid_setting",
            Error::Shortcut(..) => "shortcut_refused",
            Error::App(_) => "app",
        }
    }

    /// The values the message names, for the UI's own wording.
    pub fn params(&self) -> Vec<(&'static str, String)> {
        match self {
            Error::Engine(e) => e.params(),
            Error::RefusedLink(url) => vec![("url", url.clone())],
            Error::InvalidSetting { field, .. } => vec![("field", field.clone())],
            Error::Shortcut(shortcut, _) => vec![
                ("field", "global_shortcut".to_string()),
                ("shortcut", shortcut.clone()),
            ],
            Error::App(_) => Vec::new(),
        }
    }
}

impl From<tauri::Error> for Error {
    fn from(e: tauri::Error) -> Self {
        Error::App(e.to_string())
    }
}

/// Commands hand the UI `{kind, message, params}`, like the engine's errors.
impl Serialize for Error {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        pantau_engine::error::serialize_kind_message(
            serializer,
            self.kind(),
            &self.to_string(),
            &self.params(),
        )
    }
}

/// The app's result type.
pub type Result<T> = std::result::Result<T, Error>;
