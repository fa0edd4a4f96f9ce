// One hold: what it preserved, disclosure to an authority (with the package download), and release.
import { useEffect, useState } from 'preact/hooks';
import type { DisclosureCreated, HoldWithItems, PreservedItem } from '../../../shared/moderation';
import { api, ApiError } from '../../api';
import { Field, fieldError, useAction, useTitle } from '../../components/Form';
import { Icon } from '../../components/Icon';
import { Empty, ErrorNotice, FormError, Loading } from '../../components/States';
import { Time } from '../../components/Time';
import { absoluteTime } from '../../format';
import { useMe } from '../../session';
import { ModNav } from './ModNav';
import { ScopeRef } from './Holds';
import { PersonRef } from './refs';

function summary(item: PreservedItem): string {
  return item.data.bodyText.slice(0, 160);
}

function PreservedItems({ items }: { items: PreservedItem[] }) {
  if (items.length === 0) {
    return (
      <Empty icon="inbox" title="Nothing preserved yet">
        <p>Items that fall under this hold are preserved as they are created or changed.</p>
      </Empty>
    );
  }
  return (
    <ul class="preserved-list">
      {items.map((item) => (
        <li key={item.id} class="preserved">
          <details>
            <summary>
              <span class="badge badge-status">{item.kind}</span> <span class="preserved-summary">{summary(item) || item.id}</span>{' '}
              <span class="muted">
                preserved <Time iso={item.preservedAt} />
              </span>
            </summary>
            {item.data.revisions.length > 0 && (
              <section class="revisions" aria-label={`Earlier versions (${item.data.revisions.length})`}>
                <h3>Edited: earlier versions, oldest first</h3>
                <ol>
                  {item.data.revisions.map((revision) => (
                    <li key={revision.replacedAt}>
                      <span class="muted">
                        replaced <Time iso={revision.replacedAt} /> by <PersonRef id={revision.editorId} />
                      </span>
                      <blockquote>{revision.bodyText}</blockquote>
                    </li>
                  ))}
                </ol>
                <p class="muted">Current version: {item.data.bodyText}</p>
              </section>
            )}
            <pre class="preserved-data">{JSON.stringify(item.data, null, 2)}</pre>
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
      <h2 id="disclose-title">Disclose to an authority</h2>
      <p class="form-intro">The package holds every preserved item with a SHA-256 manifest. The disclosure is written to the audit log.</p>
      {created.map((disclosure) => (
        <div class="notice notice-success" key={disclosure.id} role="status">
          <span>Disclosure {disclosure.id} created.</span>
          <button type="button" class="button button-small" onClick={() => api.downloadDisclosure(disclosure).catch(setDownloadError)}>
            <Icon name="download" /> Download package
          </button>
        </div>
      ))}
      <FormError error={downloadError} />
      <form onSubmit={submit} class="form">
        <FormError error={fields.some((field) => fieldError(error, field)) ? null : error} />
        <Field id="disclose-basis" label="Legal basis" hint="The law or order that requires or permits this disclosure." error={fieldError(error, 'legalBasis')}>
          {(describedBy, invalid) => <input id="disclose-basis" required value={legalBasis} aria-describedby={describedBy} aria-invalid={invalid} onInput={(event) => setLegalBasis(event.currentTarget.value)} />}
        </Field>
        <Field id="disclose-reference" label="Reference" error={fieldError(error, 'reference')}>
          {(describedBy, invalid) => <input id="disclose-reference" required value={reference} aria-describedby={describedBy} aria-invalid={invalid} onInput={(event) => setReference(event.currentTarget.value)} />}
        </Field>
        <Field id="disclose-recipient" label="Recipient" hint="The authority receiving the package." error={fieldError(error, 'recipient')}>
          {(describedBy, invalid) => <input id="disclose-recipient" required value={recipient} aria-describedby={describedBy} aria-invalid={invalid} onInput={(event) => setRecipient(event.currentTarget.value)} />}
        </Field>
        <div class="field field-check">
          <input id="disclose-notify" type="checkbox" checked={notifyUser} onChange={(event) => setNotifyUser(event.currentTarget.checked)} />
          <label for="disclose-notify">Tell the person concerned (it appears in their data export)</label>
        </div>
        {!notifyUser && (
          <Field id="disclose-withhold" label="Why they are not told" hint="Required when the person is not notified." error={fieldError(error, 'withholdReason')}>
            {(describedBy, invalid) => <textarea id="disclose-withhold" rows={2} required value={withholdReason} aria-describedby={describedBy} aria-invalid={invalid} onInput={(event) => setWithholdReason(event.currentTarget.value)} />}
          </Field>
        )}
        <button type="submit" class="button button-primary" disabled={busy || !legalBasis.trim() || !reference.trim() || !recipient.trim() || (!notifyUser && !withholdReason.trim())}>
          {busy ? 'Creating…' : 'Create disclosure'}
        </button>
      </form>
    </section>
  );
}

function ReleaseForm({ hold, onReleased }: { hold: HoldWithItems; onReleased: () => void }) {
  const [reason, setReason] = useState('');
  // Stays busy until the reloaded, now released hold replaces this form.
  const { busy, error, run } = useAction({ busyAfterSuccess: true });
  const submit = (event: Event) => {
    event.preventDefault();
    if (!confirm('Release this hold? Matching items will no longer be preserved from now on.')) return;
    void run(async () => {
      await api.releaseHold(hold.id, reason.trim());
      onReleased();
    });
  };
  return (
    <form class="card form form-wide" onSubmit={submit} aria-labelledby="release-title">
      <h2 id="release-title">Release hold</h2>
      <FormError error={error} />
      <Field id="release-reason" label="Reason for release" error={fieldError(error, 'reason')}>
        {(describedBy, invalid) => <input id="release-reason" required value={reason} aria-describedby={describedBy} aria-invalid={invalid} onInput={(event) => setReason(event.currentTarget.value)} />}
      </Field>
      <button type="submit" class="button button-danger" disabled={busy || !reason.trim()}>
        Release hold
      </button>
    </form>
  );
}

export function HoldPage({ id }: { id: string }) {
  const me = useMe();
  const [hold, setHold] = useState<HoldWithItems | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  useTitle(hold ? `Hold ${hold.reference}` : 'Hold');

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
      <Empty icon="shield" title="No such hold">
        <a class="button" href="/mod/holds">
          All holds
        </a>
      </Empty>
    );
  } else if (error) content = <ErrorNotice error={error} onRetry={() => setAttempt((value) => value + 1)} />;
  else if (!hold || hold.id !== id) content = <Loading label="Loading hold…" />;
  else {
    content = (
      <>
        <section class="card hold-summary" aria-labelledby="hold-title">
          <h2 id="hold-title">Hold {hold.reference}</h2>
          <dl class="facts">
            <dt>Scope</dt>
            <dd>
              <ScopeRef hold={hold} />
            </dd>
            <dt>Reason</dt>
            <dd>{hold.reason}</dd>
            <dt>Placed</dt>
            <dd>
              {absoluteTime(hold.createdAt)} by <PersonRef id={hold.createdBy} />
            </dd>
            <dt>Status</dt>
            <dd>{hold.releasedAt ? `Released ${absoluteTime(hold.releasedAt)}` : 'Active: matching items are preserved as they change'}</dd>
          </dl>
        </section>
        <h2 class="section-title">Preserved items ({hold.items.length})</h2>
        <PreservedItems items={hold.items} />
        {!hold.releasedAt && <DisclosureForm hold={hold} />}
        {!hold.releasedAt && me.roles.includes('admin') && <ReleaseForm hold={hold} onReleased={() => setAttempt((value) => value + 1)} />}
      </>
    );
  }

  return (
    <div class="page">
      <h1 class="page-title">Moderation</h1>
      <ModNav />
      <p class="breadcrumb">
        <a href="/mod/holds">← All holds</a>
      </p>
      {content}
    </div>
  );
}
