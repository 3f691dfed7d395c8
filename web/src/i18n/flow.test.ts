/**
 * The flow module's words: the connection check speaks to guests (no relay,
 * server or docs), each verdict has its own sentence in both languages.
 */
import { describe, expect, it } from 'vitest';
import { connectivityVerdict, type ConnectivityVerdict } from '../engine/connectivity';
import { MESSAGES } from './index';

const VERDICTS: readonly ConnectivityVerdict[] = ['ready', 'some_networks', 'offline'];
/** Words for operators, not guests. */
const OPERATOR_WORDS = /relay|turn\b|docs|deploy|server|port|firewall port|중계|서버|포트|docs\/|\.md/i;

describe('connection check words', () => {
  it('says each verdict plainly in English and Korean, without operator words', () => {
    for (const m of Object.values(MESSAGES)) {
      const texts = VERDICTS.map((v) => m.flow.connectivity[v]);
      expect(new Set(texts).size).toBe(VERDICTS.length);
      for (const text of texts) expect(text).not.toMatch(OPERATOR_WORDS);
    }
  });

  it('chooses the sentence for each case of the check', () => {
    const en = MESSAGES.en.flow.connectivity;
    const say = (direct: boolean, relay: 'ok' | 'failed' | 'none' | 'later') =>
      en[connectivityVerdict({ direct, publicAddress: direct, relay })];
    expect(say(true, 'none')).toBe(
      'Calls may not connect from some networks (strict firewalls, some office or mobile networks). On the same network they work.',
    );
    expect(say(true, 'failed')).toBe(say(true, 'none'));
    expect(say(true, 'later')).toBe('Your connection is ready for calls.');
    expect(say(true, 'ok')).toBe('Your connection is ready for calls.');
    expect(say(false, 'none')).toBe('No network found for calls. Check your Wi-Fi or network connection.');
    expect(MESSAGES.ko.flow.connectivity[connectivityVerdict({ direct: true, publicAddress: false, relay: 'none' })]).toContain(
      '일부 네트워크',
    );
  });
});
