/**
 * The nickname and room name inputs, as both the home page's join form and
 * the pre-join screen show them. One component so the two cannot drift apart
 * again: each input has its label, says when it is wrong (`aria-invalid`) and
 * points at the sentence that says why (`aria-describedby`), so a screen
 * reader reads the problem with the field. Presentational: the screen owns
 * the values and decides when to check them (`findProblems`).
 */
import type { RefObject } from 'react';
import { DEFAULT_LIMITS } from '../engine/protocol';
import { isValidName } from '../engine/text';
import { useI18n } from './I18n';

/** Which of the two fields to mark as wrong. */
export interface FieldProblems {
  nickname: boolean;
  room: boolean;
}

export const NO_PROBLEMS: FieldProblems = { nickname: false, room: false };

/** The same rules the engine and the server apply, checked before joining for an instant answer. */
export function findProblems(nickname: string, room: string): FieldProblems {
  return {
    nickname: !isValidName(nickname, DEFAULT_LIMITS.name),
    room: !isValidName(room, DEFAULT_LIMITS.room),
  };
}

interface Props {
  /**
   * Put before the inputs' element ids (`nickname`, `room`, and their
   * `-error`), so two screens never share an id and labels find their input.
   */
  idPrefix?: string;
  nickname: string;
  room: string;
  onNickname: (value: string) => void;
  onRoom: (value: string) => void;
  problems: FieldProblems;
  nicknameRef: RefObject<HTMLInputElement | null>;
  roomRef: RefObject<HTMLInputElement | null>;
}

export function NameRoomFields({ idPrefix = '', problems, ...props }: Props) {
  const { t } = useI18n();
  const nicknameId = `${idPrefix}nickname`;
  const roomId = `${idPrefix}room`;

  return (
    <>
      <div className="field">
        <label htmlFor={nicknameId}>{t.nicknameLabel}</label>
        <input
          id={nicknameId}
          ref={props.nicknameRef}
          data-testid="nickname-input"
          value={props.nickname}
          onChange={(e) => props.onNickname(e.target.value)}
          placeholder={t.nicknamePlaceholder}
          autoComplete="nickname"
          aria-invalid={problems.nickname}
          aria-describedby={problems.nickname ? `${nicknameId}-error` : undefined}
        />
        {problems.nickname && (
          <p id={`${nicknameId}-error`} className="field-error" role="alert" data-testid="nickname-error">
            {t.nicknameInvalid(DEFAULT_LIMITS.name)}
          </p>
        )}
      </div>
      <div className="field">
        <label htmlFor={roomId}>{t.roomLabel}</label>
        <input
          id={roomId}
          ref={props.roomRef}
          data-testid="room-input"
          value={props.room}
          onChange={(e) => props.onRoom(e.target.value)}
          placeholder={t.roomPlaceholder}
          autoComplete="off"
          enterKeyHint="go"
          aria-invalid={problems.room}
          aria-describedby={problems.room ? `${roomId}-error` : undefined}
        />
        {problems.room && (
          <p id={`${roomId}-error`} className="field-error" role="alert" data-testid="room-error">
            {t.roomInvalid(DEFAULT_LIMITS.room)}
          </p>
        )}
      </div>
    </>
  );
}
