// Legal holds: preserve everything a scope covers (a post, a person, a group) for as long as the hold lasts.
import { useEffect, useState } from 'preact/hooks';
import type { Hold, HoldScopeType } from '../../../shared/moderation';
import { api, ApiError } from '../../api';
import { Field, fieldError, useAction, useTitle } from '../../components/Form';
import { Empty, ErrorNotice, FormError, Loading } from '../../components/States';
import { Time } from '../../components/Time';
import { navigate } from '../../router';
import { ModNav } from './ModNav';
import { Picker, type PickKind, type Picked } from '../../components/Picker';
import { TargetRef } from './refs';

const SCOPES: { value: HoldScopeType; label: string }[] = [
  { value: 'post', label: 'A post (with its replies, revisions, likes and images)' },
  { value: 'user', label: "A person (their profile and everything they wrote or liked)" },
  { value: 'group', label: 'A group (every post in it)' },
];

const PICK_KIND: Record<HoldScopeType, PickKind> = { post: 'posts', user: 'people', group: 'groups' };

/** What a hold covers, by name, with the id one click away. */
export function ScopeRef({ hold }: { hold: Pick<Hold, 'scope'> }) {
  const { type, id } = hold.scope;
  return (
    <span>
      {type === 'user' ? 'Person ' : type === 'group' ? 'Group ' : ''}
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

  const submit = handleSubmit(async () => {
    const hold = await api.createHold({ scope: { type, id: target?.id ?? '' }, reason: reason.trim(), reference: reference.trim() });
    navigate(`/mod/holds/${hold.id}`);
  });

  const scopeError = fieldError(error, 'scope.id') ?? fieldError(error, 'scope') ?? fieldError(error, 'scope.type');
  return (
    <form class="card form form-wide" onSubmit={submit} aria-labelledby="new-hold-title">
      <h2 id="new-hold-title">Place a hold</h2>
      <p class="form-intro">
        A hold preserves every matching item now and while it lasts. Later edits, deletions and account erasure do not destroy the
        preserved copy. Creating it is written to the audit log.
      </p>
      <FormError error={scopeError || fieldError(error, 'reason') || fieldError(error, 'reference') ? null : error} />
      <fieldset class="choices">
        <legend>What to preserve</legend>
        {SCOPES.map((scope) => (
          <label key={scope.value}>
            <input type="radio" name="hold-scope" checked={type === scope.value} onChange={() => (setType(scope.value), setTarget(null))} /> {scope.label}
          </label>
        ))}
      </fieldset>
      <Field id="hold-target" label={type === 'user' ? 'Which person' : type === 'group' ? 'Which group' : 'Which post'} hint="Search by name or words, or paste an id or page address." error={scopeError}>
        {(describedBy, invalid) => <Picker key={type} id="hold-target" label={`Matching ${PICK_KIND[type]}`} kind={PICK_KIND[type]} picked={target} onPick={setTarget} describedBy={describedBy} invalid={invalid} />}
      </Field>
      <Field id="hold-reason" label="Reason" error={fieldError(error, 'reason')}>
        {(describedBy, invalid) => <textarea id="hold-reason" rows={2} required value={reason} aria-describedby={describedBy} aria-invalid={invalid} onInput={(event) => setReason(event.currentTarget.value)} />}
      </Field>
      <Field id="hold-reference" label="Reference" hint="The case, order or ticket number this hold answers to." error={fieldError(error, 'reference')}>
        {(describedBy, invalid) => <input id="hold-reference" required value={reference} aria-describedby={describedBy} aria-invalid={invalid} onInput={(event) => setReference(event.currentTarget.value)} />}
      </Field>
      <button type="submit" class="button button-primary" disabled={busy || !target || !reason.trim() || !reference.trim()}>
        {busy ? 'Placing hold…' : 'Place hold'}
      </button>
    </form>
  );
}

function HoldList() {
  const [holds, setHolds] = useState<Hold[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    setError(null);
    api.holds().then(
      (page) => setHolds(page.items),
      (loadError: unknown) => setError(loadError),
    );
  }, [attempt]);

  if (error instanceof ApiError && error.status === 404) return null;
  if (error) return <ErrorNotice error={error} onRetry={() => setAttempt((value) => value + 1)} />;
  if (!holds) return <Loading label="Loading holds…" />;
  if (holds.length === 0) {
    return (
      <Empty icon="shield" title="No holds">
        <p>Holds you place appear here.</p>
      </Empty>
    );
  }
  return (
    <ul class="card hold-list" aria-label="Holds">
      {holds.map((hold) => (
        <li key={hold.id}>
          <a href={`/mod/holds/${hold.id}`}>{hold.reference}</a>
          <span class="muted">
            <ScopeRef hold={hold} />
          </span>
          <span class={`badge ${hold.releasedAt ? 'badge-status' : 'badge-closed'}`}>{hold.releasedAt ? 'Released' : 'Active'}</span>
          <Time iso={hold.createdAt} />
        </li>
      ))}
    </ul>
  );
}

export function Holds() {
  useTitle('Legal holds');
  const [openId, setOpenId] = useState('');
  return (
    <div class="page">
      <h1 class="page-title">Moderation</h1>
      <ModNav />
      <NewHoldForm />
      <h2 class="section-title">Holds</h2>
      <form
        class="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          const holdId = openId.trim().replace(/^.*\/mod\/holds\//, '').replace(/[/?#].*$/, '');
          if (holdId) navigate(`/mod/holds/${encodeURIComponent(holdId)}`);
        }}
      >
        <label for="open-hold">Open a hold by id</label>
        <input id="open-hold" value={openId} onInput={(event) => setOpenId(event.currentTarget.value)} />
        <button type="submit" class="button">
          Open
        </button>
      </form>
      <HoldList />
    </div>
  );
}
