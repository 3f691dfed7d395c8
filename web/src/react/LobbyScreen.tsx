/**
 * Waiting in a locked meeting's lobby: your camera as you will join, the
 * wait, and Cancel. When a host lets you in, the call starts by itself.
 */
import { useEffect } from 'react';
import type { Waiting } from '../engine/session';
import { useI18n } from './I18n';
import { useCall, useCallSnapshot } from './useCall';
import { useSession } from './useSession';
import { VideoView } from './VideoView';

export function LobbyScreen({ waiting }: { waiting: Waiting }) {
  const { t } = useI18n();
  const h = t.hosts;
  const session = useSession();
  const call = useCall();
  const { local } = useCallSnapshot();
  // The camera stays open for the call; if we stop waiting without joining, it closes.
  useEffect(() => {
    void call.preview();
    return () => call.stopPreview();
  }, [call]);

  return (
    <main className="prejoin lobby-wait" data-testid="lobby-wait" aria-labelledby="lobby-title">
      <section className="card prejoin-preview">
        <div className="preview-frame">
          <VideoView stream={local.preview} muted mirrored testId="local-video" label={t.cameraLabel} />
        </div>
      </section>
      <section className="card prejoin-form">
        <h1 id="lobby-title" className="prejoin-title">
          {h.lobbyTitle}
        </h1>
        <p className="lobby-spinner" aria-hidden="true" />
        <p role="status">{waiting.admitted ? h.lobbyAdmitted : h.lobbyText(waiting.room)}</p>
        <div className="prejoin-actions">
          <button type="button" className="button" data-testid="lobby-cancel" onClick={() => session.leave()}>
            {h.cancel}
          </button>
        </div>
      </section>
    </main>
  );
}
