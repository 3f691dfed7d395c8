import type { Messages } from './messages';

export const ko: Messages = {
  languageName: '한국어',
  languageLabel: '언어',

  tagline: '내 서버에서 여는 모임. 닉네임과 방 이름만 정하면 바로 시작해요.',
  nicknameLabel: '닉네임',
  nicknamePlaceholder: '다른 사람에게 보일 이름',
  roomLabel: '방 이름',
  roomPlaceholder: '예: 주간회의',
  join: '참여하기',
  joining: '참여하는 중…',
  nicknameInvalid: (max) => `닉네임을 1~${max}자로 입력해 주세요.`,
  roomInvalid: (max) => `방 이름을 1~${max}자로 입력해 주세요.`,

  publicRooms: '공개 방',
  noRooms: '아직 열린 방이 없어요. 위에서 방 이름을 정해 새로 시작해 보세요.',
  joinRoom: (room, count) => `${room} 방에 참여하기 (${count}명)`,

  peopleSuffix: () => '명',
  participantsLabel: '참여자',
  leave: '나가기',

  chatLabel: '채팅',
  chatEmpty: '아직 메시지가 없어요. 먼저 인사해 보세요!',
  chatPlaceholder: '메시지를 입력하세요…',
  send: '보내기',
  you: '나',
  joined: (name, count) => `${name}님이 입장했습니다 (${count})`,
  left: (name, count) => `${name}님이 나갔습니다 (${count})`,

  connecting: '서버에 연결하는 중…',
  reconnecting: '연결이 끊어졌습니다. 다시 연결하는 중…',
  rejoining: '다시 연결되었습니다. 방에 다시 참여하는 중…',
  closed: '서버와의 연결이 종료되었습니다.',

  errors: {
    invalid_payload: () => '서버가 요청을 이해하지 못했습니다.',
    invalid_name: (l) => `닉네임은 1~${l.name}자여야 합니다.`,
    invalid_room: (l) => `방 이름은 1~${l.room}자여야 합니다.`,
    invalid_message: (l) => `메시지가 너무 깁니다 (최대 ${l.message}자).`,
    too_large: () => '보내기에는 너무 큽니다.',
    not_in_room: () => '이 방에 참여하고 있지 않습니다.',
    room_full: (l) => `방이 가득 찼습니다 (최대 ${l.roomSize}명).`,
    rate_limited: () => '너무 빠르게 보내고 있어요. 잠시 후 다시 시도해 주세요.',
    internal: () => '서버에 문제가 생겼습니다. 다시 시도해 주세요.',
    timeout: () => '서버가 제때 응답하지 않았습니다.',
    disconnected: () => '서버에 연결되어 있지 않습니다.',
    bad_response: () => '서버의 응답을 이해할 수 없습니다.',
  },
};
