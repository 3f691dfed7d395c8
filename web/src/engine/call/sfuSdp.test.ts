import { describe, expect, it } from 'vitest';
import { iceUfrag, trackLabels } from './sfuSdp';

const offer = [
  'v=0',
  'o=str0m-1 1 2 IN IP4 0.0.0.0',
  's=-',
  't=0 0',
  'a=ice-lite',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111',
  'a=ice-ufrag:Kq3x',
  'a=ice-pwd:secretsecretsecretsecret',
  'a=mid:0',
  'a=sendonly',
  'a=msid:aliceSid 3-0',
  'm=video 9 UDP/TLS/RTP/SAVPF 96',
  'a=mid:1',
  'a=msid:aliceSid 3-1',
  'm=video 9 UDP/TLS/RTP/SAVPF 96',
  'a=mid:2',
  'a=msid:aliceSid 3-2',
  'm=video 0 UDP/TLS/RTP/SAVPF 96',
  'a=mid:3',
  'a=msid:bobSid 4-1',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111',
  'a=mid:4',
  'a=msid:carolSid 5-0',
  'm=video 9 UDP/TLS/RTP/SAVPF 96',
  'a=mid:6',
  'a=recvonly',
  'a=msid:aliceSid 9-1',
  'm=video 9 UDP/TLS/RTP/SAVPF 96',
  'a=mid:5',
  'a=msid:- unlabelled',
  '',
].join('\r\n');

describe('trackLabels', () => {
  it('maps each receiving mid to the sender and the role its mid had there, leaving out stopped, receiving and unlabelled lines', () => {
    expect(Object.fromEntries(trackLabels(offer))).toEqual({
      '0': { participant: 'aliceSid', role: 'audio' },
      '1': { participant: 'aliceSid', role: 'camera' },
      '2': { participant: 'aliceSid', role: 'screen' },
      '4': { participant: 'carolSid', role: 'audio' },
    });
  });

  it('reads nothing from text that is not a session description', () => {
    expect(trackLabels('hello').size).toBe(0);
    expect(trackLabels('').size).toBe(0);
  });
});

describe('iceUfrag', () => {
  it('reads the first ICE user name fragment, or null without one', () => {
    expect(iceUfrag(offer)).toBe('Kq3x');
    expect(iceUfrag(offer.replace('a=ice-ufrag:Kq3x', 'a=ice-ufrag:Zz9+/'))).toBe('Zz9+/');
    expect(iceUfrag('v=0\r\nm=audio 9 X\r\na=mid:0\r\n')).toBeNull();
    expect(iceUfrag('')).toBeNull();
  });
});
