// Someone's profile: public fields only, the posts they wrote and the posts they liked that this viewer may see.
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { Post, PublicUser } from '../../../shared/api';
import { api, ApiError } from '../../api';
import { Avatar } from '../../components/Avatar';
import { Icon } from '../../components/Icon';
import { Tabs } from '../../components/Tabs';
import { useTitle } from '../../components/Form';
import { Empty, PostList } from '../../components/PostList';
import { ErrorNotice, Loading } from '../../components/States';
import { longDate } from '../../format';
import { useLivePosts } from '../../live-posts';
import { useMe } from '../../session';
import { PostItem } from './PostItem';

type Tab = 'posts' | 'likes';
const never = () => false;
const PROFILE_TABS: { value: Tab; label: string }[] = [
  { value: 'posts', label: 'Posts' },
  { value: 'likes', label: 'Liked' },
];

/** A reply listed out of its thread says which post it answers. */
function ReplyContext({ parentId }: { parentId: string }) {
  const [parent, setParent] = useState<Post | null | undefined>(undefined);
  useEffect(() => {
    let cancelled = false;
    api.post(parentId).then(
      (value) => !cancelled && setParent(value),
      () => !cancelled && setParent(null),
    );
    return () => {
      cancelled = true;
    };
  }, [parentId]);
  if (parent === undefined) return <p class="reply-context muted">Reply to a post…</p>;
  if (parent === null) return <p class="reply-context muted">Reply to a post that is no longer there.</p>;
  const excerpt = parent.bodyText.length > 80 ? `${parent.bodyText.slice(0, 80)}…` : parent.bodyText;
  return (
    <p class="reply-context">
      <Icon name="reply" /> Reply to <a href={`/posts/${parent.id}`}>{parent.author?.displayName ?? 'a deleted account'}: “{excerpt}”</a>
    </p>
  );
}

function ProfilePosts({ user, tab }: { user: PublicUser; tab: Tab }) {
  const me = useMe();
  const load = useCallback((cursor: string | null) => (tab === 'posts' ? api.userPosts(user.id, { cursor }) : api.userLikes(user.id, { cursor })), [user.id, tab]);
  const posts = useLivePosts({ feed: null, load, accept: never });
  const self = user.id === me.id;
  return (
    <PostList
      posts={posts}
      label={tab === 'posts' ? `Posts by ${user.displayName}` : `Posts liked by ${user.displayName}`}
      endText=""
      empty={
        <Empty title={tab === 'posts' ? 'No posts to show' : 'No liked posts to show'}>
          <p>
            {self
              ? tab === 'posts'
                ? 'Posts you write appear here.'
                : 'Posts you like appear here.'
              : `Only posts you are allowed to see are listed; ${user.displayName} has none of those ${tab === 'posts' ? 'written' : 'liked'} yet.`}
          </p>
        </Empty>
      }
      renderPost={(post) => (
        <>
          {post.parentId && <ReplyContext parentId={post.parentId} />}
          <PostItem post={post} me={me} onChange={posts.replace} onRemove={posts.remove} />
        </>
      )}
    />
  );
}

export function ProfilePage({ id }: { id: string }) {
  const me = useMe();
  const [user, setUser] = useState<PublicUser | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const [tab, setTab] = useState<Tab>('posts');
  useTitle(user?.displayName ?? 'Profile');

  useEffect(() => {
    let cancelled = false;
    setError(null);
    setTab('posts');
    api.user(id).then(
      (value) => !cancelled && setUser(value),
      (loadError: unknown) => !cancelled && setError(loadError),
    );
    return () => {
      cancelled = true;
    };
  }, [id, attempt]);

  if (error instanceof ApiError && error.status === 404) {
    return (
      <div class="page page-narrow">
        <Empty icon="user" title="No such person">
          <p>This profile does not exist or the account was deleted.</p>
        </Empty>
      </div>
    );
  }
  if (error) return <ErrorNotice error={error} onRetry={() => setAttempt((value) => value + 1)} />;
  if (!user || user.id !== id) return <Loading label="Loading profile…" />;

  return (
    <div class="page">
      <header class="card profile-header">
        <Avatar user={user} size="large" />
        <div class="profile-text">
          <h1>{user.displayName}</h1>
          <p class="muted">Joined {longDate(user.joinedAt)}</p>
          {user.bio ? <p class="profile-bio">{user.bio}</p> : <p class="muted">{user.id === me.id ? 'You have not written a bio yet.' : 'No bio yet.'}</p>}
          {user.id === me.id && (
            <a class="button" href="/me">
              Edit profile
            </a>
          )}
        </div>
      </header>
      <Tabs label="Profile lists" tabs={PROFILE_TABS} selected={tab} onSelect={setTab} />
      <ProfilePosts key={`${user.id}:${tab}`} user={user} tab={tab} />
    </div>
  );
}
