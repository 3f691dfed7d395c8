import type { ComfortMessages } from './comfortMessages';

export const comfortKo: ComfortMessages = {
  qualityOf: (level, details) => `연결 상태 ${level}: ${details}`,
  qualityDetails: (loss, rtt, fps) =>
    [`패킷 손실 ${loss}%`, rtt === null ? null : `지연 ${rtt}ms`, fps === null ? null : `초당 ${fps}프레임`]
      .filter(Boolean)
      .join(', '),
  level: { good: '좋음', fair: '보통', poor: '나쁨' },
  stats: '연결',
  statsTitle: '내 연결 상태',
  statsClose: '닫기',
  statsMeasuring: '측정 중…',
  upload: '업로드',
  roundTrip: '왕복 지연',
  loss: '패킷 손실',
  frameRate: '프레임 속도',
  resolution: '해상도',
  route: '경로',
  routeKind: { relay: '중계 서버 경유', direct: '직접 연결' },
  unknown: '—',
  speakerView: '발표자 보기',
  speakerViewHint: '말하는 사람을 크게, 나머지는 한 줄로 보여 줍니다',
  noiseSuppression: '소음 제거',
  noiseSuppressionHint: '타자 소리나 선풍기 같은 배경 소음을 걸러 냅니다',
};
