// One group: who may join and how, its live posts, and member management for its owners and moderators.
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { Group, GroupMember, JoinPolicy } from '../../../shared/api';
import { api, ApiError, type MemberListStatus } from '../../api';
import { Avatar } from '../../components/Avatar';
import { Tabs } from '../../components/Tabs';
import { Picker, type Picked } from '../../components/Picker';
import { Field, fieldError, useAction, useTitle } from '../../components/Form';
import { Empty, PostList } from '../../components/PostList';
import { ErrorNotice, FormError, Loading } from '../../components/States';
import { useLivePosts } from '../../live-posts';
import { moderatorReason } from '../../moderator-reason';
import { useMe } from '../../session';
import { useStore } from '../../store';
import { Composer } from './Composer';
import { GroupBadges, memberCountText } from './GroupDirectory';
import { PostItem } from './PostItem';
import { forgetGroup, rememberGroup } from './groups-cache';


function JoinControls({ group, onChange }: { group: Group; onChange: (group: Group) => void }) {
  const me = useMe();
  const { busy, error, run } = useAction();

  const act = (action: () => Promise<Group>) => run(async () => onChange(await action()));
  const leave = () =>
    act(async () => {
      await api.removeMember(group.id, me.id);
      return api.group(group.id).catch(() => ({ ...group, myStatus: 'none' as const, memberCount: group.memberCount - 1 }));
    });

  let control;
  if (group.myStatus === 'owner') control = <span class="join-note">You own this group.</span>;
  else if (group.can.leave && group.myStatus !== 'invited') {
    const label = group.myStatus === 'pending' ? 'Withdraw request' : 'Leave group';
    control = (
      <button type="button" class="button" disabled={busy} onClick={() => confirm(`${label}?`) && void leave()}>
        {label}
      </button>
    );
  } else if (!group.can.join) {
    control = <span class="join-note">{group.joinPolicy === 'invite' ? 'Membership is by invitation only.' : 'You cannot join this group.'}</span>;
  } else {
    const label = group.myStatus === 'invited' ? 'Accept invitation' : group.joinPolicy === 'request' ? 'Ask to join' : 'Join group';
    control = (
      <button type="button" class="button button-primary" disabled={busy} onClick={() => void act(() => api.joinGroup(group.id))}>
        {busy ? 'Joining…' : label}
      </button>
    );
  }
  return (
    <div class="join-controls">
      {group.myStatus === 'pending' && <span class="join-note">Your request is waiting for approval.</span>}
      {control}
      <FormError error={error} />
    </div>
  );
}

function MemberRow({ group, member, onChanged }: { group: Group; member: GroupMember; onChanged: () => void }) {
  // A change reloads the member list, which replaces this row.
  const { busy, error, run } = useAction({ busyAfterSuccess: true });
  const act = (action: () => Promise<unknown>) =>
    run(async () => {
      await action();
      onChanged();
    });
  const name = member.displayName;
  return (
    <li class="member-row">
      <Avatar user={member} />
      <a href={`/users/${member.id}`} class="member-name">
        {name}
      </a>
      <span class="badge badge-status">{member.status}</span>
      <span class="member-actions">
        {member.status === 'pending' && (
          <button type="button" class="button button-small button-primary" disabled={busy} onClick={() => void act(() => api.approveMember(group.id, member.id))}>
            Approve
          </button>
        )}
        {group.can.update && member.status === 'member' && (
          <button type="button" class="button button-small" disabled={busy} onClick={() => void act(() => api.setMemberRole(group.id, member.id, 'moderator'))}>
            Make moderator
          </button>
        )}
        {group.can.update && member.status === 'moderator' && (
          <button type="button" class="button button-small" disabled={busy} onClick={() => void act(() => api.setMemberRole(group.id, member.id, 'member'))}>
            Remove moderator role
          </button>
        )}
        {member.status !== 'owner' && (
          <button
            type="button"
            class="button button-small button-danger"
            disabled={busy}
            aria-label={`${member.status === 'pending' ? 'Decline' : 'Remove'} ${name}`}
            onClick={() => confirm(`Remove ${name} from ${group.name}?`) && void act(() => api.removeMember(group.id, member.id))}
          >
            {member.status === 'pending' ? 'Decline' : 'Remove'}
          </button>
        )}
      </span>
      <FormError error={error} />
    </li>
  );
}

const MEMBER_TABS: { value: MemberListStatus; label: string }[] = [
  { value: 'member', label: 'Members' },
  { value: 'pending', label: 'Requests' },
  { value: 'invited', label: 'Invited' },
];

function MemberManager({ group, onGroupChanged }: { group: Group; onGroupChanged: () => void }) {
  const [tab, setTab] = useState<MemberListStatus>('member');
  const [members, setMembers] = useState<GroupMember[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [version, setVersion] = useState(0);
  const [invitee, setInvitee] = useState<Picked | null>(null);
  const { error: inviteError, done: inviteDone, handleSubmit } = useAction();
  const [invited, setInvited] = useState('');

  useEffect(() => {
    setMembers(null);
    setError(null);
    api.groupMembers(group.id, tab, { limit: 50 }).then(
      (page) => setMembers(page.items),
      (loadError: unknown) => setError(loadError),
    );
  }, [group.id, tab, version]);

  const changed = () => {
    setVersion((value) => value + 1);
    onGroupChanged();
  };

  const invite = handleSubmit(async () => {
    if (!invitee) return;
    await api.inviteMember(group.id, invitee.id);
    setInvited(invitee.label);
    setInvitee(null);
    changed();
  });

  return (
    // Folded by default: open, it would push the posts (and their "new posts" pill) below the fold.
    <details class="card manager" role="region" aria-labelledby="manage-title">
      <summary>
        <h2 id="manage-title">Manage members</h2>
      </summary>
      <Tabs label="Member lists" tabs={MEMBER_TABS} selected={tab} onSelect={setTab} />
      {error ? (
        <ErrorNotice error={error} onRetry={() => setVersion((value) => value + 1)} />
      ) : !members ? (
        <Loading label="Loading members…" />
      ) : members.length === 0 ? (
        <p class="muted">{tab === 'pending' ? 'No one is waiting for approval.' : tab === 'invited' ? 'No open invitations.' : 'No members yet.'}</p>
      ) : (
        <ul class="member-list">
          {members.map((member) => (
            <MemberRow key={member.id} group={group} member={member} onChanged={changed} />
          ))}
        </ul>
      )}
      <form class="invite-form" onSubmit={invite}>
        <Field id="invite-user" label="Invite someone" hint="Search by name, or paste their profile address." error={fieldError(inviteError, 'userId')}>
          {(describedBy, invalid) => <Picker key={invited} id="invite-user" label="Matching people" kind="people" picked={invitee} onPick={setInvitee} describedBy={describedBy} invalid={invalid} />}
        </Field>
        <button type="submit" class="button" disabled={!invitee}>
          Send invitation
        </button>
        <FormError error={fieldError(inviteError, 'userId') ? null : inviteError} />
        {inviteDone && (
          <p class="notice" role="status">
            Invitation sent to {invited}.
          </p>
        )}
      </form>
    </details>
  );
}

function GroupSettings({ group, onSaved }: { group: Group; onSaved: (group: Group) => void }) {
  const [name, setName] = useState(group.name);
  const [description, setDescription] = useState(group.description);
  const [rules, setRules] = useState(group.rules);
  const [joinPolicy, setJoinPolicy] = useState<JoinPolicy>(group.joinPolicy);
  const { busy, error, done: saved, handleSubmit } = useAction();

  const submit = handleSubmit(async () => {
    onSaved(await api.updateGroup(group.id, { name: name.trim(), description: description.trim(), rules: rules.trim(), joinPolicy }));
  });

  return (
    <details class="card settings">
      <summary>Group settings</summary>
      <form class="form" onSubmit={submit}>
        <FormError error={['name', 'description', 'rules'].some((field) => fieldError(error, field)) ? null : error} />
        <Field id="settings-name" label="Name" error={fieldError(error, 'name')}>
          {(describedBy, invalid) => <input id="settings-name" value={name} aria-describedby={describedBy} aria-invalid={invalid} onInput={(event) => setName(event.currentTarget.value)} />}
        </Field>
        <Field id="settings-description" label="Description" error={fieldError(error, 'description')}>
          {(describedBy, invalid) => <textarea id="settings-description" rows={3} value={description} aria-describedby={describedBy} aria-invalid={invalid} onInput={(event) => setDescription(event.currentTarget.value)} />}
        </Field>
        <Field id="settings-rules" label="Rules" hint="Plain text, shown on the group's page." error={fieldError(error, 'rules')}>
          {(describedBy, invalid) => <textarea id="settings-rules" rows={5} value={rules} aria-describedby={describedBy} aria-invalid={invalid} onInput={(event) => setRules(event.currentTarget.value)} />}
        </Field>
        <Field id="settings-policy" label="How do people join?" hint={`Visibility (${group.visibility}) is fixed when a group is created.`}>
          {(describedBy) => (
            <select id="settings-policy" value={joinPolicy} aria-describedby={describedBy} onChange={(event) => setJoinPolicy(event.currentTarget.value as JoinPolicy)}>
              {/* The server refuses `open` for a closed group. */}
              {group.visibility !== 'closed' && <option value="open">Anyone can join</option>}
              <option value="request">People ask, managers approve</option>
              <option value="invite">By invitation only</option>
            </select>
          )}
        </Field>
        <button type="submit" class="button button-primary" disabled={busy || !name.trim()}>
          {busy ? 'Saving…' : 'Save settings'}
        </button>
        {saved && (
          <p class="notice" role="status">
            Settings saved.
          </p>
        )}
      </form>
    </details>
  );
}

function GroupPosts({ group }: { group: Group }) {
  const me = useMe();
  const load = useCallback((cursor: string | null) => api.groupPosts(group.id, { cursor }), [group.id]);
  const accept = useCallback((post: { groupId: string; parentId: string | null }) => post.groupId === group.id && post.parentId === null, [group.id]);
  const posts = useLivePosts({ feed: `group:${group.id}`, load, accept });
  const canPost = group.can.post;
  return (
    <>
      {canPost ? (
        <Composer groupId={group.id} placeholder={`Write to ${group.name}${group.visibility === 'closed' ? ' (members only)' : ''}…`} onPosted={posts.add} />
      ) : (
        <p class="card callout">Join this group to post in it.</p>
      )}
      <PostList
        posts={posts}
        label={`Posts in ${group.name}`}
        empty={
          <Empty title="No posts yet">
            <p>{canPost ? 'Start the conversation: your post will appear for members right away.' : 'Nobody has posted here yet.'}</p>
          </Empty>
        }
        renderPost={(post, fresh) => <PostItem post={post} me={me} fresh={fresh} showGroup={false} onChange={posts.replace} onRemove={posts.remove} />}
      />
    </>
  );
}

/** A site moderator may read a closed group they are not in by stating why; the server audits every read. */
function ModeratorRead({ group }: { group: Group }) {
  const [reason, setReason] = useState('');
  return (
    <form
      class="card form moderator-read"
      onSubmit={(event) => {
        event.preventDefault();
        if (reason.trim()) moderatorReason.set(reason.trim());
      }}
    >
      <h2>This group is closed</h2>
      <p>Only its members read its posts. As a site moderator you may read them with a stated reason, which is recorded in the audit log with each read.</p>
      <Field id="moderator-read-reason" label="Your reason for reading this group">
        {(describedBy) => <input id="moderator-read-reason" value={reason} maxLength={500} aria-describedby={describedBy} onInput={(event) => setReason(event.currentTarget.value)} placeholder="e.g. Report about a post in this group" />}
      </Field>
      <button type="submit" class="button button-primary" disabled={!reason.trim()}>
        Read as moderator
      </button>
    </form>
  );
}

export function GroupPage({ id }: { id: string }) {
  const reason = useStore(moderatorReason);
  const [group, setGroup] = useState<Group | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [version, setVersion] = useState(0);
  useTitle(group?.name ?? 'Group');

  useEffect(() => {
    let cancelled = false;
    setError(null);
    api.group(id).then(
      (value) => {
        if (cancelled) return;
        rememberGroup(value);
        setGroup(value);
      },
      (loadError: unknown) => !cancelled && setError(loadError),
    );
    return () => {
      cancelled = true;
    };
  }, [id, version]);

  const changed = (next: Group) => {
    forgetGroup(next.id);
    rememberGroup(next);
    setGroup(next);
  };

  if (error) {
    if (error instanceof ApiError && error.status === 404) {
      return (
        <div class="page page-narrow">
          <Empty title="Group not found">
            <p>There is no such group, or it is not visible to you.</p>
            <a class="button" href="/groups">
              All groups
            </a>
          </Empty>
        </div>
      );
    }
    return <ErrorNotice error={error} onRetry={() => setVersion((value) => value + 1)} />;
  }
  if (!group || group.id !== id) return <Loading label="Loading group…" />;

  return (
    <div class="page">
      <header class="card group-header">
        <h1>{group.name}</h1>
        <GroupBadges group={group} />
        {group.description && <p class="group-description">{group.description}</p>}
        {group.rules && (
          <details class="group-rules">
            <summary>Group rules</summary>
            <p>{group.rules}</p>
          </details>
        )}
        <p class="group-meta">{memberCountText(group)}</p>
        <JoinControls group={group} onChange={changed} />
      </header>
      {group.can.update && <GroupSettings group={group} onSaved={changed} />}
      {group.can.manage && <MemberManager group={group} onGroupChanged={() => setVersion((value) => value + 1)} />}
      {group.can.read || (group.can.moderate && reason) ? (
        <>
          {!group.can.read && (
            <p class="card callout moderator-read" role="note">
              You are reading this closed group as a site moderator. Your reason, “{reason}”, is recorded in the audit log with each read.
            </p>
          )}
          <GroupPosts key={`${group.id}:${group.myStatus}:${reason ?? ''}`} group={group} />
        </>
      ) : group.can.moderate ? (
        <ModeratorRead group={group} />
      ) : (
        <Empty icon="lock" title="This group is closed">
          <p>Only its members can read its posts. {group.myStatus === 'pending' ? 'You will see them once your request is approved.' : ''}</p>
        </Empty>
      )}
    </div>
  );
}
