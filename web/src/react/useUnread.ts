/**
 * Counts chat messages from others that arrive while the chat is hidden;
 * back to zero when it is shown.
 */
import { useEffect, useState } from 'react';
import { useSession } from './useSession';

export function useUnread(chatOpen: boolean): number {
  const session = useSession();
  const [unread, setUnread] = useState(0);

  useEffect(() => {
    if (chatOpen) {
      setUnread(0);
      return;
    }
    return session.on('entry', (entry) => {
      if (entry.kind === 'other') setUnread((n) => n + 1);
    });
  }, [chatOpen, session]);

  return unread;
}
