//! Headline lists: channel front pages and RSS feeds.

use super::fetching::off_runtime;
use super::{Engine, Patience};
use crate::error::Result;
use crate::parse;
use crate::sources::Source;
use crate::sources::{channel_url, feed_url};
use crate::time::now_ms;
use url::Url;

impl Engine {
    /// Refreshes a followed channel's front page; returns how many headlines were new.
    pub async fn refresh_channel(&self, channel: &str, patience: Patience) -> Result<usize> {
        let url = channel_url(channel)?;
        self.refresh_list(&Source::Channel(channel.to_string()), &url, patience)
            .await
    }

    /// Refreshes a channel's RSS feed; returns how many headlines were new.
    pub async fn refresh_feed(&self, channel: &str, patience: Patience) -> Result<usize> {
        let url = feed_url(channel)?;
        self.refresh_list(&Source::Feed(channel.to_string()), &url, patience)
            .await
    }

    async fn refresh_list(&self, source: &Source, url: &Url, patience: Patience) -> Result<usize> {
        self.check_round_gap(source, patience)?;
        let result = self.read_list(source, url, patience).await;
        self.recorded(source, result)
    }

    async fn read_list(&self, source: &Source, url: &Url, patience: Patience) -> Result<usize> {
        let Some((body, validators)) = self.fetch_page(source, url, patience).await? else {
            self.ok(source)?;
            return Ok(0);
        };
        let page_url = url.clone();
        let headlines = off_runtime(move || parse::parse_headlines(&body, &page_url)).await?;
        let now = now_ms();
        let new = self
            .store()
            .upsert_headlines(&headlines, &source.key(), now)?;
        self.store()
            .set_validators(url.as_str(), &validators, now)?;
        self.ok(source)?;
        Ok(new)
    }
}
