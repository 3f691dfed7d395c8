/**
 * How tall a tile is drawn, in device pixels, for the SFU's simulcast layer
 * choice (`Call.setTileHeight`): the element's CSS height × devicePixelRatio,
 * or 0 while it cannot be seen (scrolled away, the tab hidden, or `shown`
 * false: the camera-off placeholder covers the video). Reported on every
 * change; the engine debounces.
 */
import { useEffect, type RefObject } from 'react';

export function useTileHeight(ref: RefObject<HTMLElement | null>, report: ((height: number) => void) | null, shown: boolean): void {
  useEffect(() => {
    const el = ref.current;
    if (!el || !report || typeof ResizeObserver === 'undefined') return;
    let height = el.getBoundingClientRect().height;
    let visible = true;
    const tell = () => report(shown && visible && !document.hidden ? Math.round(height * window.devicePixelRatio) : 0);
    const resize = new ResizeObserver((entries) => {
      const entry = entries[entries.length - 1];
      if (entry) height = entry.contentRect.height;
      tell();
    });
    resize.observe(el);
    const seen =
      typeof IntersectionObserver === 'undefined'
        ? null
        : new IntersectionObserver((entries) => {
            const entry = entries[entries.length - 1];
            if (entry) visible = entry.isIntersecting;
            tell();
          });
    seen?.observe(el);
    document.addEventListener('visibilitychange', tell);
    tell();
    return () => {
      resize.disconnect();
      seen?.disconnect();
      document.removeEventListener('visibilitychange', tell);
      // Unmounted: nothing of theirs is drawn here any more.
      report(0);
    };
  }, [ref, report, shown]);
}
