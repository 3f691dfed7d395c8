/** The operator page's strings, in the UI's two languages. */
import type { Lang } from '../i18n';

export interface OpsMessages {
  title: string;
  login: string;
  username: string;
  password: string;
  invalidCredentials: string;
  connectionError: (message: string) => string;
  node: string;
  version: string;
  uptime: string;
  relay: string;
  relayOn: string;
  relayOff: string;
  mode: string;
  /** Where a meeting's media is forwarded, in a cluster: the node's id follows. */
  mediaNode: string;
  rooms: string;
  participants: string;
  noRooms: string;
  namespace: (name: string) => string;
  logout: string;
  newMeeting: string;
  meetingName: string;
  passcodeOptional: string;
  listed: string;
  locked: string;
  create: string;
  hostLink: string;
  guestLink: string;
  linksExpire: (date: string) => string;
  createFailed: (code: string, message: string) => string;
}

export const OPS_MESSAGES: Record<Lang, OpsMessages> = {
  en: {
    title: 'moim operations',
    login: 'Log in',
    username: 'User',
    password: 'Password',
    invalidCredentials: 'Wrong user or password.',
    connectionError: (message) => `Cannot connect: ${message}`,
    node: 'Node',
    version: 'Version',
    uptime: 'Up for',
    relay: 'TURN relay',
    relayOn: 'On',
    relayOff: 'Off: people on networks that block direct calls (strict firewalls, some mobile networks) cannot connect. Start moim with --tls for its own relay, or see docs/deploy.md.',
    mode: 'Mode',
    mediaNode: 'on node',
    rooms: 'Rooms',
    participants: 'Participants',
    noRooms: 'No rooms right now.',
    namespace: (name) => (name === '/moim' ? 'Meetings (/moim)' : `Course rooms (${name})`),
    logout: 'Log out',
    newMeeting: 'New meeting',
    meetingName: 'Meeting name',
    passcodeOptional: 'Passcode (optional)',
    listed: 'Show on the home page',
    locked: 'Lobby: hosts let people in',
    create: 'Create and get links',
    hostLink: 'Host link (makes its holder a host)',
    guestLink: 'Guest link',
    linksExpire: (date) => `The links work until ${date}.`,
    createFailed: (code, message) => (code === 'meeting_exists' ? 'A meeting of that name exists.' : `Not created: ${message}`),
  },
  ko: {
    title: 'moim 운영',
    login: '로그인',
    username: '사용자',
    password: '비밀번호',
    invalidCredentials: '사용자 또는 비밀번호가 틀렸습니다.',
    connectionError: (message) => `연결할 수 없습니다: ${message}`,
    node: '노드',
    version: '버전',
    uptime: '가동 시간',
    relay: 'TURN 중계',
    relayOn: '켜짐',
    relayOff: '꺼짐: 직접 연결을 막는 네트워크(엄격한 방화벽, 일부 모바일 네트워크)에 있는 사람은 연결할 수 없습니다. 자체 중계를 켜려면 --tls로 moim을 시작하거나 docs/deploy.md를 참고하세요.',
    mode: '방식',
    mediaNode: '미디어 노드',
    rooms: '방',
    participants: '참가자',
    noRooms: '지금은 방이 없습니다.',
    namespace: (name) => (name === '/moim' ? `회의 (${name})` : `강의 방 (${name})`),
    logout: '로그아웃',
    newMeeting: '새 회의',
    meetingName: '회의 이름',
    passcodeOptional: '암호 (선택)',
    listed: '첫 화면에 표시',
    locked: '대기실: 호스트가 입장을 허락',
    create: '만들고 링크 받기',
    hostLink: '호스트 링크 (받은 사람이 호스트가 됩니다)',
    guestLink: '참가자 링크',
    linksExpire: (date) => `링크는 ${date}까지 쓸 수 있습니다.`,
    createFailed: (code, message) => (code === 'meeting_exists' ? '같은 이름의 회의가 있습니다.' : `만들지 못했습니다: ${message}`),
  },
};
