/**
 * Home: the join form and the public room list. Names are checked here, so
 * the common mistakes get an instant answer; joining leads to the room's
 * pre-join screen (`/r/<room>`), where the call is entered.
 */
import { useRef, useState } from 'react';
import { errorText } from '../i18n';
import { PREF_KEYS, readPref, writePref } from '../prefs';
import { roomPath } from '../route';
import { useI18n } from './I18n';
import { JoinForm } from './JoinForm';
import { findProblems, NO_PROBLEMS, type FieldProblems } from './NameRoomFields';
import { RoomList } from './RoomList';
import { navigate } from './useRoute';
import { useSessionSnapshot } from './useSession';

export function HomeScreen() {
  const { t } = useI18n();
  const { rooms, phase, joinError } = useSessionSnapshot();
  const [nickname, setNickname] = useState(() => readPref(PREF_KEYS.nickname) ?? '');
  const [room, setRoom] = useState('');
  const [problems, setProblems] = useState<FieldProblems>(NO_PROBLEMS);
  const nicknameRef = useRef<HTMLInputElement>(null);
  const roomRef = useRef<HTMLInputElement>(null);

  /** The pre-join screen reads the nickname from the saved preference. */
  const join = (roomName: string) => {
    writePref(PREF_KEYS.nickname, nickname.trim());
    navigate(roomPath(roomName.trim()));
  };

  const submit = () => {
    const found = findProblems(nickname, room);
    setProblems(found);
    if (found.nickname) nicknameRef.current?.focus();
    else if (found.room) roomRef.current?.focus();
    else join(room);
  };

  const pick = (roomName: string) => {
    setRoom(roomName);
    if (findProblems(nickname, roomName).nickname) {
      setProblems({ nickname: true, room: false });
      nicknameRef.current?.focus();
      return;
    }
    setProblems(NO_PROBLEMS);
    join(roomName);
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
