//! A late joiner's first offer carries receive lines for the room's tracks, so
//! joining takes one negotiation, not two.
//!
//! Without them, a browser joining a meeting where others already publish
//! offers only its own three lines; the SFU answers, then offers the others'
//! tracks in a second exchange — the costliest step of a late join in
//! Chromium (`docs/benchmarks.md`, "switching and joining late"). So the
//! browser adds one `recvonly` line per track it expects (it knows who is in
//! the room and who has a camera on or shares a screen), and the SFU binds
//! each to one of the room's tracks before str0m reads the offer.
//!
//! The binding is the line's `a=msid`. str0m keeps the msid of a line the
//! remote side created and answers with it as its own: rewriting it in the
//! offer to `<sender's stream id> <origin>-<mid>` — the label the SFU's own
//! offers carry (`docs/sfu.md`) — labels the answer, and every later offer,
//! the same way, so the browser reads whose track it is as it always does.
//!
//! A line with no track left (the browser expected more than there is: a
//! camera still starting, a person not yet connected) is answered
//! `inactive`; a track with no line left stays for the next server offer, as
//! before. So a wrong guess costs a line or a second exchange, never a track.

use str0m::media::{MediaKind, Mid};

use crate::peer::{OutState, TrackOut};

/// Binds the `recvonly` audio and video lines of `offer` to the tracks of
/// `tracks` still to open, one each, in order. Returns the offer to give str0m
/// and which track got which mid (the caller opens them once str0m accepted
/// the offer).
pub(crate) fn bind(offer: &str, tracks: &[TrackOut]) -> (String, Vec<(usize, Mid)>) {
    let mut bound = Vec::new();
    let mut taken = vec![false; tracks.len()];
    let mut out = String::with_capacity(offer.len() + 128);
    for section in sections(offer) {
        let Some(kind) = receive_line(section) else {
            out.push_str(section);
            continue;
        };
        let free = tracks
            .iter()
            .enumerate()
            .position(|(i, t)| t.kind == kind && t.state == OutState::ToOpen && !taken[i]);
        let mid = section
            .lines()
            .find_map(|l| l.trim_end().strip_prefix("a=mid:"));
        match (free, mid) {
            (Some(i), Some(mid)) => {
                taken[i] = true;
                bound.push((i, Mid::from(mid)));
                relabel(section, &tracks[i], &mut out);
            }
            _ => out.push_str(&section.replacen("a=recvonly", "a=inactive", 1)),
        }
    }
    (out, bound)
}

/// The session part, then each `m=` section, each with its line ends.
fn sections(sdp: &str) -> Vec<&str> {
    let mut starts: Vec<usize> = vec![0];
    starts.extend(sdp.match_indices("\nm=").map(|(i, _)| i + 1));
    starts.push(sdp.len());
    starts.windows(2).map(|w| &sdp[w[0]..w[1]]).collect()
}

/// The kind of a section that only receives audio or video (and is not
/// rejected: port 0), or `None`.
fn receive_line(section: &str) -> Option<MediaKind> {
    let mut words = section.strip_prefix("m=")?.split_whitespace();
    let kind = match words.next()? {
        "audio" => MediaKind::Audio,
        "video" => MediaKind::Video,
        _ => return None,
    };
    if words.next()? == "0" {
        return None;
    }
    section
        .lines()
        .any(|l| l.trim_end() == "a=recvonly")
        .then_some(kind)
}

/// `section` with its msid replaced by the track's label, placed right after
/// its `a=mid` line.
fn relabel(section: &str, track: &TrackOut, out: &mut String) {
    for line in section.split_inclusive('\n') {
        if line.starts_with("a=msid:") {
            continue;
        }
        out.push_str(line);
        if line.starts_with("a=mid:") {
            out.push_str(&format!(
                "a=msid:{} {}\r\n",
                track.stream_id,
                track.track_id()
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::PeerId;
    use crate::peer::TrackIn;

    fn track(origin: u64, kind: MediaKind, mid: &str) -> TrackOut {
        let input = TrackIn {
            mid: Mid::from(mid),
            kind,
            layers: [false; 3],
            last_frame: [None; 3],
            last_seen: None,
            heights: [None; 3],
            throttles: Default::default(),
            announced: true,
        };
        TrackOut::new(PeerId(origin), format!("person{origin}"), &input)
    }

    fn section(kind: &str, mid: &str, direction: &str) -> String {
        format!(
            "m={kind} 9 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\na=mid:{mid}\r\na={direction}\r\na=msid:- {{abc}}\r\na=rtcp-mux\r\n"
        )
    }

    fn offer(lines: &[(&str, &str, &str)]) -> String {
        let mut sdp = String::from("v=0\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0 1 2 3\r\n");
        for (kind, mid, dir) in lines {
            sdp.push_str(&section(kind, mid, dir));
        }
        sdp
    }

    fn section_of<'a>(sdp: &'a str, mid: &str) -> &'a str {
        sections(sdp)
            .into_iter()
            .find(|s| s.contains(&format!("a=mid:{mid}\r\n")))
            .expect("the section")
    }

    #[test]
    fn each_receive_line_gets_one_track_of_its_kind_labelled_as_the_server_labels() {
        let tracks = [
            track(7, MediaKind::Audio, "0"),
            track(7, MediaKind::Video, "1"),
            track(9, MediaKind::Audio, "0"),
        ];
        let sdp = offer(&[
            ("audio", "0", "sendonly"),
            ("video", "1", "recvonly"),
            ("audio", "2", "recvonly"),
            ("audio", "3", "recvonly"),
        ]);
        let (rewritten, bound) = bind(&sdp, &tracks);
        assert_eq!(
            bound,
            vec![
                (1, Mid::from("1")),
                (0, Mid::from("2")),
                (2, Mid::from("3"))
            ]
        );
        let video = section_of(&rewritten, "1");
        assert!(
            video.contains("a=mid:1\r\na=msid:person7 7-1\r\n"),
            "{video}"
        );
        assert_eq!(video.matches("a=msid:").count(), 1, "{video}");
        assert!(section_of(&rewritten, "3").contains("a=msid:person9 9-0\r\n"));
        // Our own sending line is left as it was.
        assert_eq!(
            section_of(&rewritten, "0"),
            section("audio", "0", "sendonly")
        );
    }

    #[test]
    fn a_line_with_no_track_left_is_inactive_and_a_track_with_no_line_waits() {
        let tracks = [
            track(7, MediaKind::Video, "1"),
            track(7, MediaKind::Video, "2"),
        ];
        let sdp = offer(&[("audio", "0", "recvonly"), ("video", "1", "recvonly")]);
        let (rewritten, bound) = bind(&sdp, &tracks);
        assert_eq!(bound, vec![(0, Mid::from("1"))]);
        let audio = section_of(&rewritten, "0");
        assert!(
            audio.contains("a=inactive\r\n") && !audio.contains("a=recvonly"),
            "{audio}"
        );
    }

    #[test]
    fn tracks_already_negotiated_and_rejected_lines_are_never_bound() {
        let mut open = track(7, MediaKind::Audio, "0");
        open.state = OutState::Open(Mid::from("5"));
        let sdp = format!(
            "v=0\r\n{}{}",
            section("audio", "0", "recvonly").replacen(" 9 ", " 0 ", 1),
            section("audio", "1", "recvonly")
        );
        let (rewritten, bound) = bind(&sdp, &[open]);
        assert!(bound.is_empty());
        // The rejected line stays as it came; the other has nothing to carry.
        assert!(section_of(&rewritten, "0").contains("a=recvonly"));
        assert!(section_of(&rewritten, "1").contains("a=inactive"));
    }

    #[test]
    fn an_offer_without_receive_lines_is_unchanged() {
        let sdp = offer(&[("audio", "0", "sendonly"), ("video", "1", "sendonly")]);
        let (rewritten, bound) = bind(&sdp, &[track(7, MediaKind::Audio, "0")]);
        assert_eq!(rewritten, sdp);
        assert!(bound.is_empty());
    }
}
