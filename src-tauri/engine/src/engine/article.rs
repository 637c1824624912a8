//! Articles: whole (multi-page stories joined), cached, and fetched ahead for offline reading.

use super::fetching::off_runtime;
use super::{Engine, Patience};
use crate::error::{Error, Result};
use crate::model::Article;
use crate::parse;
use crate::policy::article_address;
use crate::sources::Source;
use crate::store::Millis;
use crate::time::now_ms;
use std::collections::HashSet;
use url::Url;

impl Engine {
    /// An article, whole (multi-page stories joined). From the cache unless `refresh`;
    /// when the network fails, the cached copy is returned if there is one. Only kontan
    /// addresses are fetched.
    pub async fn article(&self, url: &str, refresh: bool) -> Result<(Article, Millis)> {
        self.article_with(url, refresh, Patience::UserAsked).await
    }

    async fn article_with(
        &self,
        url: &str,
        refresh: bool,
        patience: Patience,
    ) -> Result<(Article, Millis)> {
        let asked = article_address(url)?;
        let cached = self.store().article(asked.as_str())?;
        if let (Some(c), false) = (&cached, refresh) {
            return Ok(c.clone());
        }
        let mut fetched = self.fetch_article(&asked, patience).await;
        if matches!(fetched, Ok(None)) && cached.is_none() {
            // "Not modified", yet nothing is cached under this address: forget what we told
            // the server and ask for the whole page again.
            self.store().clear_validators(all_pages(&asked).as_str())?;
            fetched = self.fetch_article(&asked, patience).await;
        }
        match self.recorded(&Source::Article, fetched) {
            Ok(Some(article)) => {
                let now = now_ms();
                self.store().put_article(&article, asked.as_str(), now)?;
                Ok((article, now))
            }
            Ok(None) => cached.ok_or_else(|| {
                Error::NothingCached("the server said the article had not changed".into())
            }),
            Err(e) => cached.ok_or(e),
        }
    }

    /// Fetches `url?page=all`; if that cannot be read, follows the pager page by page.
    async fn fetch_article(&self, url: &Url, patience: Patience) -> Result<Option<Article>> {
        let all = all_pages(url);
        match self.fetch_page(&Source::Article, &all, patience).await? {
            None => return Ok(None),
            Some((body, validators)) => {
                let page_url = all.clone();
                match off_runtime(move || parse::parse_article(&body, &page_url)).await {
                    Ok(article) => {
                        self.store()
                            .set_validators(all.as_str(), &validators, now_ms())?;
                        self.ok(&Source::Article)?;
                        return Ok(Some(article));
                    }
                    Err(e @ Error::TooDeep(_)) => return Err(e),
                    Err(e) => tracing::info!("{all}: {e}; following the pager instead"),
                }
            }
        }
        let mut next = Some(url.clone());
        let mut joined: Option<Article> = None;
        let mut related_seen: HashSet<String> = HashSet::new();
        for _ in 0..20 {
            let Some(page_url) = next.take() else { break };
            let body = match self
                .fetch_page(&Source::Article, &page_url, patience)
                .await?
            {
                Some((body, _)) => body,
                None => {
                    self.store().clear_validators(page_url.as_str())?;
                    match self
                        .fetch_page(&Source::Article, &page_url, patience)
                        .await?
                    {
                        Some((body, _)) => body,
                        None => break,
                    }
                }
            };
            let parse_url = page_url.clone();
            let page = off_runtime(move || parse::parse_article(&body, &parse_url)).await?;
            next = page
                .next_page_url
                .as_deref()
                .and_then(|u| Url::parse(u).ok());
            joined = Some(match joined {
                None => {
                    related_seen.extend(page.related.iter().map(|r| r.url.clone()));
                    page
                }
                Some(mut a) => {
                    a.paragraphs.extend(page.paragraphs);
                    for r in page.related {
                        if related_seen.insert(r.url.clone()) {
                            a.related.push(r);
                        }
                    }
                    a
                }
            });
        }
        let mut article = joined.ok_or(Error::MissingPart("body"))?;
        article.next_page_url = None;
        self.ok(&Source::Article)?;
        Ok(Some(article))
    }

    /// Fetches articles not yet cached, so the reader works offline: the stories the user saved
    /// or was alerted on, and, while someone looks at the lists (`lists_shown`), the newest
    /// unread ones. Runs on the schedule's patience: every back-off holds.
    pub async fn prefetch_articles(&self, lists_shown: bool) -> Result<usize> {
        let candidates: Vec<String> = {
            let store = self.reader();
            let day_ago = now_ms() - 86_400_000;
            let mut wanted = store.articles_wanted(day_ago, self.config.prefetch_count)?;
            if lists_shown {
                let unread = store
                    .latest_headlines(None, 50)?
                    .into_iter()
                    .filter(|h| !h.read)
                    .map(|h| h.headline.url)
                    .filter(|u| !store.has_article(u).unwrap_or(true));
                for url in unread {
                    if wanted.len() >= self.config.prefetch_count {
                        break;
                    }
                    if !wanted.contains(&url) {
                        wanted.push(url);
                    }
                }
            }
            wanted
        };
        let mut fetched = 0;
        for url in candidates {
            match self.article_with(&url, false, Patience::Scheduled).await {
                Ok(_) => fetched += 1,
                Err(e @ (Error::RetryLater(_) | Error::BackingOff(_))) => return Err(e),
                Err(e) => tracing::info!("prefetch {url}: {e}"),
            }
        }
        Ok(fetched)
    }
}

/// The address of a whole story on one page (`?page=all`).
fn all_pages(article: &Url) -> Url {
    let mut all = article.clone();
    all.query_pairs_mut().append_pair("page", "all");
    all
}
