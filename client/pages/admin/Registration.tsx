// Who may register: the policy, the queue of registrants waiting for approval, and invitation links.
import { useEffect, useState } from 'preact/hooks';
import { REGISTRATION_POLICIES, type AdminUser, type RegistrationInvitation, type RegistrationPolicy } from '../../../shared/admin';
import { adminApi } from '../../api/admin';
import { Field, fieldError, useAction } from '../../components/Form';
import { ErrorNotice, FormError, Loading } from '../../components/States';
import { Time } from '../../components/Time';
import { useT } from '../../i18n';

function Policy() {
  const [policy, setPolicy] = useState<RegistrationPolicy | null>(null);
  const [chosen, setChosen] = useState<RegistrationPolicy>('open');
  const [loadError, setLoadError] = useState<unknown>(null);
  const save = useAction();
  const t = useT();

  useEffect(() => {
    adminApi.registrationPolicy().then(
      (setting) => {
        setPolicy(setting.policy);
        setChosen(setting.policy);
      },
      setLoadError,
    );
  }, []);

  const submit = save.handleSubmit(async () => setPolicy((await adminApi.setRegistrationPolicy(chosen)).policy));

  if (loadError) return <ErrorNotice error={loadError} />;
  if (!policy) return <Loading />;
  return (
    <form onSubmit={submit}>
      <fieldset class="choices">
        <legend>{t.t('admin.registration.policyLegend')}</legend>
        {REGISTRATION_POLICIES.map((option) => (
          <label key={option} class="field-check">
            <input type="radio" name="registration-policy" value={option} checked={chosen === option} onChange={() => setChosen(option)} /> {t.t(`admin.registration.policy.${option}`)}
          </label>
        ))}
      </fieldset>
      <button type="submit" class="button button-primary" disabled={save.busy || chosen === policy}>
        {t.t('admin.registration.savePolicy')}
      </button>
      <p class="muted" role="status">
        {t.t('admin.registration.inForce', { policy: t.t(`admin.registration.policy.${policy}`) })}
      </p>
      <FormError error={save.error} />
    </form>
  );
}

function Queue() {
  const [waiting, setWaiting] = useState<AdminUser[] | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const decide = useAction();
  const t = useT();

  useEffect(() => {
    adminApi.registrations().then((page) => setWaiting(page.items), setLoadError);
  }, []);

  const settle = (person: AdminUser, approve: boolean) =>
    decide.run(async () => {
      if (approve) await adminApi.approve(person.id);
      else await adminApi.decline(person.id);
      setWaiting((list) => (list ?? []).filter((other) => other.id !== person.id));
    });

  if (loadError) return <ErrorNotice error={loadError} />;
  if (!waiting) return <Loading />;
  return (
    <>
      <h3>{t.t('admin.registration.waitingTitle')}</h3>
      {waiting.length === 0 ? (
        <p class="muted">{t.t('admin.registration.nobodyWaiting')}</p>
      ) : (
        <ul class="member-list" aria-label={t.t('admin.registration.waitingLabel')}>
          {waiting.map((person) => (
            <li key={person.id} class="member-row">
              <span class="member-name">
                {person.displayName} ({person.name}) · {person.email} · {t.rich('admin.registration.registered', { time: () => <Time iso={person.joinedAt} /> })}
                {!person.emailVerified && <span class="muted">{t.t('admin.registration.unconfirmed')}</span>}
              </span>
              <span class="member-actions">
                <button type="button" class="button button-small button-primary" disabled={decide.busy} onClick={() => void settle(person, true)} aria-label={t.t('admin.registration.approveLabel', { name: person.displayName })}>
                  {t.t('admin.registration.approve')}
                </button>
                <button type="button" class="button button-small button-danger" disabled={decide.busy} onClick={() => void settle(person, false)} aria-label={t.t('admin.registration.declineLabel', { name: person.displayName })}>
                  {t.t('admin.registration.decline')}
                </button>
              </span>
            </li>
          ))}
        </ul>
      )}
      <FormError error={decide.error} />
    </>
  );
}

function Invitations() {
  const [items, setItems] = useState<RegistrationInvitation[] | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [maxUses, setMaxUses] = useState('1');
  const [days, setDays] = useState('14');
  const [label, setLabel] = useState('');
  const [link, setLink] = useState<string | null>(null);
  const create = useAction();
  const revoke = useAction();
  const t = useT();

  useEffect(() => {
    adminApi.invitations().then((page) => setItems(page.items), setLoadError);
  }, []);

  const submit = create.handleSubmit(async () => {
    const created = await adminApi.createInvitation({ maxUses: Number(maxUses), expiresInDays: Number(days), label: label.trim() });
    setLink(created.link);
    setLabel('');
    setItems((list) => [created.invitation, ...(list ?? [])]);
  });
  const withdraw = (invitation: RegistrationInvitation) =>
    revoke.run(async () => {
      const revoked = await adminApi.revokeInvitation(invitation.id);
      setItems((list) => (list ?? []).map((other) => (other.id === revoked.id ? revoked : other)));
    });

  return (
    <>
      <h3>{t.t('admin.invitations.title')}</h3>
      <form class="inline-form" onSubmit={submit}>
        <Field id="invite-uses" label={t.t('admin.invitations.uses')} error={fieldError(create.error, 'maxUses')}>
          {(describedBy, invalid) => <input id="invite-uses" type="number" min={1} max={1000} step={1} value={maxUses} aria-describedby={describedBy} aria-invalid={invalid} onInput={(event) => setMaxUses((event.currentTarget as HTMLInputElement).value)} />}
        </Field>
        <Field id="invite-days" label={t.t('admin.invitations.days')} error={fieldError(create.error, 'expiresInDays')}>
          {(describedBy, invalid) => <input id="invite-days" type="number" min={1} max={90} step={1} value={days} aria-describedby={describedBy} aria-invalid={invalid} onInput={(event) => setDays((event.currentTarget as HTMLInputElement).value)} />}
        </Field>
        <Field id="invite-label" label={t.t('admin.invitations.label')} error={fieldError(create.error, 'label')}>
          {(describedBy, invalid) => <input id="invite-label" maxLength={100} value={label} aria-describedby={describedBy} aria-invalid={invalid} onInput={(event) => setLabel((event.currentTarget as HTMLInputElement).value)} />}
        </Field>
        <button type="submit" class="button button-primary" disabled={create.busy}>
          {t.t('admin.invitations.create')}
        </button>
        {!['maxUses', 'expiresInDays', 'label'].some((field) => fieldError(create.error, field)) && <FormError error={create.error} />}
      </form>
      {link && (
        <p class="notice notice-success" role="status">
          {t.t('admin.invitations.newLink')}{' '}
          <code class="invitation-link" dir="ltr">
            {link}
          </code>
        </p>
      )}
      {loadError ? (
        <ErrorNotice error={loadError} />
      ) : !items ? (
        <Loading />
      ) : items.length === 0 ? (
        <p class="muted">{t.t('admin.invitations.none')}</p>
      ) : (
        <div class="table-wrap" tabIndex={0} role="region" aria-label={t.t('admin.invitations.tableLabel')}>
          <table class="audit">
            <thead>
              <tr>
                <th scope="col">{t.t('admin.invitations.col.note')}</th>
                <th scope="col">{t.t('admin.invitations.col.used')}</th>
                <th scope="col">{t.t('admin.invitations.col.expires')}</th>
                <th scope="col">{t.t('admin.invitations.col.state')}</th>
                <th scope="col">
                  <span class="visually-hidden">{t.t('admin.invitations.col.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((invitation) => (
                <tr key={invitation.id}>
                  <td>{invitation.label || '—'}</td>
                  <td>{t.t('admin.invitations.usedOf', { uses: invitation.uses, maxUses: invitation.maxUses })}</td>
                  <td>
                    <Time iso={invitation.expiresAt} />
                  </td>
                  <td>{t.t('admin.invitations.state', { state: invitation.state })}</td>
                  <td>
                    {invitation.state === 'active' && (
                      <button type="button" class="button button-small" disabled={revoke.busy} onClick={() => void withdraw(invitation)}>
                        {t.t('admin.invitations.revoke')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <FormError error={revoke.error} />
    </>
  );
}

export function Registration() {
  const t = useT();
  return (
    <section class="card admin-section" aria-labelledby="admin-registration">
      <h2 id="admin-registration" class="section-title">
        {t.t('admin.registration.title')}
      </h2>
      <Policy />
      <Queue />
      <Invitations />
    </section>
  );
}
