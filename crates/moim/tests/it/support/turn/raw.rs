//! A TURN client made of raw STUN messages (the `stun` crate), for what the
//! `turn` crate's client cannot be asked to do: ChannelBind to a chosen peer,
//! Send indications, requests with a made-up nonce, many sockets.

use std::net::SocketAddr;

use stun::agent::TransactionId;
use stun::attributes::*;
use stun::error_code::ErrorCodeAttribute;
use stun::integrity::MessageIntegrity;
use stun::message::*;
use stun::textattrs::TextAttribute;
use stun::xoraddr::XorMappedAddress;
use tokio::net::UdpSocket;

use super::PATIENCE;

/// A TURN client on its own UDP socket.
pub struct Raw {
    pub socket: UdpSocket,
    server: SocketAddr,
    username: String,
    password: String,
    realm: String,
    nonce: String,
}

/// An attribute to add to a request.
pub type Attr = Box<dyn Setter>;

/// A XOR-PEER-ADDRESS attribute.
pub struct Peer(pub SocketAddr);

impl Setter for Peer {
    fn add_to(&self, m: &mut Message) -> Result<(), stun::Error> {
        XorMappedAddress {
            ip: self.0.ip(),
            port: self.0.port(),
        }
        .add_to_as(m, ATTR_XOR_PEER_ADDRESS)
    }
}

/// A raw attribute: type and value.
pub struct RawAttr(pub AttrType, pub Vec<u8>);

impl Setter for RawAttr {
    fn add_to(&self, m: &mut Message) -> Result<(), stun::Error> {
        m.add(self.0, &self.1);
        Ok(())
    }
}

/// REQUESTED-TRANSPORT: UDP.
pub fn udp() -> Attr {
    Box::new(RawAttr(ATTR_REQUESTED_TRANSPORT, vec![17, 0, 0, 0]))
}

/// CHANNEL-NUMBER.
pub fn channel(number: u16) -> Attr {
    let [a, b] = number.to_be_bytes();
    Box::new(RawAttr(ATTR_CHANNEL_NUMBER, vec![a, b, 0, 0]))
}

/// The ERROR-CODE of a response, if it is an error.
pub fn error_of(m: &Message) -> Option<u16> {
    let mut code = ErrorCodeAttribute::default();
    code.get_from(m).ok()?;
    Some(code.code.0)
}

/// A text attribute of a message.
pub fn text_of(m: &Message, attr: AttrType) -> Option<String> {
    TextAttribute::get_from_as(m, attr).ok().map(|a| a.text)
}

impl Raw {
    /// A client of `server` with these credentials, on a new loopback socket.
    pub async fn new(server: SocketAddr, username: &str, password: &str) -> Raw {
        Raw {
            socket: UdpSocket::bind("127.0.0.1:0").await.expect("bind"),
            server,
            username: username.to_owned(),
            password: password.to_owned(),
            realm: String::new(),
            nonce: String::new(),
        }
    }

    /// Sends `method` with `attrs` (signed once a nonce is known) and waits
    /// for the answer to it.
    pub async fn ask(&self, method: Method, attrs: Vec<Attr>, signed: bool) -> Message {
        let mut setters: Vec<Attr> = vec![
            Box::new(TransactionId::new()),
            Box::new(MessageType::new(method, CLASS_REQUEST)),
        ];
        setters.extend(attrs);
        if signed {
            setters.push(Box::new(TextAttribute::new(
                ATTR_USERNAME,
                self.username.clone(),
            )));
            setters.push(Box::new(TextAttribute::new(ATTR_REALM, self.realm.clone())));
            setters.push(Box::new(TextAttribute::new(ATTR_NONCE, self.nonce.clone())));
            setters.push(Box::new(MessageIntegrity::new_long_term_integrity(
                self.username.clone(),
                self.realm.clone(),
                self.password.clone(),
            )));
        }
        let mut request = Message::new();
        request.build(&setters).expect("a request");
        self.socket
            .send_to(&request.raw, self.server)
            .await
            .expect("send");
        self.answer_to(request.transaction_id).await
    }

    /// Waits for the response with transaction id `tid`.
    async fn answer_to(&self, tid: TransactionId) -> Message {
        let mut buf = [0u8; 1500];
        loop {
            let (n, _) = tokio::time::timeout(PATIENCE, self.socket.recv_from(&mut buf))
                .await
                .expect("answered in time")
                .expect("receive");
            let mut m = Message::new();
            m.raw = buf[..n].to_vec();
            if m.decode().is_ok() && m.transaction_id == tid {
                return m;
            }
        }
    }

    /// A signed request, retried once after a 438 with the new nonce.
    pub async fn signed(
        &mut self,
        method: Method,
        attrs: impl Fn() -> Vec<Attr>,
    ) -> Result<Message, u16> {
        for _ in 0..2 {
            let answer = self.ask(method, attrs(), true).await;
            match error_of(&answer) {
                None => return Ok(answer),
                Some(438) => self.nonce = text_of(&answer, ATTR_NONCE).expect("a nonce"),
                Some(code) => return Err(code),
            }
        }
        Err(438)
    }

    /// Allocates a relay: the 401 exchange, then the signed request. The
    /// relayed address, or the error code.
    pub async fn allocate(&mut self) -> Result<SocketAddr, u16> {
        let challenge = self.ask(METHOD_ALLOCATE, vec![udp()], false).await;
        assert_eq!(error_of(&challenge), Some(401), "challenged first");
        self.nonce = text_of(&challenge, ATTR_NONCE).expect("a nonce");
        self.realm = text_of(&challenge, ATTR_REALM).expect("a realm");
        let answer = self.signed(METHOD_ALLOCATE, || vec![udp()]).await?;
        let mut relayed = XorMappedAddress::default();
        relayed
            .get_from_as(&answer, ATTR_XOR_RELAYED_ADDRESS)
            .expect("a relayed address");
        Ok(SocketAddr::new(relayed.ip, relayed.port))
    }

    /// CreatePermission for `peers`.
    pub async fn create_permission(&mut self, peers: &[SocketAddr]) -> Result<(), u16> {
        let peers = peers.to_vec();
        self.signed(METHOD_CREATE_PERMISSION, || {
            peers.iter().map(|p| Box::new(Peer(*p)) as Attr).collect()
        })
        .await
        .map(drop)
    }

    /// ChannelBind `number` to `peer`.
    pub async fn channel_bind(&mut self, number: u16, peer: SocketAddr) -> Result<(), u16> {
        self.signed(METHOD_CHANNEL_BIND, || {
            vec![channel(number), Box::new(Peer(peer))]
        })
        .await
        .map(drop)
    }

    /// Refresh with `lifetime` seconds (0 releases the allocation).
    pub async fn refresh(&mut self, lifetime: u32) -> Result<(), u16> {
        self.signed(METHOD_REFRESH, || {
            vec![Box::new(RawAttr(
                ATTR_LIFETIME,
                lifetime.to_be_bytes().to_vec(),
            ))]
        })
        .await
        .map(drop)
    }

    /// A Send indication of `data` to `peer`.
    pub async fn send_indication(&self, peer: SocketAddr, data: &[u8]) {
        let mut m = Message::new();
        m.build(&[
            Box::new(TransactionId::new()),
            Box::new(MessageType::new(METHOD_SEND, CLASS_INDICATION)),
            Box::new(Peer(peer)),
            Box::new(RawAttr(ATTR_DATA, data.to_vec())),
        ])
        .expect("an indication");
        self.socket
            .send_to(&m.raw, self.server)
            .await
            .expect("send");
    }

    /// A ChannelData frame of `data` on channel `number`.
    pub async fn channel_data(&self, number: u16, data: &[u8]) {
        let mut frame = number.to_be_bytes().to_vec();
        frame.extend_from_slice(&(data.len() as u16).to_be_bytes());
        frame.extend_from_slice(data);
        while !frame.len().is_multiple_of(4) {
            frame.push(0);
        }
        self.socket
            .send_to(&frame, self.server)
            .await
            .expect("send");
    }
}
