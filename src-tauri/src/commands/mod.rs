//! The commands the UI may call, grouped by what they touch.

pub mod alerts;
pub mod links;
pub mod market;
pub mod meta;
pub mod news;
pub mod popup;
pub mod settings;
pub mod taskbar;
pub mod updates;
