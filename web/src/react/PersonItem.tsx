/**
 * One person in the people panel: name, role, microphone, camera and share,
 * a raised hand; and for hosts and co-hosts a menu of what they may do to
 * them (never to themselves).
 */
import { useCallback, useRef, useState, type CSSProperties } from 'react';
import type { ModerateAction, Participant, Role } from '../engine/protocol';
import { canModerate } from '../engine/moderation';
import { useI18n } from './I18n';
import { CameraIcon, HandIcon, MicIcon, MoreIcon, ScreenIcon } from './icons';
import { hueOf, initials } from './placeholder';
import { useDismiss } from './useDismiss';

interface Props {
  person: Participant;
  self: boolean;
  /** My role: what the menu offers. */
  myRole: Role;
  onAction: (action: ModerateAction, participant: string) => void;
}

type MenuAction = Exclude<ModerateAction, 'mute-all' | 'step-down'>;

/** What a host (or co-host) may do to `p`, in menu order. */
function actionsFor(p: Participant, myRole: Role): MenuAction[] {
  const actions: MenuAction[] = [];
  if (p.audio) actions.push('mute');
  if (p.audioLocked) actions.push('allow-speak');
  if (p.video) actions.push('camera-off');
  if (p.screen) actions.push('stop-screen');
  if (p.hand !== null) actions.push('lower-hand');
  if (myRole === 'host') {
    if (p.role !== 'cohost') actions.push('make-cohost');
    if (p.role !== 'host') actions.push('make-host');
    if (p.role !== 'guest') actions.push('make-guest');
  }
  actions.push('remove');
  return actions;
}

const TEST_IDS: Record<MenuAction, string> = {
  mute: 'person-mute',
  'allow-speak': 'person-allow-speak',
  'camera-off': 'person-camera-off',
  'stop-screen': 'person-stop-screen',
  'lower-hand': 'person-lower-hand',
  remove: 'person-remove',
  'make-cohost': 'person-make-cohost',
  'make-host': 'person-make-host',
  'make-guest': 'person-make-guest',
};

export function PersonItem({ person: p, self, myRole, onAction }: Props) {
  const { t } = useI18n();
  const h = t.hosts;
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  const close = useCallback(() => setOpen(false), []);
  useDismiss(ref, open, close);
  const menu = !self && canModerate(myRole, p.role);

  return (
    <li
      className="person"
      data-testid="person-item"
      data-name={p.name}
      data-role={p.role}
      {...(p.hand !== null ? { 'data-hand': 'raised' } : {})}
    >
      <span className="avatar small" style={{ '--hue': hueOf(p.id) } as CSSProperties} aria-hidden="true">
        {initials(p.name)}
      </span>
      <span className="person-name">
        <span className="person-name-text">{p.name}</span>
        {self && <span className="person-you"> {h.you}</span>}
        {p.role !== 'guest' && (
          <span className={`role-badge role-${p.role}`} data-testid="role-badge">
            {h.role[p.role]}
          </span>
        )}
      </span>
      <span className="person-state">
        {p.hand !== null && (
          <span className="person-hand" role="img" aria-label={h.handRaised} title={h.handRaised}>
            <HandIcon />
          </span>
        )}
        {p.screen && (
          <span role="img" aria-label={h.sharing} title={h.sharing}>
            <ScreenIcon />
          </span>
        )}
        <span role="img" aria-label={p.audio ? h.micOn : h.micOff} title={p.audioLocked ? h.mutedByHost : undefined} className={p.audio ? '' : 'off'}>
          <MicIcon off={!p.audio} />
        </span>
        <span role="img" aria-label={p.video ? h.cameraOn : h.cameraOff} className={p.video ? '' : 'off'}>
          <CameraIcon off={!p.video} />
        </span>
      </span>
      {menu && (
        <div className="menu-anchor" ref={ref}>
          <button
            type="button"
            className="icon-button"
            data-testid="person-menu-button"
            aria-label={h.personMenu(p.name)}
            title={h.personMenu(p.name)}
            aria-haspopup="menu"
            aria-expanded={open}
            onClick={() => setOpen((o) => !o)}
          >
            <MoreIcon />
          </button>
          {open && (
            <ul className="card person-menu" role="menu" aria-label={h.personMenu(p.name)}>
              {actionsFor(p, myRole).map((action) => (
                <li key={action} role="none">
                  <button
                    type="button"
                    role="menuitem"
                    className={action === 'remove' ? 'menu-item danger' : 'menu-item'}
                    data-testid={TEST_IDS[action]}
                    onClick={() => {
                      setOpen(false);
                      onAction(action, p.id);
                    }}
                  >
                    {h.action[action]}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </li>
  );
}
