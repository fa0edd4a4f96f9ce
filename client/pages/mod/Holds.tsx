// Legal holds: preserve everything a scope covers (a post, a person, a group) for as long as the hold lasts.
import { useEffect, useState } from 'preact/hooks';
import type { Hold, HoldScopeType } from '../../../shared/moderation';
import { api, ApiError } from '../../api';
import { Field, fieldError, useAction, useTitle } from '../../components/Form';
import { Empty, ErrorNotice, FormError, Loading } from '../../components/States';
import { Time } from '../../components/Time';
import { useT } from '../../i18n';
import { navigate } from '../../router';
import { ModNav } from './ModNav';
import { Picker, type PickKind, type Picked } from '../../components/Picker';
import { TargetRef } from './refs';

const SCOPES: HoldScopeType[] = ['post', 'user', 'group'];

const PICK_KIND: Record<HoldScopeType, PickKind> = { post: 'posts', user: 'people', group: 'groups' };

/** What a hold covers, by name, with the id one click away. */
export function ScopeRef({ hold }: { hold: Pick<Hold, 'scope'> }) {
  const { type, id } = hold.scope;
  const t = useT();
  return (
    <span>
      {type === 'user' ? `${t.t('moderation.holds.scopePerson')} ` : type === 'group' ? `${t.t('moderation.holds.scopeGroup')} ` : ''}
      <TargetRef target={`${type}:${id}`} />
    </span>
  );
}

function NewHoldForm() {
  const [type, setType] = useState<HoldScopeType>('post');
  const [target, setTarget] = useState<Picked | null>(null);
  const [reason, setReason] = useState('');
  const [reference, setReference] = useState('');
  const { busy, error, handleSubmit } = useAction({ busyAfterSuccess: true });
  const t = useT();

  const submit = handleSubmit(async () => {
    const hold = await api.createHold({ scope: { type, id: target?.id ?? '' }, reason: reason.trim(), reference: reference.trim() });
    navigate(`/mod/holds/${hold.id}`);
  });

  const scopeError = fieldError(error, 'scope.id') ?? fieldError(error, 'scope') ?? fieldError(error, 'scope.type');
  return (
    <form class="card form form-wide" onSubmit={submit} aria-labelledby="new-hold-title">
      <h2 id="new-hold-title">{t.t('moderation.holds.newTitle')}</h2>
      <p class="form-intro">{t.t('moderation.holds.intro')}</p>
      <FormError error={scopeError || fieldError(error, 'reason') || fieldError(error, 'reference') ? null : error} />
      <fieldset class="choices">
        <legend>{t.t('moderation.holds.whatLegend')}</legend>
        {SCOPES.map((scope) => (
          <label key={scope}>
            <input type="radio" name="hold-scope" checked={type === scope} onChange={() => (setType(scope), setTarget(null))} /> {t.t(`moderation.holds.scope.${scope}`)}
          </label>
        ))}
      </fieldset>
      <Field id="hold-target" label={t.t(`moderation.holds.which.${type}`)} hint={t.t('moderation.holds.targetHint')} error={scopeError}>
        {(describedBy, invalid) => <Picker key={type} id="hold-target" label={t.t(`moderation.holds.matching.${PICK_KIND[type]}`)} kind={PICK_KIND[type]} picked={target} onPick={setTarget} describedBy={describedBy} invalid={invalid} />}
      </Field>
      <Field id="hold-reason" label={t.t('moderation.holds.reason')} error={fieldError(error, 'reason')}>
        {(describedBy, invalid) => <textarea id="hold-reason" rows={2} required value={reason} aria-describedby={describedBy} aria-invalid={invalid} onInput={(event) => setReason(event.currentTarget.value)} />}
      </Field>
      <Field id="hold-reference" label={t.t('moderation.holds.reference')} hint={t.t('moderation.holds.referenceHint')} error={fieldError(error, 'reference')}>
        {(describedBy, invalid) => <input id="hold-reference" required value={reference} aria-describedby={describedBy} aria-invalid={invalid} onInput={(event) => setReference(event.currentTarget.value)} />}
      </Field>
      <button type="submit" class="button button-primary" disabled={busy || !target || !reason.trim() || !reference.trim()}>
        {busy ? t.t('moderation.holds.placing') : t.t('moderation.holds.place')}
      </button>
    </form>
  );
}

function HoldList() {
  const [holds, setHolds] = useState<Hold[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const t = useT();
  useEffect(() => {
    setError(null);
    api.holds().then(
      (page) => setHolds(page.items),
      (loadError: unknown) => setError(loadError),
    );
  }, [attempt]);

  if (error instanceof ApiError && error.status === 404) return null;
  if (error) return <ErrorNotice error={error} onRetry={() => setAttempt((value) => value + 1)} />;
  if (!holds) return <Loading label={t.t('moderation.holds.loading')} />;
  if (holds.length === 0) {
    return (
      <Empty icon="shield" title={t.t('moderation.holds.emptyTitle')}>
        <p>{t.t('moderation.holds.emptyBody')}</p>
      </Empty>
    );
  }
  return (
    <ul class="card hold-list" aria-label={t.t('moderation.holds.listTitle')}>
      {holds.map((hold) => (
        <li key={hold.id}>
          <a href={`/mod/holds/${hold.id}`}>{hold.reference}</a>
          <span class="muted">
            <ScopeRef hold={hold} />
          </span>
          <span class={`badge ${hold.releasedAt ? 'badge-status' : 'badge-closed'}`}>{hold.releasedAt ? t.t('moderation.holds.released') : t.t('moderation.holds.active')}</span>
          <Time iso={hold.createdAt} />
        </li>
      ))}
    </ul>
  );
}

export function Holds() {
  const t = useT();
  useTitle(t.t('moderation.holds.title'));
  const [openId, setOpenId] = useState('');
  return (
    <div class="page">
      <h1 class="page-title">{t.t('moderation.title')}</h1>
      <ModNav />
      <NewHoldForm />
      <h2 class="section-title">{t.t('moderation.holds.listTitle')}</h2>
      <form
        class="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          const holdId = openId.trim().replace(/^.*\/mod\/holds\//, '').replace(/[/?#].*$/, '');
          if (holdId) navigate(`/mod/holds/${encodeURIComponent(holdId)}`);
        }}
      >
        <label for="open-hold">{t.t('moderation.holds.openLabel')}</label>
        <input id="open-hold" value={openId} onInput={(event) => setOpenId(event.currentTarget.value)} />
        <button type="submit" class="button">
          {t.t('moderation.holds.open')}
        </button>
      </form>
      <HoldList />
    </div>
  );
}
