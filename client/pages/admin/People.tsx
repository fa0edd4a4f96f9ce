// Finding people (each lookup is audited on the server) and acting on one account: roles, organisation
// membership, suspension.
import { useState } from 'preact/hooks';
import type { AdminUser } from '../../../shared/admin';
import { ROLES, type Role } from '../../../shared/api';
import { adminApi } from '../../api/admin';
import { Field, fieldError, useAction } from '../../components/Form';
import { Empty, FormError } from '../../components/States';
import { Time } from '../../components/Time';
import { useT } from '../../i18n';

function Person({ person, onChange }: { person: AdminUser; onChange: (next: AdminUser) => void }) {
  const [roles, setRoles] = useState<Role[]>(person.roles);
  const [reason, setReason] = useState('');
  const rolesAction = useAction();
  const memberAction = useAction();
  const suspendAction = useAction();
  const base = `person-${person.id}`;
  const t = useT();

  const saveRoles = rolesAction.handleSubmit(async () => {
    const me = await adminApi.setRoles(person.id, roles);
    onChange({ ...person, roles: me.roles });
  });
  const toggleMember = () =>
    memberAction.run(async () => {
      const me = await adminApi.setMembership(person.id, !person.isMember);
      onChange({ ...person, isMember: me.isMember });
    });
  const suspendOrReinstate = suspendAction.handleSubmit(async () => {
    const next = person.suspended ? await adminApi.reinstate(person.id, reason) : await adminApi.suspend(person.id, reason);
    setReason('');
    onChange(next);
  });

  return (
    <li class="card admin-person" aria-labelledby={`${base}-name`}>
      <h3 id={`${base}-name`}>
        {person.displayName} <span class="muted">({person.name})</span>
      </h3>
      <dl class="facts">
        <dt>{t.t('admin.people.email')}</dt>
        <dd>{person.email}</dd>
        <dt>{t.t('admin.people.account')}</dt>
        <dd>
          {t.t(`admin.people.status.${person.status}`)}
          {person.suspended && (
            <>
              {' · '}
              <strong>{t.t('admin.people.suspended')}</strong> <Time iso={person.suspended.at} />: {person.suspended.reason}
            </>
          )}
        </dd>
        <dt>{t.t('admin.people.id')}</dt>
        <dd>
          <code>{person.id}</code>
        </dd>
      </dl>
      <form class="inline-form" onSubmit={saveRoles}>
        <fieldset>
          <legend>{t.t('admin.people.roles')}</legend>
          {ROLES.map((role) => (
            <label key={role} class="field-check">
              <input
                type="checkbox"
                checked={roles.includes(role)}
                onChange={(event) => {
                  const on = (event.currentTarget as HTMLInputElement).checked;
                  setRoles((current) => (on ? [...current, role] : current.filter((r) => r !== role)));
                }}
              />{' '}
              {t.t('admin.people.role', { role })}
            </label>
          ))}
        </fieldset>
        <button type="submit" class="button button-small" disabled={rolesAction.busy}>
          {t.t('admin.people.saveRoles')}
        </button>
        <FormError error={rolesAction.error} />
      </form>
      <p>
        {t.rich('admin.people.member', { isMember: person.isMember ? 'yes' : 'no', strong: (chunks) => <strong>{chunks}</strong> })}{' '}
        <button type="button" class="button button-small" onClick={() => void toggleMember()} disabled={memberAction.busy}>
          {person.isMember ? t.t('admin.people.removeMember') : t.t('admin.people.addMember')}
        </button>
      </p>
      <FormError error={memberAction.error} />
      <form class="inline-form" onSubmit={suspendOrReinstate}>
        <Field id={`${base}-reason`} label={person.suspended ? t.t('admin.people.reasonReinstate') : t.t('admin.people.reasonSuspend')} error={fieldError(suspendAction.error, 'reason')}>
          {(describedBy, invalid) => (
            <input
              id={`${base}-reason`}
              value={reason}
              maxLength={500}
              aria-describedby={describedBy}
              aria-invalid={invalid}
              onInput={(event) => setReason((event.currentTarget as HTMLInputElement).value)}
            />
          )}
        </Field>
        <button type="submit" class={`button button-small${person.suspended ? '' : ' button-danger'}`} disabled={suspendAction.busy}>
          {person.suspended ? t.t('admin.people.reinstate') : t.t('admin.people.suspend')}
        </button>
        {!fieldError(suspendAction.error, 'reason') && <FormError error={suspendAction.error} />}
      </form>
    </li>
  );
}

export function People() {
  const [q, setQ] = useState('');
  const [found, setFound] = useState<AdminUser[] | null>(null);
  const search = useAction();
  const t = useT();

  const submit = search.handleSubmit(async () => {
    setFound((await adminApi.findUsers(q.trim())).items);
  });
  const replace = (next: AdminUser) => setFound((list) => (list ?? []).map((person) => (person.id === next.id ? next : person)));

  return (
    <section class="card admin-section" aria-labelledby="admin-people">
      <h2 id="admin-people" class="section-title">
        {t.t('admin.people.title')}
      </h2>
      <form class="inline-form" role="search" onSubmit={submit}>
        <Field id="admin-find" label={t.t('admin.people.find')} hint={t.t('admin.people.findHint')} error={fieldError(search.error, 'q')}>
          {(describedBy, invalid) => (
            <input id="admin-find" type="search" value={q} maxLength={200} aria-describedby={describedBy} aria-invalid={invalid} onInput={(event) => setQ((event.currentTarget as HTMLInputElement).value)} />
          )}
        </Field>
        <button type="submit" class="button button-primary" disabled={search.busy}>
          {t.t('admin.people.findButton')}
        </button>
        {!fieldError(search.error, 'q') && <FormError error={search.error} />}
      </form>
      {found && found.length === 0 && <Empty icon="users" title={t.t('admin.people.nobody')} />}
      {found && found.length > 0 && (
        <ul class="admin-people" aria-label={t.t('admin.people.found')}>
          {found.map((person) => (
            <Person key={person.id} person={person} onChange={replace} />
          ))}
        </ul>
      )}
    </section>
  );
}
