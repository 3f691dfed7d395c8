/**
 * Getting through a call as a person would (issue 21): leaving asks first
 * (not when alone) and ends on "You left" with Rejoin; Back and reload ask
 * before dropping the call; a blocked camera and a missing microphone say
 * why; keyboard shortcuts and their help dialog; the screen-reader live
 * region tells of joins and messages.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useStage } from '../support/stage';

const stage = useStage();

/** Focus out of the chat box (it takes focus on entering): keys are shortcuts again. */
async function focusPage(page: Page): Promise<void> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
}

const pressedOf = (page: Page, testId: string) => page.getByTestId(testId).getAttribute('aria-pressed');

describe('leaving a call', () => {
  it('asks with others there, ends on "You left" with Rejoin, and asks on Back and reload', async () => {
    const { url } = await stage.server();
    const mina = (await stage.enter(url, 'standup', 'Mina')).page;
    const jun = (await stage.enter(url, 'standup', 'Jun')).page;
    await expect.poll(() => mina.getByTestId('participant-count').textContent()).toBe('2');

    // Leave asks; "Stay" keeps the call and gives focus back to the button.
    await jun.getByTestId('leave-button').click();
    const dialog = jun.getByTestId('leave-dialog');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('1 other person is still in the call.');
    await jun.getByTestId('leave-cancel').click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await jun.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('leave-button');
    expect(await jun.getByTestId('participant-count').textContent()).toBe('2');

    // Back asks too, and staying keeps the call and its address.
    await jun.goBack();
    await dialog.waitFor();
    await jun.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(new URL(jun.url()).pathname).toBe('/r/standup');
    expect(await jun.getByTestId('participant-count').textContent()).toBe('2');

    // Reload asks (the browser's own question); declined, the call stays.
    const asked = jun.waitForEvent('dialog');
    void jun.reload().catch(() => undefined);
    const question = await asked;
    expect(question.type()).toBe('beforeunload');
    await question.dismiss();
    expect(await jun.getByTestId('participant-count').textContent()).toBe('2');

    // Leave for real: "You left standup", Mina sees it.
    await jun.getByTestId('leave-button').click();
    await jun.getByTestId('leave-confirm').click();
    const left = jun.getByTestId('left-screen');
    await left.waitFor();
    expect(await left.getByRole('heading').textContent()).toBe('You left standup');
    await expect.poll(() => mina.getByTestId('participant-count').textContent()).toBe('1');
    expect(await jun.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('rejoin-button');

    // Rejoin: back in the same call as the same person.
    await jun.getByTestId('rejoin-button').click();
    await expect.poll(() => jun.getByTestId('participant-count').textContent(), { timeout: 15_000 }).toBe('2');
    await expect.poll(() => mina.getByTestId('participant-count').textContent()).toBe('2');
    expect(new URL(jun.url()).pathname).toBe('/r/standup');
    await mina.locator('[data-testid="remote-video"][data-name="Jun"]').waitFor();

    // Mina, alone after Jun goes, leaves without a question.
    await jun.getByTestId('leave-button').click();
    await jun.getByTestId('leave-confirm').click();
    await expect.poll(() => mina.getByTestId('participant-count').textContent()).toBe('1');
    await mina.getByTestId('leave-button').click();
    await mina.getByTestId('left-screen').waitFor();
    expect(await mina.getByTestId('leave-dialog').isVisible()).toBe(false);
    // Home leaves the screen for the home page.
    await mina.getByTestId('left-home').click();
    await mina.getByTestId('join-button').waitFor();
  }, 90_000);
});

describe('a blocked camera and a missing microphone', () => {
  it('show the controls as unavailable and say why on a click', async () => {
    const { url } = await stage.server();
    const { page } = await stage.enter(url, 'blocked', 'Eun', {
      // No microphone on this machine, and the camera permission denied.
      prepare: (context) =>
        context.addInitScript(() => {
          const fail = (name: string) => Promise.reject(new DOMException('test', name));
          navigator.mediaDevices.getUserMedia = (c?: MediaStreamConstraints) =>
            fail(c?.audio ? 'NotFoundError' : 'NotAllowedError');
        }),
    });
    const camera = page.getByTestId('camera-button');
    const mute = page.getByTestId('mute-button');
    await expect.poll(() => camera.getAttribute('aria-disabled')).toBe('true');
    expect(await mute.getAttribute('aria-disabled')).toBe('true');
    expect(await camera.getAttribute('title')).toBe(
      "Camera blocked — allow it in the browser's site settings (the icon left of the address), then try again.",
    );
    expect(await mute.getAttribute('title')).toBe('No microphone found.');

    // "Turn camera on" does not stay silent. (aria-disabled: unavailable to
    // assistive technology, yet a click still tries again, so no actionability wait.)
    await camera.click({ force: true });
    const note = page.getByTestId('device-error');
    await note.waitFor();
    expect(await note.getAttribute('data-problem')).toBe('denied');
    expect(await note.textContent()).toContain('Camera blocked');
    await mute.click({ force: true });
    await expect.poll(() => note.getAttribute('data-device')).toBe('mic');
    expect(await note.textContent()).toContain('No microphone found.');
  }, 60_000);
});

describe('keyboard and screen readers', () => {
  it('toggles with single keys, opens the help with ?, and announces joins and messages', async () => {
    const { url } = await stage.server();
    const { page } = await stage.enter(url, 'keys', 'Mina');
    await focusPage(page);

    // M mutes and unmutes; typed in the chat box it is just a letter.
    expect(await pressedOf(page, 'mute-button')).toBe('false');
    await page.keyboard.press('m');
    await expect.poll(() => pressedOf(page, 'mute-button')).toBe('true');
    await page.keyboard.press('m');
    await expect.poll(() => pressedOf(page, 'mute-button')).toBe('false');
    await page.getByTestId('chat-input').fill('');
    await page.getByTestId('chat-input').press('m');
    expect(await page.getByTestId('chat-input').inputValue()).toBe('m');
    expect(await pressedOf(page, 'mute-button')).toBe('false');
    await focusPage(page);

    // V turns the camera off, C hides the chat, H raises the hand.
    await page.keyboard.press('v');
    await expect.poll(() => pressedOf(page, 'camera-button')).toBe('true');
    await page.keyboard.press('c');
    await expect.poll(() => pressedOf(page, 'chat-toggle')).toBe('false');
    await page.keyboard.press('h');
    await expect.poll(() => pressedOf(page, 'raise-hand-button')).toBe('true');

    // ? opens the help, a modal: keys inside it are not shortcuts; Escape closes; focus comes back.
    await page.getByTestId('shortcuts-button').focus();
    await page.keyboard.press('?');
    const help = page.getByTestId('shortcuts-dialog');
    await help.waitFor();
    expect(await help.getAttribute('aria-labelledby')).toBe('shortcuts-title');
    expect(await page.evaluate(() => document.querySelector('dialog[open]')?.matches(':modal'))).toBe(true);
    expect(await help.textContent()).toContain('Mute or unmute');
    await page.keyboard.press('m');
    expect(await pressedOf(page, 'mute-button')).toBe('false');
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'hidden' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('shortcuts-button');
    // The visible button opens it too.
    await page.getByTestId('shortcuts-button').click();
    await help.waitFor();
    await page.getByTestId('shortcuts-close').click();
    await help.waitFor({ state: 'hidden' });

    // L asks before leaving, even alone.
    await focusPage(page);
    await page.keyboard.press('l');
    await page.getByTestId('leave-dialog').waitFor();
    await page.getByTestId('leave-cancel').click();

    // The live region tells of a join and a message, politely.
    const announcer = page.getByTestId('announcer');
    expect(await announcer.getAttribute('aria-live')).toBe('polite');
    const jun = (await stage.enter(url, 'keys', 'Jun')).page;
    await expect.poll(() => announcer.textContent()).toBe('Jun joined');
    await jun.getByTestId('chat-input').fill('hello Mina');
    await jun.getByTestId('chat-send').click();
    await expect.poll(() => announcer.textContent()).toBe('Message from Jun: hello Mina');
  }, 60_000);
});
