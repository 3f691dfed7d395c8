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
//! A receiver that never loses anything is never limited: the layer then
//! follows its tile size alone.

use std::time::Instant;

use crate::layers::LAYERS;

/// Above this fraction lost, the downlink is overrun.
const HIGH_LOSS: f32 = 0.10;
/// Below this fraction lost, there is room to grow.
const LOW_LOSS: f32 = 0.02;
/// Growth per report while the loss is low (percent).
const GROWTH_PERCENT: u64 = 8;

/// The bitrate beyond which limiting a receiver of `videos` video tracks
/// changes nothing: each at its top layer, with a fifth to spare.
pub(crate) fn ceiling(videos: usize) -> u64 {
    let top = LAYERS[LAYERS.len() - 1].bitrate;
    videos.max(1) as u64 * top * 6 / 5
}

/// One receiver's loss-based estimate.
#[derive(Debug, Default)]
pub(crate) struct Downlink {
    /// Bits per second; `None`: no limit.
    estimate: Option<u64>,
    /// The previous report: when, and the media bytes sent by then.
    last: Option<(Instant, u64)>,
    /// The largest fraction lost a receiver report gave since the last report.
    reported_loss: Option<f32>,
}

impl Downlink {
    /// A receiver report's fraction lost for one of the streams sent to it.
    pub fn on_receiver_report(&mut self, loss: f32) {
        self.reported_loss = Some(self.reported_loss.map_or(loss, |l| l.max(loss)));
    }

    /// One stats report: the media bytes sent to this receiver so far and the
    /// fraction of them lost over the last second (`None`: no feedback yet).
    /// `ceiling` is the bitrate beyond which a limit would change nothing.
    /// Returns the estimate to choose layers by.
    pub fn on_report(
        &mut self,
        now: Instant,
        bytes_sent: u64,
        loss: Option<f32>,
        ceiling: u64,
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
            let base = self.estimate.map_or(rate, |e| e.min(rate));
            self.estimate = Some((base as f64 * (1.0 - 0.5 * f64::from(loss))) as u64);
        } else if loss < LOW_LOSS
            && let Some(e) = self.estimate
        {
            let grown = e + e * GROWTH_PERCENT / 100;
            self.estimate = (grown < ceiling).then_some(grown);
        }
        self.estimate
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    const CEILING: u64 = 3_000_000;

    /// Reports once a second at `rate` bits/s with `loss`, `n` times.
    fn feed(
        d: &mut Downlink,
        t: &mut Instant,
        sent: &mut u64,
        rate: u64,
        loss: f32,
        n: usize,
    ) -> Option<u64> {
        let mut out = None;
        for _ in 0..n {
            *t += Duration::from_secs(1);
            *sent += rate / 8;
            out = d.on_report(*t, *sent, Some(loss), CEILING);
        }
        out
    }

    #[test]
    fn a_clean_downlink_is_never_limited() {
        let (mut d, mut t, mut sent) = (Downlink::default(), Instant::now(), 0);
        assert_eq!(feed(&mut d, &mut t, &mut sent, 2_000_000, 0.0, 10), None);
        assert_eq!(feed(&mut d, &mut t, &mut sent, 2_000_000, 0.05, 10), None);
    }

    #[test]
    fn heavy_loss_cuts_to_what_was_sent_less_half_the_loss() {
        let (mut d, mut t, mut sent) = (Downlink::default(), Instant::now(), 0);
        feed(&mut d, &mut t, &mut sent, 2_000_000, 0.0, 1);
        let cut = feed(&mut d, &mut t, &mut sent, 2_000_000, 0.2, 1).unwrap();
        assert!((1_790_000..=1_810_000).contains(&cut), "{cut}");
        // Still losing: it keeps falling.
        let lower = feed(&mut d, &mut t, &mut sent, 2_000_000, 0.2, 3).unwrap();
        assert!(lower < cut * 3 / 4, "{lower}");
    }

    #[test]
    fn once_the_loss_is_gone_it_grows_back_and_the_limit_lifts() {
        let (mut d, mut t, mut sent) = (Downlink::default(), Instant::now(), 0);
        feed(&mut d, &mut t, &mut sent, 1_000_000, 0.0, 1);
        let cut = feed(&mut d, &mut t, &mut sent, 1_000_000, 0.3, 1).unwrap();
        // Moderate loss holds it.
        assert_eq!(feed(&mut d, &mut t, &mut sent, 800_000, 0.05, 3), Some(cut));
        let grown = feed(&mut d, &mut t, &mut sent, 800_000, 0.0, 1).unwrap();
        assert_eq!(grown, cut + cut * 8 / 100);
        // 8 % a second from 850 kbit/s passes the 3 Mbit/s ceiling within 20 s.
        assert_eq!(feed(&mut d, &mut t, &mut sent, 800_000, 0.0, 20), None);
    }

    #[test]
    fn the_receiver_reports_count_when_the_twcc_loss_reads_low() {
        let (mut d, mut t, mut sent) = (Downlink::default(), Instant::now(), 0);
        feed(&mut d, &mut t, &mut sent, 1_000_000, 0.0, 1);
        d.on_receiver_report(0.05);
        d.on_receiver_report(0.25);
        let cut = feed(&mut d, &mut t, &mut sent, 1_000_000, 0.03, 1).unwrap();
        assert!((870_000..=880_000).contains(&cut), "{cut}");
        // Used once: the next report goes by its own loss again.
        assert_eq!(
            feed(&mut d, &mut t, &mut sent, 1_000_000, 0.05, 1),
            Some(cut)
        );
    }

    #[test]
    fn no_feedback_changes_nothing() {
        let (mut d, t) = (Downlink::default(), Instant::now());
        assert_eq!(d.on_report(t, 0, None, CEILING), None);
        assert_eq!(
            d.on_report(t + Duration::from_secs(1), 250_000, None, CEILING),
            None
        );
    }
}
