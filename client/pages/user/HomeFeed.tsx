// The signed-in home: a composer for the groups the viewer belongs to and the live home feed.
import { useEffect, useState } from 'preact/hooks';
import type { Group } from '../../../shared/api';
import { api } from '../../api';
import { useTitle } from '../../components/Form';
import { Empty, PostList } from '../../components/PostList';
import { useLivePosts } from '../../live-posts';
import { useMe } from '../../session';
import { Composer } from './Composer';
import { PostItem } from './PostItem';
import { rememberGroup } from './groups-cache';
import { currentTranslator, useT } from '../../i18n';

const loadFeed = (cursor: string | null) => api.feed({ cursor });
const topLevel = (post: { parentId: string | null }) => post.parentId === null;

/** The groups the viewer may post in, read from the directory (which carries `myStatus`). */
function useMyGroups(): Group[] | null {
  const [groups, setGroups] = useState<Group[] | null>(null);
  useEffect(() => {
    let cancelled = false;
    const collect = async () => {
      const mine: Group[] = [];
      let cursor: string | null = null;
      // Directory pages are small; a handful of pages covers anyone's memberships.
      for (let page = 0; page < 5; page++) {
        const result = await api.groups({ cursor, limit: 50 });
        for (const group of result.items) {
          rememberGroup(group);
          if (group.can.post) mine.push(group);
        }
        cursor = result.nextCursor;
        if (!cursor) break;
      }
      return mine;
    };
    collect().then(
      (mine) => !cancelled && setGroups(mine),
      () => !cancelled && setGroups([]),
    );
    return () => {
      cancelled = true;
    };
  }, []);
  return groups;
}

/** Who will read a post in this group, in words, so the audience is never a surprise. */
export function audienceOf(group: Group): string {
  const t = currentTranslator();
  return group.visibility === 'closed' ? t.t('member.audience.closed', { group: group.name }) : t.t('member.audience.public');
}

/** The last group chosen in this tab, offered again only while it is public: a closed group is always chosen on purpose. */
let lastChosen: string | null = null;

function FeedComposer({ groups, onPosted }: { groups: Group[]; onPosted: Parameters<typeof Composer>[0]['onPosted'] }) {
  const t = useT();
  const remembered = groups.find((group) => group.id === lastChosen && group.visibility === 'public');
  const [groupId, setGroupId] = useState(remembered?.id ?? '');
  const group = groups.find((candidate) => candidate.id === groupId) ?? null;
  const choose = (id: string) => {
    lastChosen = id || null;
    setGroupId(id);
  };
  return (
    <div class="feed-composer">
      <div class="composer-target">
        <label for="composer-group">{t.t('member.composer.postIn')}</label>
        <select id="composer-group" value={groupId} aria-describedby="composer-audience" onChange={(event) => choose(event.currentTarget.value)}>
          <option value="" disabled>
            {t.t('member.composer.chooseGroup')}
          </option>
          {groups.map((option) => (
            <option key={option.id} value={option.id}>
              {t.t(option.visibility === 'closed' ? 'member.composer.optionClosed' : 'member.composer.optionPublic', { group: option.name })}
            </option>
          ))}
        </select>
        <p id="composer-audience" class="composer-audience">
          {group ? audienceOf(group) : t.t('member.composer.chooseFirst')}
        </p>
      </div>
      {group && <Composer groupId={group.id} label={t.t('member.composer.newPostIn', { group: group.name })} placeholder={t.t(group.visibility === 'closed' ? 'member.composer.writeToClosed' : 'member.composer.writeTo', { group: group.name })} onPosted={onPosted} />}
    </div>
  );
}

export function HomeFeed() {
  const t = useT();
  useTitle(t.t('member.feed.title'));
  const me = useMe();
  const groups = useMyGroups();
  const posts = useLivePosts({ feed: 'home', load: loadFeed, accept: topLevel });

  return (
    <div class="page">
      <h1 class="page-title">{t.t('member.feed.title')}</h1>
      {groups && groups.length > 0 && <FeedComposer groups={groups} onPosted={posts.add} />}
      {groups && groups.length === 0 && (
        <div class="card callout">
          <p>{t.rich('member.feed.joinFirst', { strong: (chunks) => <strong>{chunks}</strong> })}</p>
          <a class="button button-primary" href="/groups">
            {t.t('member.feed.browse')}
          </a>
        </div>
      )}
      <PostList
        posts={posts}
        label={t.t('member.feed.title')}
        empty={
          <Empty title={t.t('member.feed.emptyTitle')}>
            <p>{t.t('member.feed.emptyBody')}</p>
            <a class="button" href="/groups">
              {t.t('member.feed.find')}
            </a>
          </Empty>
        }
        renderPost={(post, fresh) => <PostItem post={post} me={me} fresh={fresh} onChange={posts.replace} onRemove={posts.remove} />}
      />
    </div>
  );
}
