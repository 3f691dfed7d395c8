import type { ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { peopleOrder } from '../engine/moderation';
import type { Participant, Role } from '../engine/protocol';
import { HostControls } from './HostControls';
import { I18nProvider } from './I18n';
import { PersonItem } from './PersonItem';

const person = (id: string, role: Role, joined: number, hand: number | null = null): Participant => ({
  id,
  name: id,
  audio: true,
  video: true,
  screen: false,
  joined,
  role,
  hand,
  audioLocked: false,
});

const html = (node: ReactNode) => renderToStaticMarkup(<I18nProvider>{node}</I18nProvider>);
const noop = () => undefined;

describe('people panel', () => {
  it('lists raised hands first, oldest first, then you, then the others as they joined', () => {
    const you = person('Mina', 'host', 1);
    const others = [person('Eun', 'guest', 4, 20), person('Jun', 'guest', 2), person('Ara', 'guest', 3, 10)];
    expect(peopleOrder(you, others).map((p) => p.name)).toEqual(['Ara', 'Eun', 'Mina', 'Jun']);
  });

  it('marks each person with role and hand, and gives hosts a menu for others only', () => {
    const ara = person('Ara', 'cohost', 3, 10);
    const asHost = html(<PersonItem person={ara} self={false} myRole="host" onAction={noop} />);
    expect(asHost).toContain('data-role="cohost"');
    expect(asHost).toContain('data-hand="raised"');
    expect(asHost).toContain('data-testid="person-menu-button"');
    expect(html(<PersonItem person={ara} self myRole="host" onAction={noop} />)).not.toContain('person-menu-button');
    expect(html(<PersonItem person={ara} self={false} myRole="guest" onAction={noop} />)).not.toContain('person-menu-button');
    // A co-host does not act on a host.
    const mina = person('Mina', 'host', 1);
    expect(html(<PersonItem person={mina} self={false} myRole="cohost" onAction={noop} />)).not.toContain('person-menu-button');
    expect(html(<PersonItem person={person('Jun', 'guest', 2)} self={false} myRole="guest" onAction={noop} />)).not.toContain('data-hand');
  });

  it('shows switches with their state, and ending the meeting to hosts only', () => {
    const meeting = { listed: true, locked: false, hasPasscode: false, allowUnmute: false };
    const host = html(<HostControls meeting={meeting} myRole="host" onSettings={noop} onMuteAll={noop} onEnd={noop} />);
    expect(host).toMatch(/role="switch"[^>]*data-testid="list-switch"[^>]*aria-checked="true"/);
    expect(host).toMatch(/role="switch"[^>]*data-testid="lock-switch"[^>]*aria-checked="false"/);
    expect(host).toContain('data-testid="end-meeting-button"');
    const cohost = html(<HostControls meeting={meeting} myRole="cohost" onSettings={noop} onMuteAll={noop} onEnd={noop} />);
    expect(cohost).not.toContain('end-meeting-button');
    expect(cohost).toContain('data-testid="mute-all-button"');
  });
});
