// One hold: what it preserved, disclosure to an authority (with the package download), and release.
import { useEffect, useState } from 'preact/hooks';
import type { DisclosureCreated, HoldWithItems, PreservedItem } from '../../../shared/moderation';
import { api, ApiError } from '../../api';
import { Field, fieldError, useAction, useTitle } from '../../components/Form';
import { Icon } from '../../components/Icon';
import { Empty, ErrorNotice, FormError, Loading } from '../../components/States';
import { Time } from '../../components/Time';
import { useT } from '../../i18n';
import { useMe } from '../../session';
import { ModNav } from './ModNav';
import { ScopeRef } from './Holds';
import { PersonRef } from './refs';

function summary(item: PreservedItem): string {
  return item.data.bodyText.slice(0, 160);
}

function PreservedItems({ items }: { items: PreservedItem[] }) {
  const t = useT();
  if (items.length === 0) {
    return (
      <Empty icon="inbox" title={t.t('moderation.hold.nothingTitle')}>
        <p>{t.t('moderation.hold.nothingBody')}</p>
      </Empty>
    );
  }
  return (
    <ul class="preserved-list">
      {items.map((item) => (
        <li key={item.id} class="preserved">
          <details>
            <summary>
              <span class="badge badge-status">{t.t('moderation.hold.kind', { kind: item.kind })}</span> <span class="preserved-summary">{summary(item) || item.id}</span>{' '}
              <span class="muted">{t.rich('moderation.hold.preservedAt', { time: () => <Time iso={item.preservedAt} /> })}</span>
            </summary>
            {item.data.revisions.length > 0 && (
              <section class="revisions" aria-label={t.t('moderation.hold.earlierLabel', { count: item.data.revisions.length })}>
                <h3>{t.t('moderation.hold.earlierTitle')}</h3>
                <ol>
                  {item.data.revisions.map((revision) => (
                    <li key={revision.replacedAt}>
                      <span class="muted">
                        {t.rich('moderation.hold.replacedBy', { time: () => <Time iso={revision.replacedAt} />, person: () => <PersonRef id={revision.editorId} /> })}
                      </span>
                      <blockquote>{revision.bodyText}</blockquote>
                    </li>
                  ))}
                </ol>
                <p class="muted">{t.t('moderation.hold.current', { text: item.data.bodyText })}</p>
              </section>
            )}
            <pre class="preserved-data" dir="ltr">{JSON.stringify(item.data, null, 2)}</pre>
          </details>
        </li>
      ))}
    </ul>
  );
}

function DisclosureForm({ hold }: { hold: HoldWithItems }) {
  const [legalBasis, setLegalBasis] = useState('');
  const [reference, setReference] = useState(hold.reference);
  const [recipient, setRecipient] = useState('');
  const [notifyUser, setNotifyUser] = useState(true);
  const [withholdReason, setWithholdReason] = useState('');
  const { busy, error, handleSubmit } = useAction();
  const [created, setCreated] = useState<DisclosureCreated[]>([]);
  const [downloadError, setDownloadError] = useState<unknown>(null);
  const t = useT();

  const submit = handleSubmit(async () => {
    const disclosure = await api.createDisclosure({
      holdId: hold.id,
      legalBasis: legalBasis.trim(),
      reference: reference.trim(),
      recipient: recipient.trim(),
      notifyUser,
      ...(notifyUser ? {} : { withholdReason: withholdReason.trim() }),
    });
    setCreated((list) => [disclosure, ...list]);
    setLegalBasis('');
    setRecipient('');
    setWithholdReason('');
  });

  const fields = ['legalBasis', 'reference', 'recipient', 'withholdReason', 'notifyUser'];
  return (
    <section class="card form form-wide" aria-labelledby="disclose-title">
      <h2 id="disclose-title">{t.t('moderation.disclose.title')}</h2>
      <p class="form-intro">{t.t('moderation.disclose.intro')}</p>
      {created.map((disclosure) => (
        <div class="notice notice-success" key={disclosure.id} role="status">
          <span>{t.t('moderation.disclose.created', { id: disclosure.id })}</span>
          <button type="button" class="button button-small" onClick={() => api.downloadDisclosure(disclosure).catch(setDownloadError)}>
            <Icon name="download" /> {t.t('moderation.disclose.download')}
          </button>
        </div>
      ))}
      <FormError error={downloadError} />
      <form onSubmit={submit} class="form">
        <FormError error={fields.some((field) => fieldError(error, field)) ? null : error} />
        <Field id="disclose-basis" label={t.t('moderation.disclose.legalBasis')} hint={t.t('moderation.disclose.legalBasisHint')} error={fieldError(error, 'legalBasis')}>
          {(describedBy, invalid) => <input id="disclose-basis" required value={legalBasis} aria-describedby={describedBy} aria-invalid={invalid} onInput={(event) => setLegalBasis(event.currentTarget.value)} />}
        </Field>
        <Field id="disclose-reference" label={t.t('moderation.disclose.reference')} error={fieldError(error, 'reference')}>
          {(describedBy, invalid) => <input id="disclose-reference" required value={reference} aria-describedby={describedBy} aria-invalid={invalid} onInput={(event) => setReference(event.currentTarget.value)} />}
        </Field>
        <Field id="disclose-recipient" label={t.t('moderation.disclose.recipient')} hint={t.t('moderation.disclose.recipientHint')} error={fieldError(error, 'recipient')}>
          {(describedBy, invalid) => <input id="disclose-recipient" required value={recipient} aria-describedby={describedBy} aria-invalid={invalid} onInput={(event) => setRecipient(event.currentTarget.value)} />}
        </Field>
        <div class="field field-check">
          <input id="disclose-notify" type="checkbox" checked={notifyUser} onChange={(event) => setNotifyUser(event.currentTarget.checked)} />
          <label for="disclose-notify">{t.t('moderation.disclose.notify')}</label>
        </div>
        {!notifyUser && (
          <Field id="disclose-withhold" label={t.t('moderation.disclose.withhold')} hint={t.t('moderation.disclose.withholdHint')} error={fieldError(error, 'withholdReason')}>
            {(describedBy, invalid) => <textarea id="disclose-withhold" rows={2} required value={withholdReason} aria-describedby={describedBy} aria-invalid={invalid} onInput={(event) => setWithholdReason(event.currentTarget.value)} />}
          </Field>
        )}
        <button type="submit" class="button button-primary" disabled={busy || !legalBasis.trim() || !reference.trim() || !recipient.trim() || (!notifyUser && !withholdReason.trim())}>
          {busy ? t.t('moderation.disclose.creating') : t.t('moderation.disclose.create')}
        </button>
      </form>
    </section>
  );
}

function ReleaseForm({ hold, onReleased }: { hold: HoldWithItems; onReleased: () => void }) {
  const [reason, setReason] = useState('');
  // Stays busy until the reloaded, now released hold replaces this form.
  const { busy, error, run } = useAction({ busyAfterSuccess: true });
  const t = useT();
  const submit = (event: Event) => {
    event.preventDefault();
    if (!confirm(t.t('moderation.release.confirm'))) return;
    void run(async () => {
      await api.releaseHold(hold.id, reason.trim());
      onReleased();
    });
  };
  return (
    <form class="card form form-wide" onSubmit={submit} aria-labelledby="release-title">
      <h2 id="release-title">{t.t('moderation.release.title')}</h2>
      <FormError error={error} />
      <Field id="release-reason" label={t.t('moderation.release.reason')} error={fieldError(error, 'reason')}>
        {(describedBy, invalid) => <input id="release-reason" required value={reason} aria-describedby={describedBy} aria-invalid={invalid} onInput={(event) => setReason(event.currentTarget.value)} />}
      </Field>
      <button type="submit" class="button button-danger" disabled={busy || !reason.trim()}>
        {t.t('moderation.release.button')}
      </button>
    </form>
  );
}

export function HoldPage({ id }: { id: string }) {
  const me = useMe();
  const t = useT();
  const [hold, setHold] = useState<HoldWithItems | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  useTitle(hold ? t.t('moderation.hold.title', { reference: hold.reference }) : t.t('moderation.hold.untitled'));

  useEffect(() => {
    let cancelled = false;
    setError(null);
    api.hold(id).then(
      (value) => !cancelled && setHold(value),
      (loadError: unknown) => !cancelled && setError(loadError),
    );
    return () => {
      cancelled = true;
    };
  }, [id, attempt]);

  let content;
  if (error instanceof ApiError && error.status === 404) {
    content = (
      <Empty icon="shield" title={t.t('moderation.hold.noSuch')}>
        <a class="button" href="/mod/holds">
          {t.t('moderation.hold.allHolds')}
        </a>
      </Empty>
    );
  } else if (error) content = <ErrorNotice error={error} onRetry={() => setAttempt((value) => value + 1)} />;
  else if (!hold || hold.id !== id) content = <Loading label={t.t('moderation.hold.loading')} />;
  else {
    content = (
      <>
        <section class="card hold-summary" aria-labelledby="hold-title">
          <h2 id="hold-title">{t.t('moderation.hold.title', { reference: hold.reference })}</h2>
          <dl class="facts">
            <dt>{t.t('moderation.hold.scope')}</dt>
            <dd>
              <ScopeRef hold={hold} />
            </dd>
            <dt>{t.t('moderation.hold.reason')}</dt>
            <dd>{hold.reason}</dd>
            <dt>{t.t('moderation.hold.placed')}</dt>
            <dd>{t.rich('moderation.hold.placedBy', { date: t.dateTimeOf(hold.createdAt), person: () => <PersonRef id={hold.createdBy} /> })}</dd>
            <dt>{t.t('moderation.hold.status')}</dt>
            <dd>{hold.releasedAt ? t.t('moderation.hold.releasedAt', { date: t.dateTimeOf(hold.releasedAt) }) : t.t('moderation.hold.activeStatus')}</dd>
          </dl>
        </section>
        <h2 class="section-title">{t.t('moderation.hold.preservedTitle', { count: hold.items.length })}</h2>
        <PreservedItems items={hold.items} />
        {!hold.releasedAt && <DisclosureForm hold={hold} />}
        {!hold.releasedAt && me.roles.includes('admin') && <ReleaseForm hold={hold} onReleased={() => setAttempt((value) => value + 1)} />}
      </>
    );
  }

  return (
    <div class="page">
      <h1 class="page-title">{t.t('moderation.title')}</h1>
      <ModNav />
      <p class="breadcrumb">
        <a href="/mod/holds">{t.t('moderation.hold.back')}</a>
      </p>
      {content}
    </div>
  );
}
