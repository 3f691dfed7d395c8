/**
 * A `<video>` playing a MediaStream. React cannot set `srcObject` as a prop,
 * so an effect does; the chosen speaker is applied with `setSinkId` where the
 * browser has it. Autoplay with sound is allowed here because the user has
 * clicked "join" on this page.
 */
import { useEffect, useRef } from 'react';

interface Props {
  stream: MediaStream | null;
  /** Own camera and screen shares: never played back (no echo). */
  muted: boolean;
  mirrored?: boolean;
  sinkId?: string | null;
  className?: string;
  testId: string;
  name?: string;
  label: string;
}

export function VideoView({ stream, muted, mirrored = false, sinkId, className, testId, name, label }: Props) {
  const ref = useRef<HTMLVideoElement>(null);

  useEffect(() => {
    const el = ref.current;
    if (!el || el.srcObject === stream) return;
    el.srcObject = stream;
    // A blocked autoplay leaves the element paused; nothing to report.
    if (stream) el.play().catch(() => undefined);
  }, [stream]);

  useEffect(() => {
    const el = ref.current;
    if (!el || !sinkId || muted || typeof el.setSinkId !== 'function') return;
    el.setSinkId(sinkId).catch(() => undefined);
  }, [sinkId, muted]);

  const classes = ['video', mirrored ? 'mirrored' : '', className ?? ''].filter(Boolean).join(' ');
  return (
    <video
      ref={ref}
      className={classes}
      data-testid={testId}
      data-name={name}
      aria-label={label}
      autoPlay
      playsInline
      muted={muted}
    />
  );
}
