//! The one thing the SFU reads inside a VP8 frame: a keyframe's picture size.
//!
//! Layer choice assumes each simulcast layer is a quarter, half and all of a
//! 720p camera ([`crate::LAYERS`]), but the browser encodes whatever the camera
//! gives and shrinks it further to save CPU or bandwidth: a 640x480 webcam's
//! layers are 120, 240 and 480 rows. Every keyframe states its size in its
//! first ten bytes (RFC 6386, section 9.1), so the SFU learns what each layer
//! really carries without decoding anything.

/// Width and height of a VP8 keyframe, or `None` for a delta frame or bytes
/// that are not a keyframe's header.
pub fn keyframe_size(frame: &[u8]) -> Option<(u16, u16)> {
    let header = frame.get(..10)?;
    // Frame tag: bit 0 of the first byte is 0 for a keyframe; then the start code.
    if header[0] & 1 != 0 || header[3..6] != [0x9d, 0x01, 0x2a] {
        return None;
    }
    // 14 bits of size, 2 of upscaling hint, little-endian.
    let width = u16::from_le_bytes([header[6], header[7]]) & 0x3fff;
    let height = u16::from_le_bytes([header[8], header[9]]) & 0x3fff;
    (width > 0 && height > 0).then_some((width, height))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first bytes of a 640x480 keyframe: frame tag, start code, sizes.
    const KEYFRAME_640X480: [u8; 12] = [
        0x50, 0x42, 0x00, 0x9d, 0x01, 0x2a, 0x80, 0x02, 0xe0, 0x01, 0x00, 0x47,
    ];

    #[test]
    fn a_keyframe_tells_its_size() {
        assert_eq!(keyframe_size(&KEYFRAME_640X480), Some((640, 480)));
        // The upscaling hint in the top two bits is not part of the size.
        let mut scaled = KEYFRAME_640X480;
        scaled[7] |= 0xc0;
        scaled[9] |= 0x40;
        assert_eq!(keyframe_size(&scaled), Some((640, 480)));
    }

    #[test]
    fn delta_frames_and_other_bytes_tell_nothing() {
        let mut delta = KEYFRAME_640X480;
        delta[0] |= 1;
        assert_eq!(keyframe_size(&delta), None);
        let mut no_start_code = KEYFRAME_640X480;
        no_start_code[4] = 0;
        assert_eq!(keyframe_size(&no_start_code), None);
        assert_eq!(keyframe_size(&KEYFRAME_640X480[..9]), None);
        assert_eq!(keyframe_size(&[]), None);
        let mut zero = KEYFRAME_640X480;
        zero[8] = 0;
        zero[9] = 0;
        assert_eq!(keyframe_size(&zero), None);
    }

    proptest::proptest! {
        /// Any bytes at all (a frame is whatever a sender put in its packets):
        /// no panic, and a size only with a keyframe's tag and start code.
        #[test]
        fn any_bytes_are_read_without_panic(frame in proptest::collection::vec(proptest::num::u8::ANY, 0..64)) {
            if let Some((w, h)) = keyframe_size(&frame) {
                proptest::prop_assert!(frame.len() >= 10);
                proptest::prop_assert_eq!(frame[0] & 1, 0);
                proptest::prop_assert_eq!(&frame[3..6], &[0x9d, 0x01, 0x2a]);
                proptest::prop_assert!(w > 0 && w < 1 << 14 && h > 0 && h < 1 << 14);
            }
        }

        /// Every size a keyframe can state is read back as it was written.
        #[test]
        fn every_size_is_read_back(w in 1u16..1 << 14, h in 1u16..1 << 14, hints in 0u8..16) {
            let mut frame = KEYFRAME_640X480;
            let [w0, w1] = (w | u16::from(hints & 3) << 14).to_le_bytes();
            let [h0, h1] = (h | u16::from(hints >> 2) << 14).to_le_bytes();
            frame[6..10].copy_from_slice(&[w0, w1, h0, h1]);
            proptest::prop_assert_eq!(keyframe_size(&frame), Some((w, h)));
        }
    }
}
