/**
 * Nickname + room name + join. Presentational: the home screen owns the
 * values, because the room list joins with the same nickname.
 */
import type { FormEvent, RefObject } from 'react';
import { useI18n } from './I18n';
import { NameRoomFields, type FieldProblems } from './NameRoomFields';

interface Props {
  nickname: string;
  room: string;
  onNickname: (value: string) => void;
  onRoom: (value: string) => void;
  onSubmit: () => void;
  problems: FieldProblems;
  joining: boolean;
  /** Already in words: a refusal from the server or a failed connection. */
  error: string | null;
  nicknameRef: RefObject<HTMLInputElement | null>;
  roomRef: RefObject<HTMLInputElement | null>;
}

export function JoinForm(props: Props) {
  const { t } = useI18n();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    props.onSubmit();
  };

  return (
    <form className="card join-form" onSubmit={submit} noValidate>
      <NameRoomFields
        nickname={props.nickname}
        room={props.room}
        onNickname={props.onNickname}
        onRoom={props.onRoom}
        problems={props.problems}
        nicknameRef={props.nicknameRef}
        roomRef={props.roomRef}
      />
      {props.error && (
        <p className="form-error" role="alert" data-testid="join-error">
          {props.error}
        </p>
      )}
      <button className="button primary" type="submit" data-testid="join-button" disabled={props.joining}>
        {props.joining ? t.joining : t.join}
      </button>
    </form>
  );
}
