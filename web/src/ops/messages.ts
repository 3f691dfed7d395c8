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
  mode: string;
  rooms: string;
  participants: string;
  noRooms: string;
  namespace: (name: string) => string;
  logout: string;
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
    mode: 'Mode',
    rooms: 'Rooms',
    participants: 'Participants',
    noRooms: 'No rooms right now.',
    namespace: (name) => (name === '/moim' ? 'Meetings (/moim)' : `Course rooms (${name})`),
    logout: 'Log out',
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
    mode: '방식',
    rooms: '방',
    participants: '참가자',
    noRooms: '지금은 방이 없습니다.',
    namespace: (name) => (name === '/moim' ? `회의 (${name})` : `강의 방 (${name})`),
    logout: '로그아웃',
  },
};
