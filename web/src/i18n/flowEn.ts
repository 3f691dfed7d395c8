import type { MediaProblem } from '../engine/call/media';
import type { FlowMessages } from './flowMessages';

const where = "allow it in the browser's site settings (the icon left of the address), then try again";

const unavailable = (thing: 'Camera' | 'Microphone'): Record<MediaProblem, string> => ({
  denied: `${thing} blocked — ${where}.`,
  not_found: `No ${thing.toLowerCase()} found.`,
  in_use: `The ${thing.toLowerCase()} is in use by another app. Close it and try again.`,
  unsupported: `This browser or address gives no ${thing.toLowerCase()} access (it needs https).`,
  failed: `The ${thing.toLowerCase()} could not be started. Try again.`,
});

export const flowEn: FlowMessages = {
  connectivity: {
    ready: 'Your connection is ready for calls.',
    some_networks:
      'Calls may not connect from some networks (strict firewalls, some office or mobile networks). On the same network they work.',
    offline: 'No network found for calls. Check your Wi-Fi or network connection.',
  },
  cameraUnavailable: unavailable('Camera'),
  micUnavailable: unavailable('Microphone'),
  mediaReconnecting: 'Video interrupted — reconnecting…',
  leaveTitle: 'Leave the call?',
  leaveText: (others) => (others === 1 ? '1 other person is still in the call.' : `${others} other people are still in the call.`),
  leaveConfirm: 'Leave',
  stay: 'Stay',
  leftTitle: (room) => `You left ${room}`,
  leftText: 'Your camera and microphone are off.',
  rejoin: 'Rejoin',
  home: 'Home',
  shortcutsTitle: 'Keyboard shortcuts',
  shortcutsButton: 'Shortcuts',
  shortcut: {
    mute: 'Mute or unmute',
    camera: 'Camera on or off',
    chat: 'Show or hide the chat',
    hand: 'Raise or lower your hand',
    leave: 'Leave the call (asks first)',
    help: 'Show this help',
  },
  close: 'Close',
  announceJoined: (name) => `${name} joined`,
  announceLeft: (name) => `${name} left`,
  announceMessage: (name, text) => `Message from ${name}: ${text}`,
};
