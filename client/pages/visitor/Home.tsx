// The only page visitors can read: the most recent public posts, live, and the ways in. The server renders it
// too (client/ssr.tsx), from the same public feed, and the browser hydrates that HTML.
import { useMemo, useState } from 'preact/hooks';
import type { PublicFeedPage } from '../../../shared/api';
import { api } from '../../api';
import { brand } from '../../brand';
import { Icon } from '../../components/Icon';
import { PostCard } from '../../components/PostCard';
import { Empty, PostList } from '../../components/PostList';
import { useTitle } from '../../components/Form';
import { useT } from '../../i18n';
import { takeInitialFeed } from '../../initial-data';
import { useLivePosts } from '../../live-posts';
import { useLocation } from '../../router';

const topLevel = (post: { parentId: string | null }) => post.parentId === null;
type GroupNames = PublicFeedPage['groups'];

export function VisitorHome() {
  const t = useT();
  useTitle('');
  const [initial] = useState(takeInitialFeed);
  const [groups, setGroups] = useState<GroupNames>(initial?.groups ?? []);
  const load = useMemo(
    () => () =>
      api.publicFeed().then((page) => {
        setGroups(page.groups);
        return page;
      }),
    [],
  );
  const posts = useLivePosts({ feed: 'public', load, accept: topLevel, initial });
  const groupName = useMemo(() => new Map(groups.map((group) => [group.id, group.name])), [groups]);
  const deleted = useLocation().search.get('deleted') === '1';
  return (
    <div class="page">
      {deleted && (
        <p class="notice notice-success" role="status">
          {t.t('visitor.home.deleted')}
        </p>
      )}
      <section class="hero">
        {/* The organisation's words, in whatever language it configured. */}
        <h1 dir="auto">{brand().tagline}</h1>
        <p>{t.t('visitor.home.intro')}</p>
        <div class="hero-actions">
          <a class="button button-primary" href="/signup">
            {t.t('common.action.createAccount')}
          </a>
          <a class="button" href="/signin">
            {t.t('common.action.signIn')}
          </a>
        </div>
        <ul class="promises">
          <li>
            <Icon name="check" /> {t.t('visitor.home.noCookies')}
          </li>
          <li>
            <Icon name="lock" /> {t.t('visitor.home.closedGroups')}
          </li>
          <li>
            <Icon name="download" /> {t.t('visitor.home.yourData')}
          </li>
        </ul>
      </section>
      <div class="section-heading">
        <h2 class="section-title">{t.t('visitor.home.recent')}</h2>
        <a class="section-action" href="/signin">
          {t.t('visitor.home.signInToReply')}
        </a>
      </div>
      <PostList
        posts={posts}
        label={t.t('visitor.home.recent')}
        empty={
          <Empty title={t.t('visitor.home.emptyTitle')}>
            <p>{t.t('visitor.home.emptyBody')}</p>
          </Empty>
        }
        renderPost={(post, fresh) => (
          <PostCard post={post} linkAuthor={false} highlighted={fresh} groupLabel={
              groupName.has(post.groupId) ? (
                <>
                  {/* Isolated, so a group name in another script keeps the separator after it. */}
                  <bdi>{groupName.get(post.groupId)}</bdi> ·{' '}
                </>
              ) : undefined
            }>
            <footer class="post-footer post-footer-static">
              <span class="stat" aria-label={t.t('common.stats.likes', { count: post.likeCount })}>
                <Icon name="heart" /> {t.number(post.likeCount)}
              </span>
              <span class="stat" aria-label={t.t('common.stats.replies', { count: post.replyCount })}>
                <Icon name="reply" /> {t.number(post.replyCount)}
              </span>
            </footer>
          </PostCard>
        )}
      />
    </div>
  );
}
