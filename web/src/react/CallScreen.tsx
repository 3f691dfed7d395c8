/**
 * Inside a room: the call grid, the chat beside it, files, and the controls.
 * A thin composition: the state is the session's (room, chat) and the
 * call's (tiles, media, transfers); this only lays them out.
 */
import { memo, useCallback, useRef, useState } from 'react';
import type { SendRefusal } from '../engine/call/transfers';
import type { ChatEntry, RoomState } from '../engine/session';
import { CallControls } from './CallControls';
import { ChatComposer } from './ChatComposer';
import { ChatLog } from './ChatLog';
import { Announcer } from './flow/Announcer';
import { CallShortcuts } from './flow/CallShortcuts';
import { LeaveConfirm } from './flow/leave';
import { MediaInterrupted } from './flow/MediaInterrupted';
import { useDeviceControls } from './flow/useDeviceControls';
import { useI18n } from './I18n';
import { ChatIcon } from './icons';
import { InviteButton } from './InviteButton';
import { LayoutSwitch, useCallView } from './LayoutSwitch';
import { ModerationNotice } from './ModerationNotice';
import { PeoplePanel } from './PeoplePanel';
import { TransferList } from './TransferList';
import { useCall, useCallSnapshot } from './useCall';
import { useFileDrop } from './useFileDrop';
import { useQualityPolling } from './useQuality';
import { useReactions } from './useReactions';
import { useUnread } from './useUnread';
import { useSession } from './useSession';
import { VideoGrid } from './VideoGrid';

interface Props {
  room: RoomState;
  log: readonly ChatEntry[];
}

/** The chat starts open where there is room for it beside the grid. */
const WIDE = '(min-width: 900px)';
const startsOpen = () => globalThis.matchMedia?.(WIDE).matches ?? true;

export const CallScreen = memo(function CallScreen({ room, log }: Props) {
  const { t } = useI18n();
  const call = useCall();
  const { tiles, transfers, speakerId, mode, local, mediaInterrupted } = useCallSnapshot();
  const devices = useDeviceControls(call, local);
  // One side panel at a time: the chat or the people.
  const [side, setSide] = useState<'chat' | 'people' | null>(() => (startsOpen() ? 'chat' : null));
  const chatOpen = side === 'chat';
  // Closing the people panel brings back the chat if it was open before.
  const chatBefore = useRef(false);
  const toggle = (panel: 'chat' | 'people') => {
    if (side === panel) {
      setSide(panel === 'people' && chatBefore.current ? 'chat' : null);
    } else {
      chatBefore.current = side === 'chat';
      setSide(panel);
    }
  };
  useQualityPolling();
  const [view, setView] = useCallView();
  const reactions = useReactions();
  const [fileError, setFileError] = useState<string | null>(null);
  const unread = useUnread(chatOpen);
  const session = useSession();
  const loadOlder = useCallback(() => void session.loadOlder(), [session]);
  const onTileHeight = useCallback((id: string, height: number) => call.setTileHeight(id, height), [call]);

  const sendFiles = (files: File[]) => {
    let refusal: SendRefusal | null = null;
    for (const file of files) {
      const result = call.sendFile(file);
      if ('error' in result) refusal = result.error;
    }
    setFileError(refusal ? t.fileRefused(refusal, room.limits.file) : null);
  };
  const drop = useFileDrop(sendFiles);

  return (
    <main className={`call${side ? ' chat-open' : ''}${mediaInterrupted ? ' media-out' : ''}`} {...drop.handlers}>
      <header className="call-header">
        <h1 className="call-title">
          <span className="room-title">{room.name}</span>
          <span className="room-sep" aria-hidden="true">
            {' · '}
          </span>
          <span className="room-people">
            <span data-testid="participant-count">{room.count}</span>
            {t.peopleSuffix(room.count)}
          </span>
          {mode && (
            <span className="room-mode" data-testid="call-mode" data-mode={mode} title={t.modeHint[mode]}>
              {t.modeLabel[mode]}
            </span>
          )}
        </h1>
        <div className="call-header-actions">
          <InviteButton room={room.name} />
          <LayoutSwitch view={view} onChange={setView} />
          <button
            type="button"
            className={`button chat-toggle${chatOpen ? ' active' : ''}`}
            data-testid="chat-toggle"
            aria-pressed={chatOpen}
            aria-controls="chat-panel"
            onClick={() => toggle('chat')}
          >
            <ChatIcon />
            <span className="button-text">{chatOpen ? t.hideChat : t.showChat}</span>
            {!chatOpen && unread > 0 && (
              <span className="unread-badge" data-testid="unread-badge" aria-label={t.unread(unread)}>
                {unread}
              </span>
            )}
          </button>
          {/* Last: the help is for later; the invite link is what a new call needs first. */}
          <CallShortcuts devices={devices} onChat={() => toggle('chat')} />
        </div>
      </header>

      <div className="call-body">
        {mediaInterrupted && <MediaInterrupted />}
        <VideoGrid tiles={tiles} sinkId={speakerId} onTileHeight={onTileHeight} reactions={reactions} view={view} />
        <aside id="chat-panel" className="card chat chat-panel" aria-label={t.chatLabel} hidden={!chatOpen}>
          {chatOpen && (
            <>
              <ChatLog log={log} limits={room.limits} history={room.history} onOlder={loadOlder} />
              <ChatComposer maxLength={room.limits.message} />
            </>
          )}
        </aside>
        {side === 'people' && <PeoplePanel room={room} onClose={() => toggle('people')} />}
      </div>
      <ModerationNotice />

      <TransferList
        transfers={transfers}
        error={fileError}
        onDismiss={(key) => call.dismissTransfer(key)}
        onDismissError={() => setFileError(null)}
      />
      <CallControls onFiles={sendFiles} peopleOpen={side === 'people'} onPeople={() => toggle('people')} devices={devices} />
      <LeaveConfirm others={room.count - 1} />
      <Announcer log={log} />
      {drop.dragging && (
        <div className="drop-overlay" aria-hidden="true">
          <p>{t.dropFiles}</p>
        </div>
      )}
    </main>
  );
});
