/**
 * The pre-join screen of `/r/<room>`: see yourself, hear your microphone,
 * pick devices, choose to join muted or with the camera off, then enter.
 * Camera and microphone open when the screen shows and close when it goes
 * (unless it goes because the call starts). Without any device, or with
 * access refused, it says so and still lets you join.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { resumeAudio } from '../engine/call/env';
import type { LocalSnapshot } from '../engine/call/local';
import { errorText, type Messages } from '../i18n';
import { PREF_KEYS, readPref, writePref } from '../prefs';
import { HOME_PATH } from '../route';
import { ConnectivityCheck } from './ConnectivityCheck';
import { DeviceSelects } from './DeviceSelects';
import { useI18n } from './I18n';
import { MicLevel } from './MicLevel';
import { findProblems, NameRoomFields, NO_PROBLEMS, type FieldProblems } from './NameRoomFields';
import { useCall, useCallSnapshot } from './useCall';
import { navigate } from './useRoute';
import { useSessionSnapshot } from './useSession';
import { VideoView } from './VideoView';

/** Refusals that ask for the passcode. */
const PASSCODE_CODES: ReadonlySet<string> = new Set(['passcode_required', 'wrong_passcode', 'too_many_attempts']);

interface Props {
  /** The room named in the address. */
  room: string;
}

/** One sentence about missing camera / microphone, or null when all is well. */
function mediaProblemText(t: Messages, local: LocalSnapshot): string | null {
  const { audio, video } = local.problems;
  if (audio && video) return t.mediaProblem(audio === video ? audio : 'failed', 'both');
  if (video) return t.mediaProblem(video, 'camera');
  if (audio) return t.mediaProblem(audio, 'mic');
  return null;
}

export function PreJoinScreen({ room: routeRoom }: Props) {
  const { t } = useI18n();
  const call = useCall();
  const { local } = useCallSnapshot();
  const { phase, joinError } = useSessionSnapshot();
  const [nickname, setNickname] = useState(() => readPref(PREF_KEYS.nickname) ?? '');
  const [room, setRoom] = useState(routeRoom);
  const [problems, setProblems] = useState<FieldProblems>(NO_PROBLEMS);
  const [passcode, setPasscode] = useState('');
  const passcodeRef = useRef<HTMLInputElement>(null);
  // Asked for once the meeting says it has one (and kept while typed in).
  const askPasscode = (joinError !== null && PASSCODE_CODES.has(joinError.code)) || passcode !== '';
  const nicknameRef = useRef<HTMLInputElement>(null);
  const roomRef = useRef<HTMLInputElement>(null);
  const joining = phase === 'joining';

  useEffect(() => setRoom(routeRoom), [routeRoom]);

  useEffect(() => {
    void call.preview();
    return () => call.stopPreview();
  }, [call]);

  const enter = async (e: FormEvent) => {
    e.preventDefault();
    resumeAudio();
    const found = findProblems(nickname, room);
    setProblems(found);
    if (found.nickname) return nicknameRef.current?.focus();
    if (found.room) return roomRef.current?.focus();
    writePref(PREF_KEYS.nickname, nickname.trim());
    await call.join(room, nickname, askPasscode ? passcode : undefined);
  };

  // A refusal about the passcode puts the cursor in its field.
  useEffect(() => {
    if (joinError && PASSCODE_CODES.has(joinError.code)) passcodeRef.current?.focus();
  }, [joinError]);

  const problem = mediaProblemText(t, local);
  const noMic = local.tracks.audio === null;

  return (
    <main className="prejoin" onPointerDown={resumeAudio}>
      <section className="card prejoin-preview">
        <div className="preview-frame">
          <VideoView stream={local.preview} muted mirrored testId="local-video" label={t.cameraLabel} />
          {!local.video && (
            <div className="preview-off" aria-live="polite">
              <CameraOffText starting={local.starting} text={t.previewOff} />
            </div>
          )}
        </div>
        <MicLevel />
        <div className="toggles">
          <label className="toggle">
            <input
              type="checkbox"
              data-testid="join-muted"
              checked={!local.audio}
              disabled={noMic || local.starting}
              onChange={(e) => void call.setAudio(!e.target.checked)}
            />
            {t.joinMuted}
          </label>
          <label className="toggle">
            <input
              type="checkbox"
              data-testid="join-camera-off"
              checked={!local.video}
              disabled={local.starting}
              onChange={(e) => void call.setVideo(!e.target.checked)}
            />
            {t.joinCameraOff}
          </label>
        </div>
        {problem && (
          <p className="notice" role="status" data-testid="media-error">
            {problem}
          </p>
        )}
        {/* Beside the camera, not in the form: its answer comes a moment
            after the page, and above the buttons it pushed "Join now" down
            just as people went to click it. */}
        <ConnectivityCheck />
      </section>

      <form className="card prejoin-form" onSubmit={enter} noValidate data-start-here>
        <h1 className="prejoin-title">{t.preJoinTitle}</h1>
        <NameRoomFields
          idPrefix="prejoin-"
          nickname={nickname}
          room={room}
          onNickname={setNickname}
          onRoom={setRoom}
          problems={problems}
          nicknameRef={nicknameRef}
          roomRef={roomRef}
        />
        {askPasscode && (
          <div className="field">
            <label htmlFor="prejoin-passcode">{t.hosts.passcode}</label>
            <p className="hint">{t.hosts.passcodePrompt}</p>
            <div className="panel-row">
              <input
                id="prejoin-passcode"
                ref={passcodeRef}
                data-testid="passcode-input"
                type="password"
                autoComplete="off"
                maxLength={64}
                value={passcode}
                onChange={(e) => setPasscode(e.target.value)}
              />
              <button className="button primary" type="submit" data-testid="passcode-submit" disabled={joining || passcode === ''}>
                {t.hosts.passcodeSubmit}
              </button>
            </div>
          </div>
        )}
        <DeviceSelects />
        {joinError && (
          <p className="form-error" role="alert" data-testid="join-error" data-code={joinError.code}>
            {errorText(t, joinError)}
          </p>
        )}
        <div className="prejoin-actions">
          <button className="button" type="button" onClick={() => navigate(HOME_PATH)}>
            {t.backHome}
          </button>
          <button className="button primary" type="submit" data-testid="enter-button" disabled={joining}>
            {joining ? t.entering : t.enter}
          </button>
        </div>
      </form>
    </main>
  );
}

function CameraOffText({ starting, text }: { starting: boolean; text: string }) {
  return <span className={starting ? 'preview-starting' : undefined}>{starting ? '…' : text}</span>;
}
