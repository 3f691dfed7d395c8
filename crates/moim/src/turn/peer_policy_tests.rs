use super::*;

fn ip(text: &str) -> IpAddr {
    text.parse().expect("an address")
}

fn cidrs(list: &[&str]) -> Vec<Cidr> {
    list.iter().map(|c| c.parse().expect("a CIDR")).collect()
}

fn policy(allow: &[&str], deny: &[&str]) -> PeerPolicy {
    PeerPolicy {
        allow: cidrs(allow),
        deny: cidrs(deny),
    }
}

#[test]
fn cidrs_are_read_masked_and_checked() {
    assert_eq!(
        "192.168.1.7/24".parse::<Cidr>().unwrap().to_string(),
        "192.168.1.0/24"
    );
    assert_eq!(
        "10.1.2.3".parse::<Cidr>().unwrap().to_string(),
        "10.1.2.3/32"
    );
    assert_eq!("fd00::1/8".parse::<Cidr>().unwrap().to_string(), "fd00::/8");
    assert_eq!(
        "::ffff:10.0.0.0/104".parse::<Cidr>().unwrap().to_string(),
        "10.0.0.0/8"
    );
    assert_eq!(
        "0.0.0.0/0".parse::<Cidr>().unwrap().to_string(),
        "0.0.0.0/0"
    );
    assert!(matches!(
        "10.0.0.0/33".parse::<Cidr>(),
        Err(CidrError::Prefix(_))
    ));
    assert!(matches!(
        "::/129".parse::<Cidr>(),
        Err(CidrError::Prefix(_))
    ));
    assert!(matches!(
        "10.0.0.0/x".parse::<Cidr>(),
        Err(CidrError::Prefix(_))
    ));
    assert!(matches!(
        "example.org/8".parse::<Cidr>(),
        Err(CidrError::Address(_))
    ));
    assert!(matches!("".parse::<Cidr>(), Err(CidrError::Address(_))));
}

#[test]
fn by_default_only_public_addresses_are_relayed() {
    let p = PeerPolicy::default();
    for public in [
        "8.8.8.8",
        "1.1.1.1",
        "203.0.113.9",
        "2001:db8::1",
        "2a00:1450::1",
    ] {
        assert_eq!(p.check(ip(public)), Ok(()), "{public}");
    }
    for never in [
        "0.0.0.0",
        "0.1.2.3",
        "224.0.0.1",
        "239.255.255.250",
        "255.255.255.255",
        "240.0.0.1",
        "::",
        "ff02::1",
        "::ffff:255.255.255.255",
    ] {
        assert_eq!(p.check(ip(never)), Err(Refusal::Never), "{never}");
    }
    for local in [
        "127.0.0.1",
        "127.8.9.10",
        "169.254.169.254",
        "::1",
        "fe80::1",
        "::ffff:127.0.0.1",
        "::ffff:169.254.169.254",
    ] {
        assert_eq!(p.check(ip(local)), Err(Refusal::Local), "{local}");
    }
    for private in [
        "10.0.0.1",
        "172.16.0.1",
        "172.31.255.255",
        "192.168.1.20",
        "100.64.0.1",
        "100.127.255.255",
        "fc00::1",
        "fd12:3456::1",
        "fec0::1",
        "::ffff:192.168.1.1",
    ] {
        assert_eq!(p.check(ip(private)), Err(Refusal::Private), "{private}");
    }
    // Just outside the private blocks.
    for public in [
        "172.32.0.1",
        "100.128.0.1",
        "192.169.0.1",
        "11.0.0.1",
        "fe00::1",
    ] {
        assert_eq!(p.check(ip(public)), Ok(()), "{public}");
    }
}

#[test]
fn transition_forms_are_judged_by_the_ipv4_inside() {
    let p = PeerPolicy::default();
    for hidden in [
        "::127.0.0.1",                          // IPv4-compatible
        "64:ff9b::7f00:1",                      // NAT64 of 127.0.0.1
        "64:ff9b::a9fe:a9fe",                   // NAT64 of 169.254.169.254
        "2002:7f00:1::1",                       // 6to4 of 127.0.0.1
        "2002:c0a8:101::1",                     // 6to4 of 192.168.1.1
        "2001:0:4136:e378:8000:63bf:80ff:fffe", // Teredo client 127.0.0.1
        "2001:0:7f00:1::1",                     // Teredo server 127.0.0.1
    ] {
        assert!(p.check(ip(hidden)).is_err(), "{hidden}");
    }
    // The same forms around public addresses pass.
    assert_eq!(p.check(ip("64:ff9b::808:808")), Ok(()));
    assert_eq!(p.check(ip("2002:808:808::1")), Ok(()));
    assert_eq!(p.check(ip("2001:0:4136:e378:8000:63bf:f7f7:f7f7")), Ok(()));
}

#[test]
fn allow_opens_private_and_deny_beats_it() {
    let p = policy(&["192.168.1.0/24", "fd00::/8"], &["192.168.1.1/32"]);
    assert_eq!(p.check(ip("192.168.1.20")), Ok(()));
    assert_eq!(p.check(ip("::ffff:192.168.1.20")), Ok(()));
    assert_eq!(p.check(ip("fd00::20")), Ok(()));
    assert_eq!(
        p.check(ip("192.168.1.1")),
        Err(Refusal::Denied),
        "the router"
    );
    assert_eq!(p.check(ip("192.168.2.20")), Err(Refusal::Private));
    assert_eq!(p.check(ip("10.0.0.1")), Err(Refusal::Private));
    // Deny works on public addresses too.
    let p = policy(&[], &["203.0.113.0/24"]);
    assert_eq!(p.check(ip("203.0.113.5")), Err(Refusal::Denied));
    assert_eq!(p.check(ip("203.0.114.5")), Ok(()));
}

#[test]
fn loopback_and_link_local_open_only_to_allow_blocks_inside_them() {
    let wide = policy(&["0.0.0.0/0", "::/0"], &[]);
    assert_eq!(
        wide.check(ip("10.0.0.1")),
        Ok(()),
        "wide allow opens private"
    );
    assert_eq!(wide.check(ip("127.0.0.1")), Err(Refusal::Local));
    assert_eq!(wide.check(ip("169.254.169.254")), Err(Refusal::Local));
    assert_eq!(wide.check(ip("::1")), Err(Refusal::Local));
    assert_eq!(
        wide.check(ip("0.0.0.0")),
        Err(Refusal::Never),
        "never is never"
    );
    assert_eq!(wide.check(ip("224.0.0.1")), Err(Refusal::Never));

    let loopback = policy(&["127.0.0.1/32"], &[]);
    assert_eq!(loopback.check(ip("127.0.0.1")), Ok(()));
    assert_eq!(loopback.check(ip("::ffff:127.0.0.1")), Ok(()));
    assert_eq!(loopback.check(ip("127.0.0.2")), Err(Refusal::Local));
    assert_eq!(loopback.check(ip("169.254.169.254")), Err(Refusal::Local));
    let all_loopback = policy(&["127.0.0.0/8", "::1"], &["127.0.0.9"]);
    assert_eq!(all_loopback.check(ip("127.1.2.3")), Ok(()));
    assert_eq!(all_loopback.check(ip("::1")), Ok(()));
    assert_eq!(all_loopback.check(ip("127.0.0.9")), Err(Refusal::Denied));
}

/// A small xorshift generator: many addresses, same ones every run.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn v4(&mut self) -> Ipv4Addr {
        // Half the draws land in the interesting first octets.
        let special = [0u8, 10, 100, 127, 169, 172, 192, 224, 240, 255];
        let mut octets = (self.next() as u32).to_be_bytes();
        if self.next().is_multiple_of(2) {
            octets[0] = special[(self.next() % special.len() as u64) as usize];
        }
        Ipv4Addr::from(octets)
    }

    fn cidr(&mut self) -> Cidr {
        let prefix = (self.next() % 33) as u8;
        Cidr::new(IpAddr::V4(self.v4()), prefix).expect("prefix within 32")
    }
}

#[test]
fn properties_hold_for_many_addresses_and_lists() {
    let mut rng = Random(0x9e37_79b9_7f4a_7c15);
    for _ in 0..2_000 {
        let allow: Vec<Cidr> = (0..rng.next() % 4).map(|_| rng.cidr()).collect();
        let deny: Vec<Cidr> = (0..rng.next() % 3).map(|_| rng.cidr()).collect();
        let p = PeerPolicy {
            allow: allow.clone(),
            deny: deny.clone(),
        };
        let open = PeerPolicy {
            allow,
            deny: Vec::new(),
        };
        let none = PeerPolicy::default();
        for _ in 0..20 {
            let v4 = rng.v4();
            let addr = IpAddr::V4(v4);
            let verdict = p.check(addr);
            // A deny block always refuses.
            if deny.iter().any(|d| d.contains(addr)) {
                assert!(verdict.is_err(), "{addr} denied by {deny:?}");
            }
            // Adding deny blocks never opens anything.
            if open.check(addr).is_err() {
                assert!(verdict.is_err(), "{addr}");
            }
            // Allow lists only ever open; what passes with none passes with any
            // (unless denied).
            if none.check(addr).is_ok() && !deny.iter().any(|d| d.contains(addr)) {
                assert_eq!(verdict, Ok(()), "{addr}");
            }
            // Never-class addresses are refused whatever the lists say.
            if NEVER.iter().any(|b| b.contains(addr)) {
                assert_eq!(verdict, Err(Refusal::Never), "{addr}");
            }
            // Nothing relays to loopback without an allow block inside 127/8.
            if v4.is_loopback() && verdict.is_ok() {
                assert!(
                    p.allow
                        .iter()
                        .any(|a| a.contains(addr) && a.within(&LOCAL[0]))
                );
            }
            // The IPv4-mapped form gets the same verdict.
            assert_eq!(p.check(IpAddr::V6(v4.to_ipv6_mapped())), verdict, "{addr}");
        }
    }
}
