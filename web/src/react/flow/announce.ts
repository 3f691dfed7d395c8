/**
 * What the screen-reader live region says about the chat log's new lines:
 * joins, leaves and other people's messages, in the UI's language. Your own
 * lines and error lines are not announced (you know them; errors are shown
 * where they happen), nor are lines from history pages (not news).
 */
import type { ChatEntry } from '../../engine/chatLog';
import type { FlowMessages } from '../../i18n/flowMessages';

export function announcementOf(entry: ChatEntry, m: FlowMessages): string | null {
  switch (entry.kind) {
    case 'joined':
      return m.announceJoined(entry.participant.name);
    case 'left':
      return m.announceLeft(entry.participant.name);
    case 'other':
      return entry.history ? null : m.announceMessage(entry.from.name, entry.text);
    default:
      return null;
  }
}

/** The id of the newest line: lines after it are news. 0 for an empty log (ids start at 1). */
export function newestId(log: readonly ChatEntry[]): number {
  return log.length > 0 ? log[log.length - 1]!.id : 0;
}

/** The announcements for the lines after `lastId` (entry ids only grow, across rooms too). */
export function newAnnouncements(log: readonly ChatEntry[], lastId: number, m: FlowMessages): string[] {
  const texts: string[] = [];
  for (const entry of log) {
    if (entry.id <= lastId) continue;
    const text = announcementOf(entry, m);
    if (text) texts.push(text);
  }
  return texts;
}
