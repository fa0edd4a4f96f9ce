// Search results: tabs for posts, groups and people, highlighted excerpts (the server escapes the text and
// adds only <mark>), help when nothing is found, and arrow keys to move through the results.
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

const TABS: { value: SearchType; label: string }[] = [
  { value: 'posts', label: 'Posts' },
  { value: 'groups', label: 'Groups' },
  { value: 'people', label: 'People' },
];

function isSearchType(value: string | null): value is SearchType {
  return value === 'posts' || value === 'groups' || value === 'people';
}

function PostHit({ post }: { post: PostSearchHit }) {
  return (
    <a class="search-hit" href={`/posts/${post.id}`} data-result-id={post.id}>
      <span class="search-hit-meta">
        {post.author?.displayName ?? 'Deleted account'}
        {post.parentId && ' · reply'} · <Time iso={post.createdAt} />
      </span>
      <span class="search-hit-text" dangerouslySetInnerHTML={{ __html: post.highlight }} />
    </a>
  );
}

function GroupHit({ group }: { group: Group }) {
  return (
    <a class="search-hit" href={`/groups/${group.id}`} data-result-id={group.id}>
      <span class="search-hit-title">
        {group.name} <GroupBadges group={group} />
      </span>
      {group.description && <span class="search-hit-text">{group.description}</span>}
    </a>
  );
}

function PersonHit({ person }: { person: PublicUser }) {
  return (
    <a class="search-hit search-hit-person" href={`/users/${person.id}`} data-result-id={person.id}>
      <Avatar user={person} />
      <span class="search-hit-title">{person.displayName}</span>
    </a>
  );
}

function NoResults({ q }: { q: string }) {
  return (
    <Empty icon="inbox" title={`Nothing found for “${q}”`}>
      <ul class="search-help">
        <li>Try fewer or more general words: “ethics” also finds “ethical”.</li>
        <li>Put an exact phrase in quotes: "case discussion".</li>
        <li>Leave a word out with a minus: congress -2019.</li>
        <li>
          Narrow down with <code>in:group-slug</code> or <code>from:user-id</code>.
        </li>
        <li>You only ever find what you may read: posts of closed groups appear once you are a member.</li>
      </ul>
    </Empty>
  );
}

export function SearchPage() {
  const { search } = useLocation();
  const q = search.get('q')?.trim() ?? '';
  const typeParam = search.get('type');
  const type: SearchType = isSearchType(typeParam) ? typeParam : 'posts';
  useTitle(q ? `Search: ${q}` : 'Search');
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
      <h1>{q ? <>Results for “{q}”</> : 'Search'}</h1>
      <Tabs label="What to search" tabs={TABS} selected={type} onSelect={chooseTab} idPrefix="search-tab" />
      <div role="tabpanel" aria-labelledby={`search-tab-${type}`}>
        {!q ? (
          <p class="muted">Type words in the search box above and press Enter.</p>
        ) : error ? (
          <ErrorNotice error={error} />
        ) : !page ? (
          <Loading label="Searching…" />
        ) : page.items.length === 0 ? (
          <NoResults q={q} />
        ) : (
          <>
            <ul class="search-results" ref={list} aria-label={`${TABS.find((tab) => tab.value === type)!.label} found`}>
              {page.items.map((item) => (
                <li key={item.id}>
                  {type === 'posts' ? <PostHit post={item as PostSearchHit} /> : type === 'groups' ? <GroupHit group={item as Group} /> : <PersonHit person={item as PublicUser} />}
                </li>
              ))}
            </ul>
            {page.nextCursor && (
              <button type="button" class="button" onClick={more} disabled={loadingMore}>
                {loadingMore ? 'Loading…' : 'More results'}
              </button>
            )}
          </>
        )}
      </div>
    </div>
  );
}
