/**
 * On the stage while an SFU meeting's media path is lost (`mediaInterrupted`):
 * a "reconnecting" sign over the grid, and the remote tiles dimmed (flow.css),
 * instead of frozen or black video with no word. Gone once media flows again.
 */
import { useI18n } from '../I18n';

export function MediaInterrupted() {
  const { t } = useI18n();
  return (
    <div className="media-interrupted" role="status" data-testid="media-reconnecting">
      <span className="banner-dot" aria-hidden="true" />
      {t.flow.mediaReconnecting}
    </div>
  );
}
