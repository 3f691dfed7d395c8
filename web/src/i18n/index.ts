/**
 * Languages of the UI: which one to show first, and how errors are put into
 * words. Framework-free, so it is testable without a DOM.
 */
import type { ErrorCode, Limits, RequestError } from '../engine/protocol';
import { DEFAULT_LIMITS } from '../engine/protocol';
import { en } from './en';
import { ko } from './ko';
import type { Messages } from './messages';

export type { Messages } from './messages';

export const LANGS = ['en', 'ko'] as const;
export type Lang = (typeof LANGS)[number];

export const MESSAGES: Record<Lang, Messages> = { en, ko };

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGS as readonly string[]).includes(value);
}

/**
 * A saved choice wins; otherwise Korean for any `ko*` browser language
 * (`ko`, `ko-KR`, …) and English for everything else.
 */
export function chooseLang(saved: string | null, browserLanguage: string | undefined): Lang {
  if (isLang(saved)) return saved;
  return browserLanguage?.toLowerCase().startsWith('ko') ? 'ko' : 'en';
}

/**
 * The sentence to show for an error: ours for a known code, else the
 * server's. The engine's own errors have only a code (always a known one),
 * so every sentence about them comes from these tables.
 */
export function errorText(m: Messages, error: RequestError, limits: Limits = DEFAULT_LIMITS): string {
  const explain = Object.hasOwn(m.errors, error.code) ? m.errors[error.code as ErrorCode] : undefined;
  if (explain) return explain(limits);
  return error.message ?? m.errors.internal(limits);
}

export { formatBytes } from './format';
