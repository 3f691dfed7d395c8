/**
 * Files going out and coming in, with progress, and a save link for each
 * file received. Shown over the call, whether the chat is open or not.
 */
import type { Transfer } from '../engine/call/transfers';
import { useI18n } from './I18n';

interface Props {
  transfers: readonly Transfer[];
  /** A refusal of the last file picked or dropped, already in words. */
  error: string | null;
  onDismiss: (key: string) => void;
  onDismissError: () => void;
}

export function TransferList({ transfers, error, onDismiss, onDismissError }: Props) {
  const { t } = useI18n();
  if (transfers.length === 0 && !error) return null;

  return (
    <section className="transfers card" aria-label={t.filesLabel}>
      {error && (
        <p className="form-error transfer-error" role="alert" data-testid="file-error">
          {error}
          <button type="button" className="icon-button" aria-label={t.dismiss} onClick={onDismissError}>
            ×
          </button>
        </p>
      )}
      <ul>
        {transfers.map((tr) => (
          <li
            key={tr.key}
            className={`transfer transfer-${tr.status}`}
            data-testid="file-transfer"
            data-direction={tr.direction}
            data-status={tr.status}
          >
            <div className="transfer-head">
              <span className="transfer-name" title={tr.name}>
                {tr.name}
              </span>
              <span className="transfer-meta">
                {t.bytes(tr.size)} · {tr.direction === 'in' ? t.fileFrom(tr.peerName) : t.fileTo(tr.peerName)}
              </span>
            </div>
            <progress data-testid="file-progress" value={tr.bytes} max={Math.max(tr.size, 1)} />
            <div className="transfer-actions">
              {tr.status === 'failed' && <span className="transfer-failed">{t.fileFailed(tr.reason ?? '')}</span>}
              {tr.url && (
                <a className="button primary small" data-testid="file-save" href={tr.url} download={tr.name}>
                  {t.save}
                </a>
              )}
              {tr.status !== 'active' && (
                <button type="button" className="icon-button" aria-label={t.dismiss} onClick={() => onDismiss(tr.key)}>
                  ×
                </button>
              )}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
