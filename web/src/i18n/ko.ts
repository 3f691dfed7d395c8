import { formatBytes } from './format';
import { comfortKo } from './comfortKo';
import { hostsKo } from './hostsKo';
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
  modeLabel: { mesh: '직접 연결', sfu: '서버 경유' },
  modeHint: { mesh: '모두가 서로 직접 연결되어 있습니다.', sfu: '큰 통화: 영상이 서버를 거치며, 각자 한 번만 보냅니다.' },
  participantsLabel: '참여자',
  leave: '나가기',

  chatLabel: '채팅',
  chatEmpty: '아직 메시지가 없어요. 먼저 인사해 보세요!',
  chatOlder: '이전 메시지 보기',
  chatLoadingOlder: '이전 메시지를 불러오는 중…',
  chatPlaceholder: '메시지를 입력하세요…',
  send: '보내기',
  you: '나',
  joined: (name, count) => `${name}님이 입장했습니다 (${count})`,
  left: (name, count) => `${name}님이 나갔습니다 (${count})`,

  preJoinTitle: '참여할 준비가 되셨나요?',
  enter: '지금 참여',
  entering: '참여하는 중…',
  joinMuted: '마이크 끄고 참여',
  joinCameraOff: '카메라 끄고 참여',
  cameraLabel: '카메라',
  micLabel: '마이크',
  speakerLabel: '스피커',
  micLevelLabel: '마이크 입력 크기',
  unnamedDevice: (kind, n) => `${{ camera: '카메라', mic: '마이크', speaker: '스피커' }[kind]} ${n}`,
  noDevices: '찾을 수 없음',
  previewOff: '카메라가 꺼져 있어요',
  mediaProblem: (problem, what) => {
    const thing = { both: '카메라와 마이크', camera: '카메라', mic: '마이크' }[what];
    const why = {
      unsupported: `이 브라우저나 주소에서는 ${thing}를 쓸 수 없어요 (https 또는 localhost가 필요해요).`,
      denied: `${thing} 사용이 차단되었어요. 주소창에서 허용한 뒤 새로고침해 주세요.`,
      not_found: `${thing}를 찾을 수 없어요.`,
      in_use: `다른 프로그램이 ${thing}를 쓰고 있어요.`,
      failed: `${thing}를 시작하지 못했어요.`,
    }[problem];
    return `${why} 그래도 참여할 수 있어요. 다른 사람에게 ${what === 'camera' ? '내 모습이 보이지' : what === 'mic' ? '내 목소리가 들리지' : '내 모습과 목소리가 전해지지'} 않을 뿐이에요.`;
  },
  connectivityTitle: '연결 확인',
  connectivityChecking: '이 기기의 연결 상태를 확인하는 중…',
  connectivityUnavailable: '연결 상태를 확인하지 못했습니다. 그래도 참여할 수 있습니다.',
  connectivityRetry: '다시 확인',
  connectivityDirect: (ok) =>
    ok
      ? '직접 연결: 준비됨. 같은 네트워크에 있는 사람과 바로 연결됩니다.'
      : '직접 연결: 이 기기에 쓸 수 있는 네트워크 주소가 없습니다. Wi-Fi나 네트워크 연결을 확인하세요.',
  connectivityRelay: (relay) =>
    ({
      ok: '중계: 작동함. 다른 네트워크에 있는 사람과도 통화가 연결됩니다.',
      failed:
        '중계: 연결할 수 없음. 다른 네트워크의 사람은 연결되지 않을 수 있습니다(같은 Wi-Fi에서는 됩니다). 계속 이러면 서버 관리자에게 방화벽에서 TURN 포트(UDP 3478과 중계 포트)를 열어 달라고 하세요.',
      later: '중계: 참가하면 이 서버의 중계를 쓸 수 있습니다. 다른 네트워크에 있는 사람과도 통화가 연결됩니다.',
      none: '중계: 이 서버에 설정되어 있지 않음. 같은 네트워크에 있는 사람끼리는 통화할 수 있고, 다른 네트워크와 연결하려면 서버에 TURN이 필요합니다(docs/deploy.md 참고).',
    })[relay],
  backHome: '뒤로',

  mute: '마이크 끄기',
  unmute: '마이크 켜기',
  cameraOff: '카메라 끄기',
  cameraOn: '카메라 켜기',
  shareScreen: '화면 공유',
  stopSharing: '공유 중지',
  screenProblem: (problem) =>
    problem === 'unsupported' ? '이 브라우저에서는 화면을 공유할 수 없어요.' : '화면을 공유하지 못했어요.',
  devices: '장치',
  invite: '초대 링크 복사',
  inviteCopied: '링크를 복사했어요',
  inviteManual: '이 링크를 복사하세요:',
  showChat: '채팅 보기',
  hideChat: '채팅 숨기기',
  unread: (n) => `읽지 않은 메시지 ${n}개`,
  videoGrid: '영상',
  tileName: (name, self) => (self ? `${name} (나)` : name),
  screenOf: (name, self) => (self ? '내 화면' : `${name}님의 화면`),
  pinTile: (label) => `${label} 고정`,
  unpinTile: (label) => `${label} 고정 해제`,
  mutedLabel: '마이크 꺼짐',
  cameraOffLabel: '카메라 꺼짐',
  controlsLabel: '통화 조작',

  sendFile: '파일 보내기',
  dropFiles: '파일을 놓으면 모두에게 보내요',
  filesLabel: '파일',
  fileFrom: (name) => `${name}님이 보냄`,
  fileTo: (name) => `${name}님에게`,
  save: '저장',
  dismiss: '닫기',
  fileFailed: (reason) =>
    ({ too_large: '너무 큼', cancelled: '취소됨', closed: '연결 끊김' } as Record<string, string>)[reason] ?? '실패',
  fileRefused: (reason, max) =>
    ({
      too_large: `파일은 최대 ${ko.bytes(max)}까지 보낼 수 있어요.`,
      empty: '빈 파일이에요.',
      no_peers: '받을 사람이 아직 연결되지 않았어요.',
    })[reason],
  bytes: (n) => formatBytes(n, ['B', 'KB', 'MB', 'GB']),

  connecting: '서버에 연결하는 중…',
  reconnecting: '연결이 끊어졌습니다. 다시 연결하는 중…',
  rejoining: '다시 연결되었습니다. 방에 다시 참여하는 중…',
  closed: '서버와의 연결이 종료되었습니다.',

  hosts: hostsKo,
  comfort: comfortKo,

  notFound: {
    title: '페이지를 찾을 수 없습니다',
    text: '이 주소에는 페이지가 없습니다. 링크를 확인하거나 홈에서 시작하세요.',
    home: '홈으로 가기',
  },

  errors: {
    invalid_payload: () => '서버가 요청을 이해하지 못했습니다.',
    invalid_name: (l) => `닉네임은 1~${l.name}자여야 합니다.`,
    invalid_room: (l) => `방 이름은 1~${l.room}자여야 합니다.`,
    invalid_message: (l) => `메시지가 너무 깁니다 (최대 ${l.message}자).`,
    too_large: () => '보내기에는 너무 큽니다.',
    not_in_room: () => '이 방에 참여하고 있지 않습니다.',
    room_full: () => '모임이 가득 찼습니다: 이 서버의 통화가 받을 수 있는 인원이 모두 들어와 있어요. 잠시 후 다시 시도하거나 다른 방을 골라 주세요.',
    rate_limited: () => '너무 빠르게 보내고 있어요. 잠시 후 다시 시도해 주세요.',
    invalid_page: () => '그 채팅 기록 페이지는 요청할 수 없습니다.',
    not_stored: () => '보냈지만 저장되지 않았습니다: 나중에 들어오는 사람은 이 메시지를 볼 수 없어요.',
    history_unavailable: () => '지금은 채팅 기록을 불러올 수 없습니다.',
    not_sfu: () => '지금은 참가자끼리 직접 연결된 통화입니다. 전환하는 중…',
    invalid_sdp: () => '미디어 서버가 이 브라우저의 연결 정보를 쓸 수 없습니다.',
    no_sfu_session: () => '아직 미디어 서버에 연결되지 않았습니다.',
    no_offer_pending: () => '미디어 서버가 기다리던 응답이 아닙니다.',
    media_unavailable: () => '미디어 서버를 쓸 수 없습니다.',
    not_host: () => '호스트나 공동 호스트만 할 수 있습니다.',
    hosts_only: () => '호스트만 할 수 있습니다.',
    no_such_participant: () => '그 사람은 이미 모임에 없습니다.',
    removed: () => '호스트가 이 모임에서 나를 내보냈습니다.',
    passcode_required: () => '암호가 있는 모임입니다. 암호를 입력해 주세요.',
    wrong_passcode: () => '암호가 맞지 않습니다. 확인하고 다시 시도해 주세요.',
    too_many_attempts: () => '틀린 암호를 너무 많이 입력했습니다. 잠시 후 다시 시도해 주세요.',
    invalid_passcode: () => '암호는 1~64자여야 합니다.',
    invalid_key: () => '이 브라우저의 키가 올바르지 않습니다. 페이지를 새로 고쳐 주세요.',
    locked: () => '잠긴 모임입니다: 참여를 요청하면 호스트가 들여보내 줍니다.',
    lobby_full: () => '입장을 기다리는 사람이 너무 많습니다. 나중에 다시 시도해 주세요.',
    already_waiting: () => '이미 입장을 기다리고 있습니다.',
    not_waiting: () => '그 사람은 더 이상 기다리고 있지 않습니다.',
    muted_by_host: () => '호스트가 음소거했습니다. 호스트가 허용하면 다시 켤 수 있어요.',
    invalid_reaction: () => '보낼 수 없는 반응입니다.',
    invite_required: () => '이 서버에서는 초대 링크로만 모임을 시작할 수 있습니다.',
    invalid_invite: () => '초대 링크가 올바르지 않습니다 (변경되었거나, 다른 모임용이거나, 만료됨).',
    meetings_unavailable: () => '지금은 이 서버에서 모임 관리 기능을 쓸 수 없습니다.',
    internal: () => '서버에 문제가 생겼습니다. 다시 시도해 주세요.',
    timeout: () => '서버가 제때 응답하지 않았습니다.',
    disconnected: () => '서버에 연결되어 있지 않습니다.',
    bad_response: () => '서버의 응답을 이해할 수 없습니다.',
  },
};
