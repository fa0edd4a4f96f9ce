// Post bodies: sanitised on write to the contract's allow-list; bodyText is derived from the result.
import sanitizeHtml from 'sanitize-html';

/** Characters of raw input accepted before sanitising; longer bodies are refused, not truncated. */
export const MAX_BODY_LENGTH = 20_000;

/** The one value data-mention may hold: a user id. */
const MENTION_ID = /^[0-9a-f]{24}$/i;

const SANITIZE_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'strong', 'em', 'a', 'ul', 'ol', 'li', 'blockquote', 'code', 'pre'],
  // data-mention (a mention, ../notifications/mentions.ts) is kept below only as a user id.
  allowedAttributes: { a: ['href', 'rel', 'data-mention'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  // Script and style contents are dropped with their tags; other unknown tags keep their text.
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'iframe', 'object', 'embed', 'svg', 'math', 'template'],
  disallowedTagsMode: 'discard',
  transformTags: {
    // Whatever rel the author wrote is replaced: links never pass referrers or ranking, never get window.opener.
    // A mention is the id, a link to that profile and its text, nothing else: it cannot double as a link elsewhere.
    a: (tagName, attribs): sanitizeHtml.Tag =>
      MENTION_ID.test(attribs['data-mention'] ?? '')
        ? { tagName, attribs: { 'data-mention': attribs['data-mention']!.toLowerCase(), href: `/users/${attribs['data-mention']!.toLowerCase()}` } }
        : { tagName, attribs: { ...(attribs.href ? { href: attribs.href } : {}), rel: 'nofollow noopener noreferrer' } },
  },
};

const TEXT_ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"' };

/** Plain text of sanitised HTML: block ends become line breaks. */
export function htmlToText(html: string): string {
  const withBreaks = html.replace(/<br\s*\/?>/g, '\n').replace(/<\/(p|li|blockquote|pre)>/g, '\n');
  // sanitize-html decodes input entities and re-escapes only these four on output.
  const text = sanitizeHtml(withBreaks, { allowedTags: [], allowedAttributes: {} }).replace(
    /&(amp|lt|gt|quot);/g,
    (entity) => TEXT_ENTITIES[entity]!,
  );
  return text
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

export interface SanitizedBody {
  body: string;
  bodyText: string;
}

export function sanitizeBody(input: string): SanitizedBody {
  const body = sanitizeHtml(input, SANITIZE_OPTIONS).trim();
  return { body, bodyText: htmlToText(body) };
}
