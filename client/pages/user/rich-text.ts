// Turns what the browser's editable area produced into the contract's allow-listed HTML (the server sanitises again).

const BLOCKS: Record<string, string> = {
  p: 'p', div: 'p', h1: 'p', h2: 'p', h3: 'p', h4: 'p', h5: 'p', h6: 'p',
  ul: 'ul', ol: 'ol', li: 'li', blockquote: 'blockquote', pre: 'pre',
};
const INLINES: Record<string, string> = { b: 'strong', strong: 'strong', i: 'em', em: 'em', code: 'code' };
const SAFE_LINK = /^(https?:|mailto:)/i;

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttribute(text: string): string {
  return escapeText(text).replace(/"/g, '&quot;');
}

function children(node: Node): string {
  return Array.from(node.childNodes, serialize).join('');
}

function serialize(node: Node): string {
  if (node.nodeType === Node.TEXT_NODE) return escapeText(node.textContent ?? '');
  if (node.nodeType !== Node.ELEMENT_NODE) return '';
  const element = node as Element;
  const tag = element.tagName.toLowerCase();
  if (tag === 'br') return '<br>';
  if (tag === 'a') {
    // A mention (../MentionCompletion.tsx): the server keeps the id and makes it a profile link.
    const mention = element.getAttribute('data-mention') ?? '';
    if (/^[0-9a-f]{24}$/.test(mention)) return `<a data-mention="${mention}">${children(element)}</a>`;
    const href = element.getAttribute('href') ?? '';
    return SAFE_LINK.test(href) ? `<a href="${escapeAttribute(href)}">${children(element)}</a>` : children(element);
  }
  const inline = INLINES[tag];
  if (inline) return `<${inline}>${children(element)}</${inline}>`;
  const block = BLOCKS[tag];
  if (block) {
    const inner = children(element);
    // Chromium leaves `<div><br></div>` for an empty line; keep it as a blank paragraph only inside content.
    return `<${block}>${inner}</${block}>`;
  }
  return children(element);
}

const BLOCK_START = /^<(p|ul|ol|blockquote|pre)>/;

/** Serialises the editor's DOM: stray inline runs at the top level become paragraphs, empty trailing lines go. */
export function editorHtml(root: HTMLElement): string {
  const parts: string[] = [];
  let inline = '';
  const flush = () => {
    if (inline.replace(/<br>/g, '').trim()) parts.push(`<p>${inline}</p>`);
    inline = '';
  };
  for (const child of Array.from(root.childNodes)) {
    const html = serialize(child);
    if (BLOCK_START.test(html)) {
      flush();
      parts.push(html);
    } else inline += html;
  }
  flush();
  while (parts.length && /^<p>(<br>|\s)*<\/p>$/.test(parts[parts.length - 1]!)) parts.pop();
  return parts.join('');
}

export function editorIsEmpty(root: HTMLElement | null): boolean {
  return !root || (root.textContent ?? '').trim() === '';
}
