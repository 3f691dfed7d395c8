/**
 * Nickname + room name + join. Presentational: the home screen owns the
 * values, because the room list joins with the same nickname.
 */
import type { FormEvent, RefObject } from 'react';
import { DEFAULT_LIMITS } from '../engine/protocol';
import { useI18n } from './I18n';

export interface FieldProblems {
  nickname: boolean;
  room: boolean;
}

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
  const { problems } = props;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    props.onSubmit();
  };

  return (
    <form className="card join-form" onSubmit={submit} noValidate>
      <div className="field">
        <label htmlFor="nickname">{t.nicknameLabel}</label>
        <input
          id="nickname"
          ref={props.nicknameRef}
          data-testid="nickname-input"
          value={props.nickname}
          onChange={(e) => props.onNickname(e.target.value)}
          placeholder={t.nicknamePlaceholder}
          autoComplete="nickname"
          aria-invalid={problems.nickname}
          aria-describedby={problems.nickname ? 'nickname-error' : undefined}
        />
        {problems.nickname && (
          <p id="nickname-error" className="field-error" role="alert" data-testid="nickname-error">
            {t.nicknameInvalid(DEFAULT_LIMITS.name)}
          </p>
        )}
      </div>
      <div className="field">
        <label htmlFor="room">{t.roomLabel}</label>
        <input
          id="room"
          ref={props.roomRef}
          data-testid="room-input"
          value={props.room}
          onChange={(e) => props.onRoom(e.target.value)}
          placeholder={t.roomPlaceholder}
          autoComplete="off"
          enterKeyHint="go"
          aria-invalid={problems.room}
          aria-describedby={problems.room ? 'room-error' : undefined}
        />
        {problems.room && (
          <p id="room-error" className="field-error" role="alert" data-testid="room-error">
            {t.roomInvalid(DEFAULT_LIMITS.room)}
          </p>
        )}
      </div>
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
