//! A receiver's downlink, estimated from the loss its browser reports, for the
//! simulcast layer choice.
//!
//! Chromium sends TWCC feedback, not REMB, and str0m's own TWCC estimator
//! brings a pacer that delays every forwarded frame (see
//! [`crate::SfuConfig::bandwidth_estimation`]). So by default the SFU estimates
//! each receiver's downlink the way GCC's loss-based controller does, once a
//! second, from the loss the receiver reports: the larger of what its RTCP
//! receiver reports say (fraction lost, per stream) and what str0m reads out
//! of its TWCC feedback (which counts a packet repaired by a retransmission
//! as received, and so reads low):
//! - more than 10 % lost: the estimate drops to what was sent, times
//!   (1 − loss / 2);
//! - less than 2 % lost: it grows by 8 % a second, and is lifted altogether
//!   once the receiver could take every video at its top layer;
//! - in between: it holds.
//!
//! Layers are steps, not a slope: growing 8 % a second took ~19 s from the
//! lowest layer back to the top one, so a receiver whose Wi-Fi hiccuped once
//! watched blurry video long after, and on a link just below a layer the
//! growth crossed into it (and overran the link) every ~15 s. So the growth
//! stops short of the next layer, and only a *step* enters it: after 4 s of
//! low loss the estimate jumps to what gives each video one layer more. A
//! step the link cannot carry shows as loss within a report or two: the
//! estimate is cut as above, and the wait before the next step doubles (8 s,
//! 16 s, up to 32 s), so such a link is tried now and then, not every few
//! seconds. Back from the lowest layer to the top: ~11 s.
//!
//! A receiver that never loses anything is never limited: the layer then
//! follows its tile size alone.

use std::time::{Duration, Instant};

use crate::layers::LAYERS;

/// Above this fraction lost, the downlink is overrun.
const HIGH_LOSS: f32 = 0.10;
/// Below this fraction lost, there is room to grow.
const LOW_LOSS: f32 = 0.02;
/// Growth per report while the loss is low (percent).
const GROWTH_PERCENT: u64 = 8;
/// Clean time after a cut before the first step up.
const FIRST_WAIT: Duration = Duration::from_secs(4);
/// The longest wait between steps, after steps that failed.
const LONGEST_WAIT: Duration = Duration::from_secs(32);
/// Loss this soon after a step is the step's doing.
const STEP_PROVEN: Duration = Duration::from_secs(3);

/// The bitrate beyond which limiting a receiver of `videos` video tracks
/// changes nothing: each at its top layer, with a fifth to spare.
fn ceiling(videos: usize) -> u64 {
    let top = LAYERS[LAYERS.len() - 1].bitrate;
    videos.max(1) as u64 * top * 6 / 5
}

/// The total bitrate at which each of `videos` reaches one layer more than
/// `estimate` gives it; `None`: past the top layer. Never the lowest layer:
/// a receiver always gets that one, whatever its estimate.
fn next_layer(estimate: u64, videos: usize) -> Option<u64> {
    let videos = videos.max(1) as u64;
    let share = estimate / videos;
    LAYERS[1..]
        .iter()
        .map(|l| l.bitrate)
        .find(|b| *b > share)
        .map(|b| b * videos)
}

/// The estimate a step goes to: a twentieth above the next layer.
fn next_step(estimate: u64, videos: usize) -> Option<u64> {
    next_layer(estimate, videos).map(|b| b * 21 / 20)
}

/// The most `estimate` may grow to by itself: just short of the next layer.
/// Only a step crosses into it.
fn growth_cap(estimate: u64, videos: usize) -> u64 {
    next_layer(estimate, videos).map_or(u64::MAX, |b| b - 1)
}

/// One receiver's loss-based estimate.
#[derive(Debug)]
pub(crate) struct Downlink {
    /// Bits per second; `None`: no limit.
    estimate: Option<u64>,
    /// The previous report: when, and the media bytes sent by then.
    last: Option<(Instant, u64)>,
    /// The largest fraction lost a receiver report gave since the last report.
    reported_loss: Option<f32>,
    /// Since when every report said the loss is low (reset by each step).
    quiet_since: Option<Instant>,
    /// When the estimate last stepped up.
    stepped_at: Option<Instant>,
    /// How long the loss must stay low before the next step.
    wait: Duration,
}

impl Default for Downlink {
    fn default() -> Self {
        Downlink {
            estimate: None,
            last: None,
            reported_loss: None,
            quiet_since: None,
            stepped_at: None,
            wait: FIRST_WAIT,
        }
    }
}

impl Downlink {
    /// A receiver report's fraction lost for one of the streams sent to it.
    pub fn on_receiver_report(&mut self, loss: f32) {
        self.reported_loss = Some(self.reported_loss.map_or(loss, |l| l.max(loss)));
    }

    /// One stats report: the media bytes sent to this receiver so far and the
    /// fraction of them lost over the last second (`None`: no feedback yet),
    /// for a receiver of `videos` video tracks. Returns the estimate to choose
    /// layers by.
    pub fn on_report(
        &mut self,
        now: Instant,
        bytes_sent: u64,
        loss: Option<f32>,
        videos: usize,
    ) -> Option<u64> {
        let sent_rate = match self.last {
            Some((then, before)) if now > then => {
                let ms = now.duration_since(then).as_millis().max(1) as u64;
                Some(bytes_sent.saturating_sub(before) * 8 * 1_000 / ms)
            }
            _ => None,
        };
        self.last = Some((now, bytes_sent));
        let loss = match (loss, self.reported_loss.take()) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        let (Some(rate), Some(loss)) = (sent_rate, loss) else {
            return self.estimate;
        };
        if loss > HIGH_LOSS {
            if self
                .stepped_at
                .is_some_and(|t| now.duration_since(t) <= STEP_PROVEN)
            {
                // The step was more than the link carries: wait longer next time.
                self.wait = (self.wait * 2).min(LONGEST_WAIT);
            }
            self.stepped_at = None;
            self.quiet_since = None;
            let base = self.estimate.map_or(rate, |e| e.min(rate));
            self.estimate = Some((base as f64 * (1.0 - 0.5 * f64::from(loss))) as u64);
        } else if loss < LOW_LOSS {
            let quiet_since = *self.quiet_since.get_or_insert(now);
            if let Some(e) = self.estimate {
                let grown = (e + e * GROWTH_PERCENT / 100).min(growth_cap(e, videos));
                let next = if now.duration_since(quiet_since) >= self.wait {
                    self.quiet_since = Some(now);
                    self.stepped_at = Some(now);
                    next_step(e, videos).map(|s| s.max(grown))
                } else {
                    Some(grown)
                };
                self.estimate = next.filter(|n| *n < ceiling(videos));
                if self.estimate.is_none() {
                    // Free again: a later limit starts from the first wait.
                    self.wait = FIRST_WAIT;
                    self.stepped_at = None;
                }
            }
        } else {
            self.quiet_since = None;
        }
        self.estimate
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A receiver of one video; its top layer needs 1.5 Mbit/s.
    const ONE: usize = 1;

    struct Feed {
        d: Downlink,
        t: Instant,
        sent: u64,
    }

    impl Feed {
        fn new() -> Self {
            Feed {
                d: Downlink::default(),
                t: Instant::now(),
                sent: 0,
            }
        }

        /// Reports once a second at `rate` bits/s with `loss`, `n` times.
        fn feed(&mut self, rate: u64, loss: f32, n: usize) -> Option<u64> {
            let mut out = None;
            for _ in 0..n {
                self.t += Duration::from_secs(1);
                self.sent += rate / 8;
                out = self.d.on_report(self.t, self.sent, Some(loss), ONE);
            }
            out
        }

        /// Clean reports at `rate` until the estimate enters a higher layer
        /// or is lifted: how many it took, and the new estimate.
        fn until_step(&mut self, rate: u64, limit: usize) -> (usize, Option<u64>) {
            let layer = |e: u64| LAYERS.iter().rposition(|l| l.bitrate <= e).unwrap_or(0);
            let before = layer(self.d.estimate.expect("a limit to step from"));
            for n in 1..=limit {
                match self.feed(rate, 0.0, 1) {
                    Some(e) if layer(e) <= before => {}
                    other => return (n, other),
                }
            }
            panic!("no step in {limit} clean reports");
        }

        /// A hiccup at the top layer: the estimate falls to the lowest one.
        fn hiccup(&mut self) -> u64 {
            self.feed(1_500_000, 0.3, 1);
            let low = self.feed(500_000, 0.3, 1).unwrap();
            assert!(low < LAYERS[1].bitrate, "{low}");
            low
        }
    }

    #[test]
    fn a_clean_downlink_is_never_limited() {
        let mut f = Feed::new();
        assert_eq!(f.feed(2_000_000, 0.0, 10), None);
        assert_eq!(f.feed(2_000_000, 0.05, 10), None);
    }

    #[test]
    fn heavy_loss_cuts_to_what_was_sent_less_half_the_loss() {
        let mut f = Feed::new();
        f.feed(2_000_000, 0.0, 1);
        let cut = f.feed(2_000_000, 0.2, 1).unwrap();
        assert!((1_790_000..=1_810_000).contains(&cut), "{cut}");
        // Still losing: it keeps falling.
        let lower = f.feed(2_000_000, 0.2, 3).unwrap();
        assert!(lower < cut * 3 / 4, "{lower}");
    }

    #[test]
    fn moderate_loss_holds_and_low_loss_grows_it() {
        let mut f = Feed::new();
        f.feed(1_000_000, 0.0, 1);
        let cut = f.feed(1_000_000, 0.3, 1).unwrap();
        assert_eq!(f.feed(500_000, 0.05, 3), Some(cut));
        assert_eq!(f.feed(500_000, 0.0, 1), Some(cut + cut * 8 / 100));
    }

    #[test]
    fn growing_stops_short_of_the_next_layer() {
        let mut f = Feed::new();
        f.feed(1_500_000, 0.0, 1);
        f.hiccup();
        // Three clean seconds: 8 % a second would pass 500 kbit/s; it stops below.
        assert_eq!(f.feed(150_000, 0.0, 3), Some(LAYERS[1].bitrate - 1));
    }

    #[test]
    fn after_a_few_clean_seconds_it_steps_up_a_layer_at_a_time_and_lifts() {
        let mut f = Feed::new();
        f.feed(1_500_000, 0.0, 1);
        f.hiccup();
        // The first step after 4 clean seconds (the fifth report), to the
        // middle layer; the next 4 s later, to the top one.
        let (reports, middle) = f.until_step(150_000, 20);
        assert_eq!(reports, 5);
        let middle = middle.unwrap();
        assert!(
            (LAYERS[1].bitrate..LAYERS[2].bitrate).contains(&middle),
            "{middle}"
        );
        let (reports, top) = f.until_step(500_000, 20);
        assert_eq!(reports, 4);
        assert!(top.unwrap() >= LAYERS[2].bitrate, "{top:?}");
        // The 8 % growth lifts the limit within two more seconds: 11 s in all.
        assert_eq!(f.feed(1_500_000, 0.0, 2), None);
    }

    #[test]
    fn a_step_the_link_cannot_carry_doubles_the_wait_before_the_next() {
        let mut f = Feed::new();
        f.feed(1_500_000, 0.0, 1);
        f.hiccup();
        f.until_step(150_000, 20);
        assert_eq!(f.until_step(500_000, 20).0, 4);
        // The top layer overruns this link: loss right after each step.
        for wait in [8, 16, 32, 32] {
            f.feed(1_500_000, 0.25, 1);
            assert_eq!(f.until_step(500_000, 40).0, wait + 1, "{wait} s of quiet");
        }
    }

    #[test]
    fn a_step_that_held_is_not_blamed_for_later_loss() {
        let mut f = Feed::new();
        f.feed(1_500_000, 0.0, 1);
        f.hiccup();
        f.until_step(150_000, 20);
        f.until_step(500_000, 20);
        // Five clean seconds at the top layer (lifted meanwhile), then a new
        // hiccup: the next step waits the first 4 s again.
        assert_eq!(f.feed(1_500_000, 0.0, 5), None);
        f.hiccup();
        assert_eq!(f.until_step(150_000, 20).0, 5);
    }

    #[test]
    fn from_below_the_lowest_layer_the_first_step_is_to_the_middle_one() {
        // The lowest layer is never taken away, so an estimate under it grows
        // and steps towards the middle layer, not to the lowest one first.
        let mut f = Feed::new();
        f.feed(300_000, 0.0, 1);
        let low = f.feed(200_000, 0.6, 1).unwrap();
        assert!(low < LAYERS[0].bitrate, "{low}");
        let (reports, middle) = f.until_step(150_000, 20);
        assert_eq!(reports, 5);
        assert!(middle.unwrap() >= LAYERS[1].bitrate, "{middle:?}");
    }

    #[test]
    fn moderate_loss_restarts_the_quiet_time() {
        let mut f = Feed::new();
        f.feed(1_500_000, 0.0, 1);
        f.hiccup();
        f.feed(150_000, 0.0, 3);
        f.feed(150_000, 0.05, 1);
        assert_eq!(f.until_step(150_000, 20).0, 5);
    }

    #[test]
    fn steps_go_one_layer_at_a_time_for_each_video() {
        // Two videos sharing 700 kbit/s (350 each: the middle layer does not
        // fit). One step: enough for each to take the middle layer, not more.
        let step = next_step(700_000, 2).unwrap();
        assert_eq!(step, 2 * LAYERS[1].bitrate * 21 / 20);
        assert_eq!(next_step(step, 2), Some(2 * LAYERS[2].bitrate * 21 / 20));
        assert_eq!(next_step(2 * LAYERS[2].bitrate * 21 / 20, 2), None);
    }

    #[test]
    fn the_receiver_reports_count_when_the_twcc_loss_reads_low() {
        let mut f = Feed::new();
        f.feed(1_000_000, 0.0, 1);
        f.d.on_receiver_report(0.05);
        f.d.on_receiver_report(0.25);
        let cut = f.feed(1_000_000, 0.03, 1).unwrap();
        assert!((870_000..=880_000).contains(&cut), "{cut}");
        // Used once: the next report goes by its own loss again.
        assert_eq!(f.feed(1_000_000, 0.05, 1), Some(cut));
    }

    #[test]
    fn no_feedback_changes_nothing() {
        let (mut d, t) = (Downlink::default(), Instant::now());
        assert_eq!(d.on_report(t, 0, None, ONE), None);
        assert_eq!(
            d.on_report(t + Duration::from_secs(1), 250_000, None, ONE),
            None
        );
    }
}
