//! Which worker a datagram belongs to, when several workers share the one
//! media socket (`driver/mod.rs` says why one socket).
//!
//! A browser's first datagrams to a session are STUN binding requests whose
//! USERNAME starts with the session's own ICE ufrag (RFC 8445 §7.2.2): the
//! worker that made the session recorded that ufrag here when it wrote the
//! answer (or offer) carrying it. The request's source address then names the
//! same session for DTLS and SRTP, which carry no ufrag. Anything else — a
//! stray scan, a late packet of someone who left — is the reading worker's to
//! count and drop.
//!
//! Bounded: one entry per session, at most [`MAX_SOURCES`] addresses each
//! (a browser's candidate pairs), all of a session's forgotten when it ends.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::RwLock;

use crate::PeerId;

/// Addresses kept per session: a browser checks a few candidate pairs (host,
/// server-reflexive, relayed; IPv4 and IPv6), and moves at most once or twice.
pub const MAX_SOURCES: usize = 8;

#[derive(Default)]
pub struct Routes {
    table: RwLock<Table>,
}

#[derive(Default)]
struct Table {
    sessions: HashMap<PeerId, Session>,
    by_ufrag: HashMap<String, PeerId>,
    by_source: HashMap<SocketAddr, PeerId>,
}

struct Session {
    worker: usize,
    ufrag: String,
    /// Oldest first.
    sources: Vec<SocketAddr>,
}

impl Routes {
    /// `peer`, on `worker`, answers STUN to `ufrag` from now on (its first
    /// session description, or an ICE restart's new one).
    pub fn set_ufrag(&self, worker: usize, peer: PeerId, ufrag: &str) {
        let mut t = self.table.write().unwrap_or_else(|e| e.into_inner());
        let t = &mut *t;
        if let Some(s) = t.sessions.get_mut(&peer) {
            if s.ufrag == ufrag {
                return;
            }
            t.by_ufrag.remove(&s.ufrag);
            s.ufrag = ufrag.to_owned();
            s.worker = worker;
        } else {
            t.sessions.insert(
                peer,
                Session {
                    worker,
                    ufrag: ufrag.to_owned(),
                    sources: Vec::new(),
                },
            );
        }
        t.by_ufrag.insert(ufrag.to_owned(), peer);
    }

    /// The session ended: its ufrag and addresses route nowhere.
    pub fn forget(&self, peer: PeerId) {
        let mut t = self.table.write().unwrap_or_else(|e| e.into_inner());
        if let Some(s) = t.sessions.remove(&peer) {
            t.by_ufrag.remove(&s.ufrag);
            for a in s.sources {
                if t.by_source.get(&a) == Some(&peer) {
                    t.by_source.remove(&a);
                }
            }
        }
    }

    /// The worker whose session `data` from `source` is for, if any.
    pub fn worker_for(&self, source: SocketAddr, data: &[u8]) -> Option<usize> {
        {
            let t = self.table.read().unwrap_or_else(|e| e.into_inner());
            if let Some(s) = t.by_source.get(&source).and_then(|p| t.sessions.get(p)) {
                return Some(s.worker);
            }
        }
        let ufrag = stun_local_ufrag(data)?;
        let mut t = self.table.write().unwrap_or_else(|e| e.into_inner());
        let t = &mut *t;
        let peer = *t.by_ufrag.get(ufrag)?;
        if let Some(old) = t.by_source.insert(source, peer)
            && old != peer
            && let Some(o) = t.sessions.get_mut(&old)
        {
            // The address moved to another session (a NAT reused a port).
            o.sources.retain(|a| *a != source);
        }
        let s = t.sessions.get_mut(&peer)?;
        if !s.sources.contains(&source) {
            if s.sources.len() == MAX_SOURCES {
                let oldest = s.sources.remove(0);
                if t.by_source.get(&oldest) == Some(&peer) {
                    t.by_source.remove(&oldest);
                }
            }
            s.sources.push(source);
        }
        Some(s.worker)
    }

    /// Sessions and addresses known, for tests.
    #[cfg(test)]
    fn sizes(&self) -> (usize, usize, usize) {
        let t = self.table.read().unwrap();
        (t.sessions.len(), t.by_ufrag.len(), t.by_source.len())
    }
}

/// The ICE ufrag of a session description (`a=ice-ufrag:`): every media
/// section of a bundled description carries the same one.
pub fn sdp_ufrag(sdp: &str) -> Option<&str> {
    sdp.lines()
        .find_map(|l| l.trim_end().strip_prefix("a=ice-ufrag:"))
        .filter(|u| !u.is_empty())
}

const STUN_MAGIC: [u8; 4] = [0x21, 0x12, 0xa4, 0x42];
const STUN_BINDING_REQUEST: u16 = 0x0001;
const STUN_USERNAME: u16 = 0x0006;

/// In a STUN binding request, the part of USERNAME before the colon: the
/// ufrag of the side being asked (ours). None for anything else.
pub fn stun_local_ufrag(data: &[u8]) -> Option<&str> {
    if data.len() < 20 || data[4..8] != STUN_MAGIC {
        return None;
    }
    if u16::from_be_bytes([data[0], data[1]]) != STUN_BINDING_REQUEST {
        return None;
    }
    let length = usize::from(u16::from_be_bytes([data[2], data[3]]));
    let body = data.get(20..20 + length)?;
    let mut at = 0;
    while at + 4 <= body.len() {
        let kind = u16::from_be_bytes([body[at], body[at + 1]]);
        let len = usize::from(u16::from_be_bytes([body[at + 2], body[at + 3]]));
        let value = body.get(at + 4..at + 4 + len)?;
        if kind == STUN_USERNAME {
            let username = std::str::from_utf8(value).ok()?;
            return username.split_once(':').map(|(ours, _)| ours);
        }
        // Attributes are padded to four bytes.
        at += 4 + len.div_ceil(4) * 4;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn binding_request(username: &str) -> Vec<u8> {
        let mut attrs = Vec::new();
        // PRIORITY first, as browsers send it: the parser skips it.
        attrs.extend_from_slice(&0x0024u16.to_be_bytes());
        attrs.extend_from_slice(&4u16.to_be_bytes());
        attrs.extend_from_slice(&[1, 2, 3, 4]);
        attrs.extend_from_slice(&STUN_USERNAME.to_be_bytes());
        attrs.extend_from_slice(&(username.len() as u16).to_be_bytes());
        attrs.extend_from_slice(username.as_bytes());
        attrs.resize(attrs.len().div_ceil(4) * 4, 0);
        let mut m = Vec::new();
        m.extend_from_slice(&STUN_BINDING_REQUEST.to_be_bytes());
        m.extend_from_slice(&(attrs.len() as u16).to_be_bytes());
        m.extend_from_slice(&STUN_MAGIC);
        m.extend_from_slice(&[7; 12]);
        m.extend_from_slice(&attrs);
        m
    }

    fn addr(port: u16) -> SocketAddr {
        SocketAddr::from(([192, 0, 2, 1], port))
    }

    #[test]
    fn reads_our_ufrag_from_a_binding_request_and_nothing_from_other_datagrams() {
        assert_eq!(
            stun_local_ufrag(&binding_request("srv1:abcd")),
            Some("srv1")
        );
        assert_eq!(stun_local_ufrag(&binding_request("nocolon")), None);
        // DTLS (content type 22) and RTP (version 2) are not STUN.
        assert_eq!(
            stun_local_ufrag(&[
                22, 254, 253, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
            ]),
            None
        );
        assert_eq!(stun_local_ufrag(&[0x80; 40]), None);
        // A length that runs past the datagram, and an attribute that does.
        let mut cut = binding_request("srv1:abcd");
        cut.truncate(30);
        assert_eq!(stun_local_ufrag(&cut), None);
        let mut long = binding_request("srv1:abcd");
        long[20 + 8 + 2] = 0xff;
        assert_eq!(stun_local_ufrag(&long), None);
    }

    #[test]
    fn finds_the_ufrag_of_an_answer() {
        let sdp = "v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=ice-ufrag:Xy12\r\na=ice-pwd:p\r\n";
        assert_eq!(sdp_ufrag(sdp), Some("Xy12"));
        assert_eq!(sdp_ufrag("v=0\r\n"), None);
    }

    #[test]
    fn routes_by_ufrag_then_by_the_learnt_address_and_forgets_a_session_whole() {
        let routes = Routes::default();
        routes.set_ufrag(1, PeerId(7), "srv7");
        routes.set_ufrag(0, PeerId(8), "srv8");
        // DTLS from an address no binding request came from: nobody's.
        assert_eq!(routes.worker_for(addr(1000), &[22; 30]), None);
        assert_eq!(
            routes.worker_for(addr(1000), &binding_request("srv7:b")),
            Some(1)
        );
        assert_eq!(routes.worker_for(addr(1000), &[22; 30]), Some(1));
        assert_eq!(
            routes.worker_for(addr(2000), &binding_request("srv8:b")),
            Some(0)
        );
        // A ufrag nobody has.
        assert_eq!(
            routes.worker_for(addr(3000), &binding_request("zzz:b")),
            None
        );
        // An ICE restart: the new ufrag routes, the old one no more.
        routes.set_ufrag(1, PeerId(7), "srv7b");
        assert_eq!(
            routes.worker_for(addr(4000), &binding_request("srv7:b")),
            None
        );
        assert_eq!(
            routes.worker_for(addr(4000), &binding_request("srv7b:b")),
            Some(1)
        );
        routes.forget(PeerId(7));
        assert_eq!(routes.worker_for(addr(1000), &[22; 30]), None);
        assert_eq!(routes.sizes(), (1, 1, 1));
    }

    #[test]
    fn keeps_a_bounded_number_of_addresses_per_session() {
        let routes = Routes::default();
        routes.set_ufrag(0, PeerId(1), "u");
        for port in 0..100 {
            routes.worker_for(addr(port), &binding_request("u:x"));
        }
        assert_eq!(routes.sizes(), (1, 1, MAX_SOURCES));
        // The newest still route; the oldest do not.
        assert_eq!(routes.worker_for(addr(99), &[22; 30]), Some(0));
        assert_eq!(routes.worker_for(addr(0), &[22; 30]), None);
    }
}
