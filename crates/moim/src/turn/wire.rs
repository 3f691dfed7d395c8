//! The few STUN messages the guard reads and writes itself, with the `stun`
//! crate the `turn` crate is built on: requests to inspect, challenges (401,
//! 438), refusals (400, 403, 486) and the requests it hands the server to
//! get a nonce.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use stun::agent::TransactionId;
use stun::attributes::{
    ATTR_MESSAGE_INTEGRITY, ATTR_NONCE, ATTR_REALM, ATTR_XOR_PEER_ADDRESS, AttrType,
};
use stun::error_code::{ErrorCode, ErrorCodeAttribute};
use stun::integrity::MessageIntegrity;
use stun::message::{
    CLASS_ERROR_RESPONSE, CLASS_REQUEST, METHOD_ALLOCATE, Message, MessageClass, MessageType,
    Setter,
};
use stun::textattrs::TextAttribute;

use super::nonces::Mint;

/// The STUN magic cookie (RFC 8489 §5).
const MAGIC_COOKIE: u32 = 0x2112_A442;

/// `datagram` as a STUN message, or `None` when it is not a well-formed one.
pub fn parse(datagram: &[u8]) -> Option<Message> {
    let mut message = Message {
        raw: datagram.to_vec(),
        ..Default::default()
    };
    message.decode().ok()?;
    Some(message)
}

/// The class of a STUN message from its first two bytes alone (cheap: the
/// guard's send path also carries relayed media).
pub fn class_of(datagram: &[u8]) -> Option<MessageClass> {
    // A STUN message starts with two zero bits; ChannelData never does.
    if datagram.len() < 20
        || datagram[0] & 0xc0 != 0
        || datagram[4..8] != MAGIC_COOKIE.to_be_bytes()
    {
        return None;
    }
    let typ = u16::from_be_bytes([datagram[0], datagram[1]]);
    let mut message_type = MessageType::default();
    message_type.read_value(typ);
    Some(message_type.class)
}

/// A text attribute (USERNAME, REALM, NONCE) of `message`.
pub fn text(message: &Message, attr: AttrType) -> Option<String> {
    TextAttribute::get_from_as(message, attr)
        .ok()
        .map(|a| a.text)
}

/// Every XOR-PEER-ADDRESS of `message` (a CreatePermission may carry
/// several), or `None` when one of them is malformed.
pub fn peer_addresses(message: &Message) -> Option<Vec<SocketAddr>> {
    let mut mask = [0u8; 16];
    mask[..4].copy_from_slice(&MAGIC_COOKIE.to_be_bytes());
    mask[4..].copy_from_slice(&message.transaction_id.0);
    message
        .attributes
        .0
        .iter()
        .filter(|a| a.typ == ATTR_XOR_PEER_ADDRESS)
        .map(|a| {
            let v = &a.value;
            let port = u16::from_be_bytes([*v.get(2)?, *v.get(3)?]) ^ (MAGIC_COOKIE >> 16) as u16;
            let ip = match (v.get(1)?, v.len()) {
                (0x01, 8) => {
                    let mut o = [0u8; 4];
                    o.iter_mut()
                        .enumerate()
                        .for_each(|(i, b)| *b = v[4 + i] ^ mask[i]);
                    IpAddr::V4(Ipv4Addr::from(o))
                }
                (0x02, 20) => {
                    let mut o = [0u8; 16];
                    o.iter_mut()
                        .enumerate()
                        .for_each(|(i, b)| *b = v[4 + i] ^ mask[i]);
                    IpAddr::V6(Ipv6Addr::from(o))
                }
                _ => return None,
            };
            Some(SocketAddr::new(ip, port))
        })
        .collect()
}

/// Whether `key` signed `message` (its MESSAGE-INTEGRITY checks out).
pub fn signed_with(message: &Message, key: &[u8]) -> bool {
    let mut copy = message.clone();
    MessageIntegrity(key.to_vec()).check(&mut copy).is_ok()
}

/// An error response to `request`: `code`, then `extra` attributes, signed
/// with `key` when the request was (RFC 8489 §9.2.4: a client drops an
/// unsigned answer to a signed request).
fn error_response(
    request: &Message,
    code: u16,
    mut extra: Vec<Box<dyn Setter>>,
    key: Option<&[u8]>,
) -> Option<Vec<u8>> {
    let mut setters: Vec<Box<dyn Setter>> = vec![
        Box::new(request.transaction_id),
        Box::new(MessageType::new(request.typ.method, CLASS_ERROR_RESPONSE)),
        Box::new(ErrorCodeAttribute {
            code: ErrorCode(code),
            reason: Vec::new(),
        }),
    ];
    setters.append(&mut extra);
    if let Some(key) = key {
        setters.push(Box::new(MessageIntegrity(key.to_vec())));
    }
    let mut response = Message::new();
    response.build(&setters).ok()?;
    Some(response.raw)
}

/// A 401 or 438 answer to `request` offering `nonce` in `realm`.
pub fn challenge(request: &Message, code: u16, nonce: &str, realm: &str) -> Option<Vec<u8>> {
    error_response(
        request,
        code,
        vec![
            Box::new(TextAttribute::new(ATTR_NONCE, nonce.to_owned())),
            Box::new(TextAttribute::new(ATTR_REALM, realm.to_owned())),
        ],
        None,
    )
}

/// A signed refusal (400, 403, 486) of an authenticated `request`.
pub fn refusal(request: &Message, code: u16, key: &[u8]) -> Option<Vec<u8>> {
    error_response(request, code, Vec::new(), Some(key))
}

/// The request the guard hands the server to get a nonce: an Allocate
/// without credentials (the server answers 401 with a new nonce), or one
/// carrying an expired nonce and a placeholder MESSAGE-INTEGRITY (the server
/// checks the nonce first, drops it and answers 438 with a new one).
pub fn mint_request(mint: &Mint) -> Option<Vec<u8>> {
    let mut setters: Vec<Box<dyn Setter>> = vec![
        Box::new(TransactionId::new()),
        Box::new(MessageType::new(METHOD_ALLOCATE, CLASS_REQUEST)),
    ];
    if let Mint::Recycle(old) = mint {
        setters.push(Box::new(TextAttribute::new(ATTR_NONCE, old.clone())));
    }
    let mut request = Message::new();
    request.build(&setters).ok()?;
    if matches!(mint, Mint::Recycle(_)) {
        request.add(ATTR_MESSAGE_INTEGRITY, &[0u8; 20]);
    }
    Some(request.raw)
}

/// The ERROR-CODE of a STUN error response, if it is one.
pub fn error_code(message: &Message) -> Option<u16> {
    let mut attr = ErrorCodeAttribute::default();
    stun::message::Getter::get_from(&mut attr, message).ok()?;
    Some(attr.code.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use stun::message::CLASS_SUCCESS_RESPONSE;

    #[test]
    fn peer_addresses_are_all_read_and_malformed_ones_refused() {
        let mut m = Message::new();
        m.build(&[
            Box::new(TransactionId::new()),
            Box::new(MessageType::new(
                stun::message::METHOD_CREATE_PERMISSION,
                CLASS_REQUEST,
            )),
        ])
        .unwrap();
        for peer in ["8.8.8.8:1", "127.0.0.1:5000", "[::1]:7"] {
            let peer: SocketAddr = peer.parse().unwrap();
            stun::xoraddr::XorMappedAddress {
                ip: peer.ip(),
                port: peer.port(),
            }
            .add_to_as(&mut m, ATTR_XOR_PEER_ADDRESS)
            .unwrap();
        }
        let parsed = parse(&m.raw).expect("well formed");
        let peers: Vec<String> = peer_addresses(&parsed)
            .unwrap()
            .iter()
            .map(|a| a.to_string())
            .collect();
        assert_eq!(peers, ["8.8.8.8:1", "127.0.0.1:5000", "[::1]:7"]);

        m.add(ATTR_XOR_PEER_ADDRESS, &[0, 1, 0]);
        assert_eq!(peer_addresses(&parse(&m.raw).unwrap()), None);
    }

    #[test]
    fn challenges_and_refusals_answer_the_request() {
        let mut request = Message::new();
        request
            .build(&[
                Box::new(TransactionId::new()),
                Box::new(MessageType::new(METHOD_ALLOCATE, CLASS_REQUEST)),
            ])
            .unwrap();
        let answer = parse(&challenge(&request, 401, "n0nce", "moim").unwrap()).unwrap();
        assert_eq!(answer.transaction_id, request.transaction_id);
        assert_eq!(
            answer.typ,
            MessageType::new(METHOD_ALLOCATE, CLASS_ERROR_RESPONSE)
        );
        assert_eq!(error_code(&answer), Some(401));
        assert_eq!(text(&answer, ATTR_NONCE).as_deref(), Some("n0nce"));
        assert_eq!(text(&answer, ATTR_REALM).as_deref(), Some("moim"));
        assert_eq!(class_of(&answer.raw), Some(CLASS_ERROR_RESPONSE));

        let refused = parse(&refusal(&request, 486, b"key").unwrap()).unwrap();
        assert_eq!(error_code(&refused), Some(486));
        assert!(signed_with(&refused, b"key"));
        assert!(!signed_with(&refused, b"another key"));
        assert_ne!(class_of(&refused.raw), Some(CLASS_SUCCESS_RESPONSE));
    }

    #[test]
    fn mint_requests_are_allocates_with_or_without_the_old_nonce() {
        let fresh = parse(&mint_request(&Mint::Fresh).unwrap()).unwrap();
        assert_eq!(fresh.typ, MessageType::new(METHOD_ALLOCATE, CLASS_REQUEST));
        assert!(!fresh.contains(ATTR_MESSAGE_INTEGRITY));
        let recycle = parse(&mint_request(&Mint::Recycle("old".into())).unwrap()).unwrap();
        assert_eq!(text(&recycle, ATTR_NONCE).as_deref(), Some("old"));
        assert!(recycle.contains(ATTR_MESSAGE_INTEGRITY));
    }

    proptest::proptest! {
        /// Whatever arrives on the TURN port, the guard's reading of it
        /// answers or gives up: no panic, whether the bytes are noise or a
        /// STUN header with a garbled body.
        #[test]
        fn any_datagram_is_read_without_panic(
            body in proptest::collection::vec(proptest::num::u8::ANY, 0..200),
            stun_header in proptest::bool::ANY,
            method in 0u16..0x3fff,
        ) {
            let mut datagram = body;
            if stun_header && datagram.len() >= 20 {
                let [m0, m1] = method.to_be_bytes();
                datagram[0] = m0 & 0x3f;
                datagram[1] = m1;
                let len = u16::try_from(datagram.len() - 20).unwrap_or(0) & !3;
                datagram[2..4].copy_from_slice(&len.to_be_bytes());
                datagram[4..8].copy_from_slice(&MAGIC_COOKIE.to_be_bytes());
            }
            let _ = class_of(&datagram);
            if let Some(message) = parse(&datagram) {
                let _ = peer_addresses(&message);
                let _ = text(&message, ATTR_NONCE);
                let _ = text(&message, ATTR_REALM);
                let _ = error_code(&message);
                let _ = signed_with(&message, b"key");
                let _ = challenge(&message, 401, "nonce", "moim");
                let _ = refusal(&message, 403, b"key");
            }
        }
    }
}
