/**
 * Hosts and guests, as people would use them: Mina starts a meeting (so she
 * is its host), Jun and Ara join. Listing shows it on a fourth person's home
 * page; locking sends a newcomer to the lobby until Mina admits her; "mute
 * everyone" shows a muted mic on every guest's tile on every page; a removed
 * guest cannot come back; a raised hand shows in the people panel; "end for
 * all" ends it on every page. Then a passcode, and a knock turned away.
 *
 * With `MOIM_SCREENSHOT_DIR` set, it saves `people-panel.png` and
 * `lobby.png` there (docs/screenshots in the repository).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { waitForLiveRemotes } from '../support/media';
import { useStage } from '../support/stage';

const stage = useStage();
const SHOTS = process.env.MOIM_SCREENSHOT_DIR;

const tileOf = (page: Page, name: string) => page.locator(`[data-testid="tile"][data-kind="camera"][data-name="${name}"]`);
const personOf = (page: Page, name: string) => page.locator(`[data-testid="person-item"][data-name="${name}"]`);

async function enter(url: string, room: string, name: string): Promise<Page> {
  return (await stage.enter(url, room, name)).page;
}

/** Opens the room's link and asks to enter, without waiting to be in the call. */
async function tryEnter(page: Page, url: string, room: string, name: string): Promise<void> {
  await page.goto(`${url}/r/${encodeURIComponent(room)}`);
  await page.getByTestId('nickname-input').fill(name);
  await page.getByTestId('enter-button').click();
}

async function openPeople(page: Page): Promise<void> {
  await page.getByTestId('people-button').click();
  await page.getByTestId('people-panel').waitFor();
}

async function moderate(host: Page, name: string, action: string): Promise<void> {
  await personOf(host, name).getByTestId('person-menu-button').click();
  await host.getByTestId(action).click();
}

describe('hosts and guests', () => {
  it('lists, locks and admits, mutes everyone, removes for good, shows hands, and ends for all', async () => {
    const { url } = await stage.server();
    const room = 'team sync';
    const mina = await enter(url, room, 'Mina');
    const jun = await enter(url, room, 'Jun');
    const ara = await enter(url, room, 'Ara');
    for (const page of [mina, jun, ara]) await waitForLiveRemotes(page, 2);

    // Mina started it: she is the host, the others are guests; guests get no menus or controls.
    await openPeople(mina);
    expect(await personOf(mina, 'Mina').getAttribute('data-role')).toBe('host');
    expect(await personOf(mina, 'Jun').getAttribute('data-role')).toBe('guest');
    await openPeople(jun);
    expect(await jun.getByTestId('person-menu-button').count()).toBe(0);
    expect(await jun.getByTestId('mute-all-button').count()).toBe(0);
    await jun.getByTestId('people-button').click();

    // Unlisted until Mina lists it: then it shows on Dan's home page, locked once locked, gone when unlisted.
    const { page: dan } = await stage.person();
    await dan.goto(url);
    await dan.getByTestId('room-list').waitFor();
    const listed = dan.locator('[data-testid="room-item"]', { has: dan.getByText(room, { exact: true }) });
    expect(await listed.count()).toBe(0);
    await mina.getByTestId('list-switch').click();
    await listed.waitFor();
    expect(await mina.getByTestId('list-switch').getAttribute('aria-checked')).toBe('true');
    expect(await listed.getByTestId('room-count').textContent()).toBe('3');
    await mina.getByTestId('lock-switch').click();
    await listed.getByTestId('room-locked').waitFor();
    await mina.getByTestId('list-switch').click();
    await listed.waitFor({ state: 'detached' });

    // Locked: Eun waits in the lobby; Mina sees her knock and admits her; she is in with live video.
    const { page: eun } = await stage.person();
    await tryEnter(eun, url, room, 'Eun');
    await eun.getByTestId('lobby-wait').waitFor();
    expect(await eun.getByTestId('lobby-wait').textContent()).toContain('Waiting for the host to let you in');
    const knock = mina.locator('[data-testid="lobby-item"][data-name="Eun"]');
    await knock.waitFor();
    await mina.getByTestId('people-badge').waitFor();
    if (SHOTS) await mina.screenshot({ path: join(SHOTS, 'lobby.png') });
    await knock.getByTestId('admit-button').click();
    await eun.getByTestId('participant-count').waitFor();
    await waitForLiveRemotes(eun, 3);
    await knock.waitFor({ state: 'detached' });

    // Mute everyone, without letting people unmute themselves: every guest's
    // tile shows a muted mic on every page; the host's does not.
    if ((await mina.getByTestId('allow-unmute-switch').getAttribute('aria-checked')) === 'true') {
      await mina.getByTestId('allow-unmute-switch').click();
      await expect.poll(() => mina.getByTestId('allow-unmute-switch').getAttribute('aria-checked')).toBe('false');
    }
    await mina.getByTestId('mute-all-button').click();
    await jun.getByTestId('moderated-notice').waitFor();
    expect(await jun.getByTestId('moderated-notice').textContent()).toBe('Mina muted you');
    const everyone = [mina, jun, ara, eun];
    for (const page of everyone) {
      for (const guest of ['Jun', 'Ara', 'Eun']) await tileOf(page, guest).getByTestId('muted-indicator').waitFor();
      expect(await tileOf(page, 'Mina').getByTestId('muted-indicator').count()).toBe(0);
    }
    expect(await jun.getByTestId('mute-button').getAttribute('aria-pressed')).toBe('true');
    // Held muted: Jun cannot unmute until a host allows it; Mina lets Eun speak.
    await expect.poll(() => jun.getByTestId('mute-button').isDisabled()).toBe(true);
    expect(await jun.getByTestId('mute-button').getAttribute('title')).toContain('A host muted you');
    await expect.poll(() => eun.getByTestId('mute-button').isDisabled()).toBe(true);
    await moderate(mina, 'Eun', 'person-allow-speak');
    await expect.poll(() => eun.getByTestId('mute-button').isDisabled()).toBe(false);
    await eun.getByTestId('mute-button').click();
    for (const page of [mina, ara]) await tileOf(page, 'Eun').getByTestId('muted-indicator').waitFor({ state: 'detached' });

    // Ara raises her hand: Mina's panel shows it, first in the list; Jun's tile of Ara too.
    await ara.getByTestId('raise-hand-button').click();
    await mina.locator('[data-testid="person-item"][data-name="Ara"][data-hand="raised"]').waitFor();
    expect(await mina.getByTestId('person-item').first().getAttribute('data-name')).toBe('Ara');
    await tileOf(jun, 'Ara').getByTestId('hand-indicator').waitFor();
    if (SHOTS) {
      await mina.getByTestId('people-panel').evaluate((panel) => panel.scrollTo(0, 0));
      await mina.screenshot({ path: join(SHOTS, 'people-panel.png') });
    }
    // Eun reacts: it floats over her tile on Mina's page.
    await eun.getByTestId('reaction-button').click();
    await eun.locator('[data-testid="reaction-option"][data-emoji="🎉"]').click();
    await tileOf(mina, 'Eun').getByTestId('tile-reaction').waitFor();

    // Mina makes Ara a co-host: every panel says so, and Ara gets the controls.
    await moderate(mina, 'Ara', 'person-make-cohost');
    await mina.locator('[data-testid="person-item"][data-name="Ara"][data-role="cohost"]').waitFor();
    await openPeople(ara);
    await ara.getByTestId('mute-all-button').waitFor();

    // Mina removes Jun: his page says so, his tile goes, and he cannot come back.
    await moderate(mina, 'Jun', 'person-remove');
    await jun.getByTestId('removed-notice').waitFor();
    for (const page of [mina, ara, eun]) await tileOf(page, 'Jun').waitFor({ state: 'detached' });
    await tryEnter(jun, url, room, 'Jun');
    await jun.getByTestId('removed-notice').waitFor();
    expect(await jun.getByTestId('participant-count').count()).toBe(0);

    // End for all, after a confirmation: every page in the meeting says it ended.
    await mina.getByTestId('end-meeting-button').click();
    await mina.getByTestId('end-meeting-confirm').click();
    for (const page of [mina, ara, eun]) await page.getByTestId('ended-notice').waitFor();
    expect(await mina.getByTestId('participant-count').count()).toBe(0);
  }, 180_000);

  it('asks for a passcode, refuses a wrong one, and tells a knocker the host said no', async () => {
    const { url } = await stage.server();
    const room = 'board';
    const mina = await enter(url, room, 'Mina');
    await openPeople(mina);
    await mina.getByTestId('meeting-passcode-input').fill('4821');
    await mina.getByTestId('meeting-passcode-set').click();
    await mina.getByText('A passcode is set.').waitFor();

    const { page: jun } = await stage.person();
    await tryEnter(jun, url, room, 'Jun');
    await jun.getByTestId('passcode-input').waitFor();
    await jun.getByTestId('passcode-input').fill('1111');
    await jun.getByTestId('passcode-submit').click();
    await jun.locator('[data-testid="join-error"][data-code="wrong_passcode"]').waitFor();
    await jun.getByTestId('passcode-input').fill('4821');
    await jun.getByTestId('passcode-submit').click();
    await jun.getByTestId('participant-count').waitFor();

    // Locked, Ara knocks (with the passcode) and Mina says no: Ara is told politely.
    await mina.getByTestId('lock-switch').click();
    await expect.poll(() => mina.getByTestId('lock-switch').getAttribute('aria-checked')).toBe('true');
    const { page: ara } = await stage.person();
    await tryEnter(ara, url, room, 'Ara');
    await ara.getByTestId('passcode-input').fill('4821');
    await ara.getByTestId('passcode-submit').click();
    await ara.getByTestId('lobby-wait').waitFor();
    await mina.locator('[data-testid="lobby-item"][data-name="Ara"]').getByTestId('deny-button').click();
    await ara.getByTestId('denied-notice').waitFor();
    expect(await ara.getByTestId('denied-notice').textContent()).toContain('The host did not let you in');
  });
});
