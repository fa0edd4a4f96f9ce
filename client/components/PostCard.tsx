// How a post looks everywhere; what a viewer may do with it is passed in as children by the signed-in pages.
import type { ComponentChildren } from 'preact';
import type { Post } from '../../shared/api';
import { Avatar } from './Avatar';
import { Time } from './Time';
import { useT } from '../i18n';

export interface PostCardProps {
  post: Post;
  /** Profiles are for signed-in users only, so visitors see names without links. */
  linkAuthor: boolean;
  groupLabel?: ComponentChildren;
  children?: ComponentChildren;
  highlighted?: boolean;
}

export function PostCard({ post, linkAuthor, groupLabel, children, highlighted }: PostCardProps) {
  const t = useT();
  const name = post.author?.displayName ?? t.t('common.deletedAccount');
  return (
    <article class={`card post${highlighted ? ' post-new' : ''}`} aria-label={t.t('common.post.label', { name })} data-post-id={post.id}>
      <header class="post-header">
        <Avatar user={post.author} />
        <div class="post-meta">
          {post.author && linkAuthor ? (
            <a class="post-author" href={`/users/${post.author.id}`} dir="auto">
              {name}
            </a>
          ) : (
            <span class="post-author" dir="auto">{name}</span>
          )}
          <span class="post-sub">
            {groupLabel && <span class="post-group">{groupLabel}</span>}
            <Time iso={post.createdAt} />
            {post.editedAt && <span class="post-edited"> · {t.t('common.post.edited')}</span>}
          </span>
        </div>
      </header>
      {/* A post may be in another language than the interface: its own text sets its direction. */}
      <div class="post-body" dir="auto" dangerouslySetInnerHTML={{ __html: post.body }} />
      {post.images.length > 0 && (
        <div class={`post-images post-images-${Math.min(post.images.length, 4)}`}>
          {post.images.map((image, index) => (
            <a href={image.url} target="_blank" rel="noopener" key={image.url} class="post-image-link">
              <img
                src={post.images.length > 1 ? image.thumbnailUrl : image.url}
                // Thumbnails in a grid are soft on 2x screens: the browser picks the large version where it needs it.
                srcSet={post.images.length > 1 ? `${image.thumbnailUrl} 320w, ${image.url} 1280w` : undefined}
                sizes={post.images.length > 1 ? '(max-width: 700px) 50vw, 320px' : undefined}
                width={image.width}
                height={image.height}
                loading="lazy"
                decoding="async"
                alt={t.t('common.post.imageAlt', { index: index + 1, count: post.images.length, name })}
              />
            </a>
          ))}
        </div>
      )}
      {children}
    </article>
  );
}
