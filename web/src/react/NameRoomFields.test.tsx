import { createRef } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { I18nProvider } from './I18n';
import { findProblems, NameRoomFields, NO_PROBLEMS, type FieldProblems } from './NameRoomFields';

/** The fields as static HTML, parsed just enough to look at one element's attributes. */
function render(problems: FieldProblems, idPrefix?: string): string {
  return renderToStaticMarkup(
    <I18nProvider>
      <NameRoomFields
        idPrefix={idPrefix}
        nickname="Mina"
        room=""
        onNickname={() => undefined}
        onRoom={() => undefined}
        problems={problems}
        nicknameRef={createRef()}
        roomRef={createRef()}
      />
    </I18nProvider>,
  );
}

/** The opening tag of the element with `data-testid="testId"`, or null. */
function tag(html: string, testId: string): string | null {
  return html.match(new RegExp(`<[a-z]+[^>]*data-testid="${testId}"[^>]*>`))?.[0] ?? null;
}

describe('NameRoomFields', () => {
  it('labels both inputs and keeps the test ids', () => {
    const html = render(NO_PROBLEMS);
    expect(html).toContain('<label for="nickname">');
    expect(html).toContain('<label for="room">');
    expect(tag(html, 'nickname-input')).toContain('id="nickname"');
    expect(tag(html, 'room-input')).toContain('id="room"');
    expect(tag(html, 'nickname-input')).toContain('aria-invalid="false"');
    expect(tag(html, 'nickname-input')).not.toContain('aria-describedby');
    expect(tag(html, 'nickname-error')).toBeNull();
    expect(tag(html, 'room-error')).toBeNull();
  });

  it('points a wrong field at the sentence that says why', () => {
    const html = render({ nickname: true, room: true }, 'prejoin-');
    expect(html).toContain('<label for="prejoin-nickname">');
    expect(tag(html, 'nickname-input')).toContain('aria-invalid="true"');
    expect(tag(html, 'nickname-input')).toContain('aria-describedby="prejoin-nickname-error"');
    expect(tag(html, 'nickname-error')).toContain('id="prejoin-nickname-error"');
    expect(tag(html, 'room-input')).toContain('aria-describedby="prejoin-room-error"');
    expect(tag(html, 'room-error')).toContain('id="prejoin-room-error"');
  });

  it('finds the same problems as the server would', () => {
    expect(findProblems('Mina', 'standup')).toEqual(NO_PROBLEMS);
    expect(findProblems('  ', 'standup')).toEqual({ nickname: true, room: false });
    expect(findProblems('Mina', 'x'.repeat(65))).toEqual({ nickname: false, room: true });
    expect(findProblems('👋'.repeat(32), 'r')).toEqual(NO_PROBLEMS);
  });
});
