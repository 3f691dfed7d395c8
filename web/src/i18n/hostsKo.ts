import type { HostMessages } from './hostsMessages';

const minutes = (ms: number) => Math.floor(ms / 60_000);

export const hostsKo: HostMessages = {
  people: '참가자',
  waitingBadge: (n) => `${n}명이 입장을 기다리는 중`,
  closePanel: '닫기',
  role: { host: '호스트', cohost: '공동 호스트', guest: '게스트' },
  you: '(나)',
  handRaised: '손 듦',
  raiseHand: '손 들기',
  lowerHand: '손 내리기',
  react: '반응',
  reactionsLabel: '반응 보내기',
  reactionOf: (name, emoji) => `${name}: ${emoji}`,
  micOn: '마이크 켜짐',
  micOff: '마이크 꺼짐',
  cameraOn: '카메라 켜짐',
  cameraOff: '카메라 꺼짐',
  sharing: '화면 공유 중',
  personMenu: (name) => `${name}님에 대한 작업`,
  action: {
    mute: '음소거',
    'allow-speak': '음소거 해제 허용',
    'camera-off': '카메라 끄기',
    'stop-screen': '화면 공유 중지',
    'lower-hand': '손 내리기',
    remove: '모임에서 내보내기',
    'make-cohost': '공동 호스트로 지정',
    'make-host': '호스트로 지정',
    'make-guest': '게스트로 변경',
  },
  stepDown: '물러나기 (게스트로 변경)',
  muteAll: '모두 음소거',
  controlsHeading: '모임 관리',
  lock: '모임 잠그기',
  lockHint: '새로 오는 사람은 호스트가 들여보낼 때까지 대기실에서 기다립니다.',
  list: '홈 화면에 표시',
  listHint: '표시한 모임은 공개 방 목록에 나옵니다.',
  allowUnmute: '참가자가 스스로 음소거 해제 가능',
  passcode: '암호',
  passcodeIsSet: '암호가 설정되어 있습니다.',
  passcodeNone: '암호 없음.',
  setPasscode: '암호 설정',
  removePasscode: '암호 없애기',
  lobbyHeading: (n) => `입장 대기 (${n})`,
  admit: '들여보내기',
  deny: '거절',
  admitAll: '모두 들여보내기',
  waitedFor: (ms) => (minutes(ms) < 1 ? '방금' : `${minutes(ms)}분`),
  removedBefore: '이전에 내보낸 사람',
  endMeeting: '모두에게 모임 종료',
  endConfirm: '모두에게 모임을 종료할까요? 모든 사람이 통화에서 나가게 됩니다.',
  endConfirmYes: '모두 종료',
  cancel: '취소',
  moderatedYou: (action, by) => {
    const who = by ? `${by}님이` : '호스트가';
    switch (action) {
      case 'mute':
      case 'mute-all':
        return `${who} 내 마이크를 음소거했습니다`;
      case 'allow-speak':
        return `${who} 음소거 해제를 허용했습니다`;
      case 'camera-off':
        return `${who} 내 카메라를 껐습니다`;
      case 'stop-screen':
        return `${who} 내 화면 공유를 중지했습니다`;
      case 'lower-hand':
        return `${who} 내 손을 내렸습니다`;
      case 'make-host':
        return `${who} 나를 호스트로 지정했습니다`;
      case 'make-cohost':
        return `${who} 나를 공동 호스트로 지정했습니다`;
      default:
        return `${who} 나를 게스트로 변경했습니다`;
    }
  },
  mutedByHost: '호스트가 음소거했습니다. 호스트가 허용하면 다시 켤 수 있어요.',
  lobbyTitle: '호스트가 들여보내 주기를 기다리는 중',
  lobbyText: (room) => `“${room}” 모임에 참여를 요청했습니다. 호스트가 허락하면 바로 통화에 들어갑니다.`,
  lobbyAdmitted: '입장이 허락되었습니다. 참여하는 중…',
  passcodePrompt: '암호가 있는 모임입니다. 암호를 입력해 주세요.',
  passcodeSubmit: '암호로 참여하기',
  removedTitle: '모임에서 내보내졌습니다',
  removedText: (by) => (by ? `${by}님이 나를 내보냈습니다. 다시 참여를 요청할 수 있고, 호스트가 결정합니다.` : '호스트가 나를 내보냈습니다. 다시 참여를 요청할 수 있고, 호스트가 결정합니다.'),
  endedTitle: '모임이 끝났습니다',
  endedText: (by) => (by ? `${by}님이 모두에게 모임을 종료했습니다.` : '모임이 모두에게 종료되었습니다.'),
  deniedTitle: '호스트가 입장을 허락하지 않았습니다',
  deniedText: '참여 요청이 거절되었습니다. 나중에 다시 시도해 보세요.',
  askToJoin: '참여 요청하기',
  roomFull: '가득 참',
  roomLocked: '잠김',
};
