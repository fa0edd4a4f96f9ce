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
import { useLivePosts } from '../../live-posts';
import { useMe } from '../../session';
import { PostItem } from './PostItem';
import { useT } from '../../i18n';

type Tab = 'posts' | 'likes';
const never = () => false;

/** A reply listed out of its thread says which post it answers. */
function ReplyContext({ parentId }: { parentId: string }) {
  const [parent, setParent] = useState<Post | null | undefined>(undefined);
  const t = useT();
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
  if (parent === undefined) return <p class="reply-context muted">{t.t('member.replyContext.loading')}</p>;
  if (parent === null) return <p class="reply-context muted">{t.t('member.replyContext.gone')}</p>;
  const excerpt = parent.bodyText.length > 80 ? `${parent.bodyText.slice(0, 80)}…` : parent.bodyText;
  return (
    <p class="reply-context">
      <Icon name="reply" />{' '}
      {t.rich('member.replyContext.to', {
        author: parent.author?.displayName ?? t.t('member.post.deletedAuthor'),
        excerpt,
        link: (chunks) => (
          <a href={`/posts/${parent.id}`} dir="auto">
            {chunks}
          </a>
        ),
      })}
    </p>
  );
}

function ProfilePosts({ user, tab }: { user: PublicUser; tab: Tab }) {
  const me = useMe();
  const load = useCallback((cursor: string | null) => (tab === 'posts' ? api.userPosts(user.id, { cursor }) : api.userLikes(user.id, { cursor })), [user.id, tab]);
  const posts = useLivePosts({ feed: null, load, accept: never });
  const self = user.id === me.id;
  const t = useT();
  return (
    <PostList
      posts={posts}
      label={t.t(tab === 'posts' ? 'member.profile.postsBy' : 'member.profile.likedBy', { name: user.displayName })}
      endText=""
      empty={
        <Empty title={t.t(tab === 'posts' ? 'member.profile.noPosts' : 'member.profile.noLikes')}>
          <p>
            {self
              ? t.t(tab === 'posts' ? 'member.profile.ownPosts' : 'member.profile.ownLikes')
              : t.t(tab === 'posts' ? 'member.profile.othersPosts' : 'member.profile.othersLikes', { name: user.displayName })}
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
  const t = useT();
  useTitle(user?.displayName ?? t.t('common.nav.profile'));

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
        <Empty icon="user" title={t.t('member.profile.missingTitle')}>
          <p>{t.t('member.profile.missingBody')}</p>
        </Empty>
      </div>
    );
  }
  if (error) return <ErrorNotice error={error} onRetry={() => setAttempt((value) => value + 1)} />;
  if (!user || user.id !== id) return <Loading label={t.t('member.profile.loading')} />;

  return (
    <div class="page">
      <header class="card profile-header">
        <Avatar user={user} size="large" />
        <div class="profile-text">
          <h1 dir="auto">{user.displayName}</h1>
          <p class="muted">{t.t('member.profile.joined', { date: t.dateOf(user.joinedAt) })}</p>
          {user.bio ? (
            <p class="profile-bio" dir="auto">
              {user.bio}
            </p>
          ) : (
            <p class="muted">{t.t(user.id === me.id ? 'member.profile.noBioMine' : 'member.profile.noBio')}</p>
          )}
          {user.id === me.id && (
            <a class="button" href="/me">
              {t.t('member.profile.edit')}
            </a>
          )}
        </div>
      </header>
      <Tabs
        label={t.t('member.profile.lists')}
        tabs={[
          { value: 'posts', label: t.t('member.profile.tabPosts') },
          { value: 'likes', label: t.t('member.profile.tabLikes') },
        ]}
        selected={tab}
        onSelect={setTab}
      />
      <ProfilePosts key={`${user.id}:${tab}`} user={user} tab={tab} />
    </div>
  );
}
