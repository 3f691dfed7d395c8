/**
 * Home: the join form and the public room list. Names are checked here
 * before anything is sent, so the common mistakes get an instant answer.
 */
import { useEffect, useRef, useState } from 'react';
import { DEFAULT_LIMITS } from '../engine/protocol';
import { isValidName } from '../engine/text';
import { errorText } from '../i18n';
import { PREF_KEYS, readPref, writePref } from '../prefs';
import { useI18n } from './I18n';
import { JoinForm, type FieldProblems } from './JoinForm';
import { RoomList } from './RoomList';
import { useRoomSession, useSession } from './useSession';

interface Props {
  /** The room named in the address (`/r/<room>`), if any. */
  routeRoom: string | null;
}

const NO_PROBLEMS: FieldProblems = { nickname: false, room: false };

export function HomeScreen({ routeRoom }: Props) {
  const { t } = useI18n();
  const session = useRoomSession();
  const { rooms, phase, joinError } = useSession();
  const [nickname, setNickname] = useState(() => readPref(PREF_KEYS.nickname) ?? '');
  const [room, setRoom] = useState(routeRoom ?? '');
  const [problems, setProblems] = useState<FieldProblems>(NO_PROBLEMS);
  const nicknameRef = useRef<HTMLInputElement>(null);
  const roomRef = useRef<HTMLInputElement>(null);

  // Back/forward to another `/r/<room>` address refills the field.
  useEffect(() => {
    if (routeRoom !== null) setRoom(routeRoom);
  }, [routeRoom]);

  const join = async (roomName: string) => {
    if (await session.join(roomName, nickname)) writePref(PREF_KEYS.nickname, nickname.trim());
  };

  const submit = () => {
    const found = {
      nickname: !isValidName(nickname, DEFAULT_LIMITS.name),
      room: !isValidName(room, DEFAULT_LIMITS.room),
    };
    setProblems(found);
    if (found.nickname) nicknameRef.current?.focus();
    else if (found.room) roomRef.current?.focus();
    else void join(room);
  };

  const pick = (roomName: string) => {
    setRoom(roomName);
    if (!isValidName(nickname, DEFAULT_LIMITS.name)) {
      setProblems({ nickname: true, room: false });
      nicknameRef.current?.focus();
      return;
    }
    setProblems(NO_PROBLEMS);
    void join(roomName);
  };

  return (
    <main className="home">
      <header className="hero">
        <h1 className="logo">moim</h1>
        <p className="tagline">{t.tagline}</p>
      </header>
      <JoinForm
        nickname={nickname}
        room={room}
        onNickname={(v) => {
          setNickname(v);
          if (problems.nickname) setProblems((p) => ({ ...p, nickname: false }));
        }}
        onRoom={(v) => {
          setRoom(v);
          if (problems.room) setProblems((p) => ({ ...p, room: false }));
        }}
        onSubmit={submit}
        problems={problems}
        joining={phase === 'joining'}
        error={joinError ? errorText(t, joinError) : null}
        nicknameRef={nicknameRef}
        roomRef={roomRef}
      />
      <RoomList rooms={rooms} onPick={pick} disabled={phase === 'joining'} />
    </main>
  );
}
