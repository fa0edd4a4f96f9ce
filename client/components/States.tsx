// Designed loading, empty and error states, so no view is ever a blank rectangle.
import type { ComponentChildren } from 'preact';
import { Icon, type IconName } from './Icon';
import { currentTranslator, useT } from '../i18n';

export function Loading({ label }: { label?: string }) {
  const t = useT();
  return (
    <div class="state state-loading" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" />
      <span>{label ?? t.t('common.loading')}</span>
    </div>
  );
}

export function PostSkeleton({ count = 3 }: { count?: number }) {
  const t = useT();
  return (
    <div role="status" aria-label={t.t('common.posts.loading')}>
      {Array.from({ length: count }, (_, index) => (
        <div class="card skeleton" key={index} aria-hidden="true">
          <div class="skeleton-row">
            <span class="skeleton-circle" />
            <span class="skeleton-line skeleton-short" />
          </div>
          <span class="skeleton-line" />
          <span class="skeleton-line skeleton-medium" />
        </div>
      ))}
    </div>
  );
}

export function Empty({ icon = 'inbox', title, children }: { icon?: IconName; title: string; children?: ComponentChildren }) {
  return (
    <div class="state state-empty">
      <span class="state-icon">
        <Icon name={icon} />
      </span>
      <h3>{title}</h3>
      {children}
    </div>
  );
}

export function ErrorNotice({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const t = useT();
  return (
    <div class="state state-error" role="alert">
      <span class="state-icon">
        <Icon name="alert" />
      </span>
      <p>{errorMessage(error)}</p>
      {onRetry && (
        <button type="button" class="button" onClick={onRetry}>
          {t.t('common.action.tryAgain')}
        </button>
      )}
    </div>
  );
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  return currentTranslator().t('common.error.generic');
}

export function FormError({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <p class="form-error" role="alert">
      {errorMessage(error)}
    </p>
  );
}
