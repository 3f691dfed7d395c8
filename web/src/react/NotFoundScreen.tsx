/**
 * An address the UI has no page for (`/nonexistent/page`): says so, and
 * offers the home page. The server sends it with status 404, so links
 * checkers and crawlers see a missing page too.
 */
import { HOME_PATH } from '../route';
import { useI18n } from './I18n';
import { navigate } from './useRoute';

export function NotFoundScreen() {
  const { t } = useI18n();
  return (
    <main className="notice-screen">
      <section className="card notice-card" data-testid="not-found" aria-labelledby="not-found-title">
        <h1 id="not-found-title">{t.notFound.title}</h1>
        <p>{t.notFound.text}</p>
        <div className="prejoin-actions">
          <a
            className="button primary"
            href={HOME_PATH}
            onClick={(e) => {
              e.preventDefault();
              navigate(HOME_PATH);
            }}
          >
            {t.notFound.home}
          </a>
        </div>
      </section>
    </main>
  );
}
