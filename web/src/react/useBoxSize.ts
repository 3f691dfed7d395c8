/**
 * The size of an element's content box, in CSS pixels, kept up to date by a
 * ResizeObserver: what the call's layout is computed for. 0 × 0 until it is
 * first measured (before the first paint, in browsers).
 */
import { useEffect, useState, type RefObject } from 'react';
import type { Box } from './layout';

export function useBoxSize(ref: RefObject<HTMLElement | null>): Box {
  const [box, setBox] = useState<Box>({ width: 0, height: 0 });
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver((entries) => {
      const rect = entries[entries.length - 1]?.contentRect;
      if (!rect) return;
      const next = { width: Math.floor(rect.width), height: Math.floor(rect.height) };
      setBox((prev) => (prev.width === next.width && prev.height === next.height ? prev : next));
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref]);
  return box;
}
