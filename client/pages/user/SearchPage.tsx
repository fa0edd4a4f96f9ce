// Search results: tabs for posts, groups and people, highlighted excerpts (the server escapes the text and
// adds only <mark>), help when nothing is found, and arrow keys to move through the results.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Group, Page, PostSearchHit, PublicUser, SearchType } from '../../../shared/api';
import { api, type SearchResult } from '../../api';
import { Avatar } from '../../components/Avatar';
import { useTitle } from '../../components/Form';
import { Empty, ErrorNotice, Loading } from '../../components/States';
import { Tabs } from '../../components/Tabs';
import { Time } from '../../components/Time';
import { navigate, useLocation } from '../../router';
import { GroupBadges } from './GroupDirectory';
import { useT } from '../../i18n';

function isSearchType(value: string | null): value is SearchType {
  return value === 'posts' || value === 'groups' || value === 'people';
}

function PostHit({ post }: { post: PostSearchHit }) {
  const t = useT();
  return (
    <a class="search-hit" href={`/posts/${post.id}`} data-result-id={post.id}>
      <span class="search-hit-meta">
        <bdi>{post.author?.displayName ?? t.t('common.deletedAccount')}</bdi>
        {post.parentId && ` · ${t.t('member.search.reply')}`} · <Time iso={post.createdAt} />
      </span>
      <span class="search-hit-text" dir="auto" dangerouslySetInnerHTML={{ __html: post.highlight }} />
    </a>
  );
}

function GroupHit({ group }: { group: Group }) {
  return (
    <a class="search-hit" href={`/groups/${group.id}`} data-result-id={group.id}>
      <span class="search-hit-title">
        <bdi>{group.name}</bdi> <GroupBadges group={group} />
      </span>
      {group.description && (
        <span class="search-hit-text" dir="auto">
          {group.description}
        </span>
      )}
    </a>
  );
}

function PersonHit({ person }: { person: PublicUser }) {
  return (
    <a class="search-hit search-hit-person" href={`/users/${person.id}`} data-result-id={person.id}>
      <Avatar user={person} />
      <span class="search-hit-title" dir="auto">
        {person.displayName}
      </span>
    </a>
  );
}

function NoResults({ q }: { q: string }) {
  const t = useT();
  const code = (chunks: ComponentChildren[]) => <code dir="ltr">{chunks}</code>;
  return (
    <Empty icon="inbox" title={t.t('member.search.nothing', { q })}>
      <ul class="search-help">
        <li>{t.t('member.search.helpGeneral')}</li>
        <li>{t.t('member.search.helpLanguages')}</li>
        <li>{t.t('member.search.helpPhrase')}</li>
        <li>{t.t('member.search.helpMinus')}</li>
        <li>{t.rich('member.search.helpNarrow', { code })}</li>
        <li>{t.t('member.search.helpVisible')}</li>
      </ul>
    </Empty>
  );
}

export function SearchPage() {
  const { search } = useLocation();
  const q = search.get('q')?.trim() ?? '';
  const typeParam = search.get('type');
  const type: SearchType = isSearchType(typeParam) ? typeParam : 'posts';
  const t = useT();
  useTitle(q ? t.t('member.search.titleFor', { q }) : t.t('member.search.title'));
  const tabs: { value: SearchType; label: string }[] = [
    { value: 'posts', label: t.t('member.search.posts') },
    { value: 'groups', label: t.t('common.nav.groups') },
    { value: 'people', label: t.t('member.search.people') },
  ];
  const [page, setPage] = useState<Page<SearchResult[SearchType]> | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const list = useRef<HTMLUListElement>(null);

  useEffect(() => {
    let cancelled = false;
    setPage(null);
    setError(null);
    if (!q) return;
    api.search(q, type).then(
      (result) => !cancelled && setPage(result),
      (err: unknown) => !cancelled && setError(err),
    );
    return () => {
      cancelled = true;
    };
  }, [q, type]);

  const more = async () => {
    if (!page?.nextCursor) return;
    setLoadingMore(true);
    try {
      const next = await api.search(q, type, { cursor: page.nextCursor });
      setPage({ items: [...page.items, ...next.items], nextCursor: next.nextCursor });
    } catch (err) {
      setError(err);
    } finally {
      setLoadingMore(false);
    }
  };

  const chooseTab = (next: SearchType) => navigate(`/search?${new URLSearchParams({ q, type: next }).toString()}`, { replace: true });

  // Up and down move between results (and from the search box into them); Enter follows the link.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
      const links = [...(list.current?.querySelectorAll<HTMLAnchorElement>('a.search-hit') ?? [])];
      if (!links.length) return;
      const active = document.activeElement;
      const at = links.indexOf(active as HTMLAnchorElement);
      const fromBox = active instanceof HTMLInputElement && active.id === 'site-search-input';
      if (at < 0 && !fromBox) return;
      event.preventDefault();
      const next = at < 0 ? 0 : Math.min(links.length - 1, Math.max(0, at + (event.key === 'ArrowDown' ? 1 : -1)));
      links[next]!.focus();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  return (
    <div class="page search-page">
      <h1>{q ? t.t('member.search.resultsFor', { q }) : t.t('member.search.title')}</h1>
      <Tabs label={t.t('member.search.what')} tabs={tabs} selected={type} onSelect={chooseTab} idPrefix="search-tab" />
      <div role="tabpanel" aria-labelledby={`search-tab-${type}`}>
        {!q ? (
          <p class="muted">{t.t('member.search.empty')}</p>
        ) : error ? (
          <ErrorNotice error={error} />
        ) : !page ? (
          <Loading label={t.t('member.search.searching')} />
        ) : page.items.length === 0 ? (
          <NoResults q={q} />
        ) : (
          <>
            <ul class="search-results" ref={list} aria-label={t.t('member.search.found', { type })}>
              {page.items.map((item) => (
                <li key={item.id}>
                  {type === 'posts' ? <PostHit post={item as PostSearchHit} /> : type === 'groups' ? <GroupHit group={item as Group} /> : <PersonHit person={item as PublicUser} />}
                </li>
              ))}
            </ul>
            {page.nextCursor && (
              <button type="button" class="button" onClick={more} disabled={loadingMore}>
                {t.t(loadingMore ? 'common.loading' : 'member.search.more')}
              </button>
            )}
          </>
        )}
      </div>
    </div>
  );
}
