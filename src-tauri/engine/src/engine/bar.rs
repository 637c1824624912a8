//! The indicator bar (and the homepage rails that come with it), and the fallback quotes.

use super::fetching::off_runtime;
use super::{Engine, Patience};
use crate::error::{Error, Result};
use crate::fallback::{chart_url, parse_chart, FALLBACK_SYMBOLS};
use crate::parse::Page;
use crate::policy::fallback_due;
use crate::sources::Source;
use crate::sources::{home_url, ReadingSource};
use crate::store::Validators;
use crate::time::now_ms;
use crate::view::BarOutcome;

impl Engine {
    /// Refreshes the indicator bar (and the homepage rails it comes with). After
    /// `fallback_after` consecutive failures the fallback source fills in USD/IDR and IDX.
    pub async fn refresh_bar(&self, patience: Patience) -> Result<BarOutcome> {
        self.check_round_gap(&Source::Bar, patience)?;
        let e = match self.refresh_home(patience).await {
            Ok(outcome) => return Ok(outcome),
            Err(e) => {
                // The rails share the page: their status follows the bar's.
                match e {
                    Error::BackingOff(_) => {}
                    // The server's wait is the rails' wait too.
                    Error::RetryLater(secs) => {
                        let _ = self.failed(&Source::Home, Error::RetryLater(secs));
                    }
                    _ => {
                        let _ =
                            self.failed(&Source::Home, Error::Network(format!("homepage: {e}")));
                    }
                }
                self.failed(&Source::Bar, e)
            }
        };
        let failures = self.store().source_status(&Source::Bar.key())?.failures;
        if fallback_due(failures, self.config.fallback_after) {
            match self.refresh_fallback(patience).await {
                Ok(changed) => {
                    tracing::info!("kontan bar failing ({e}); fallback source used");
                    // The fallback's rows are now the latest: when kontan comes back, read
                    // its page whole (not a 304) so its readings take over again.
                    self.store().clear_validators(home_url().as_str())?;
                    return Ok(BarOutcome {
                        changed,
                        used_fallback: true,
                        kontan_error: Some(e.to_string()),
                        ..Default::default()
                    });
                }
                Err(fe) => tracing::warn!("fallback source failed too: {fe}"),
            }
        }
        Err(e)
    }

    /// Reads the homepage's bar and rails. Failures of the bar are the caller's to record;
    /// failures of the rails alone are recorded here (the bar can still be good).
    async fn refresh_home(&self, patience: Patience) -> Result<BarOutcome> {
        let url = home_url();
        let fetched = self.fetch_page(&Source::Bar, &url, patience).await?;
        let now = now_ms();
        let Some((body, validators)) = fetched else {
            self.store().confirm_readings(ReadingSource::Kontan, now)?;
            self.ok(&Source::Bar)?;
            self.ok(&Source::Home)?;
            return Ok(BarOutcome {
                not_modified: true,
                ..Default::default()
            });
        };
        let page_url = url.clone();
        let (headlines, bar) = off_runtime(move || {
            let page = Page::parse(&body, page_url)?;
            Ok((page.headlines(), page.indicators()))
        })
        .await?;
        let mut outcome = BarOutcome::default();
        let rails_read = match headlines {
            Ok(h) => {
                outcome.new_headlines =
                    self.store()
                        .upsert_headlines(&h, &Source::Home.key(), now)?;
                self.ok(&Source::Home)?;
                true
            }
            Err(e) => {
                let _ = self.failed(&Source::Home, e);
                false
            }
        };
        let bar = bar?;
        outcome.changed =
            self.store()
                .record_readings(&bar.readings, ReadingSource::Kontan, now)?;
        outcome.rejected = bar.rejected;
        // Remember the page only when all of it was read, so a half-read page is fetched again.
        if rails_read {
            self.store()
                .set_validators(url.as_str(), &validators, now)?;
        }
        self.ok(&Source::Bar)?;
        Ok(outcome)
    }

    /// Asks the fallback source for USD/IDR and IDX; returns the symbols that changed.
    pub async fn refresh_fallback(&self, patience: Patience) -> Result<Vec<String>> {
        let result = self.read_fallback(patience).await;
        self.recorded(&Source::Fallback, result)
    }

    async fn read_fallback(&self, patience: Patience) -> Result<Vec<String>> {
        self.check_backoff(&Source::Fallback, patience)?;
        let mut readings = Vec::new();
        for (yahoo, ours) in FALLBACK_SYMBOLS {
            let url = chart_url(yahoo);
            let Some((body, _)) = self
                .get_following(&url, &Validators::default(), false)
                .await?
            else {
                continue;
            };
            readings.push(parse_chart(&body, ours)?);
        }
        let changed = self
            .store()
            .record_readings(&readings, ReadingSource::Yahoo, now_ms())?;
        self.ok(&Source::Fallback)?;
        Ok(changed)
    }
}
