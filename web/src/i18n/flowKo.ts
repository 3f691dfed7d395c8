import type { FlowMessages } from './flowMessages';

const where = '브라우저의 사이트 설정(주소 왼쪽 아이콘)에서 허용한 뒤 다시 시도하세요';

export const flowKo: FlowMessages = {
  connectivity: {
    ready: '통화할 준비가 되었습니다.',
    some_networks: '일부 네트워크(방화벽이 엄격한 회사·모바일 네트워크 등)에서는 통화가 연결되지 않을 수 있습니다. 같은 네트워크에서는 됩니다.',
    offline: '통화에 쓸 네트워크를 찾지 못했습니다. Wi-Fi나 네트워크 연결을 확인하세요.',
  },
  cameraUnavailable: {
    denied: `카메라가 차단됨 — ${where}.`,
    not_found: '카메라를 찾을 수 없습니다.',
    in_use: '다른 앱이 카메라를 쓰고 있습니다. 그 앱을 닫고 다시 시도하세요.',
    unsupported: '이 브라우저나 주소에서는 카메라를 쓸 수 없습니다(https 필요).',
    failed: '카메라를 시작하지 못했습니다. 다시 시도하세요.',
  },
  micUnavailable: {
    denied: `마이크가 차단됨 — ${where}.`,
    not_found: '마이크를 찾을 수 없습니다.',
    in_use: '다른 앱이 마이크를 쓰고 있습니다. 그 앱을 닫고 다시 시도하세요.',
    unsupported: '이 브라우저나 주소에서는 마이크를 쓸 수 없습니다(https 필요).',
    failed: '마이크를 시작하지 못했습니다. 다시 시도하세요.',
  },
  mediaReconnecting: '영상이 끊김 — 다시 연결하는 중…',
  leaveTitle: '통화에서 나갈까요?',
  leaveText: (others) => `아직 ${others}명이 통화 중입니다.`,
  leaveConfirm: '나가기',
  stay: '머무르기',
  leftTitle: (room) => `${room}에서 나왔습니다`,
  leftText: '카메라와 마이크가 꺼졌습니다.',
  rejoin: '다시 참여',
  home: '처음으로',
  shortcutsTitle: '키보드 단축키',
  shortcutsButton: '단축키',
  shortcut: {
    mute: '음소거 / 해제',
    camera: '카메라 켜기 / 끄기',
    chat: '채팅 보이기 / 숨기기',
    hand: '손 들기 / 내리기',
    leave: '통화에서 나가기(먼저 묻습니다)',
    help: '이 도움말 보기',
  },
  close: '닫기',
  announceJoined: (name) => `${name}님이 들어왔습니다`,
  announceLeft: (name) => `${name}님이 나갔습니다`,
  announceMessage: (name, text) => `${name}님의 메시지: ${text}`,
};
