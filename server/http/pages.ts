// The HTML pages the server writes itself: the homepage rendered from the public feed (with the client's own
// components, built for Node into dist/client/ssr/), the app shell for the client's other pages and the 404
// page, all carrying the organisation's identity from the configuration (name, tagline, logo, accent colour).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { PublicFeedPage } from '../../shared/api';
import { BRAND_ELEMENT_ID, INITIAL_FEED_ELEMENT_ID, type Brand } from '../../shared/brand';
import type { Catalogue } from '../../shared/i18n/catalogues';
import { directionOf, type Language } from '../../shared/i18n/languages';
import { catalogueOf, translatorFor } from '../../shared/i18n/server-catalogues';
import { LOGO_TYPES, type BrandConfig } from '../config';
import type { AppContext } from '../context';
import { encodeBody, type EncodedBody } from '../services/public-feed-cache';

/** Where the page's content goes in the built shell (minified or not). */
const APP_ELEMENT = /<div id="?app"?><\/div>/;
/** The shell's root element, which carries the page's language and direction. */
const HTML_ELEMENT = /<html[^>]*>/;

/** A file served under /brand/ with a content hash in its name, so it can be cached for good. */
export interface BrandAsset {
  url: string;
  type: string;
  bytes: Buffer;
}

interface RendererModule {
  renderHomepage(feed: PublicFeedPage, brand: Brand, language: Language, catalogue: Catalogue): string;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for HTML text and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]!);
}

/** JSON for a `<script type="application/json">` block: no `<` can close the element or open a comment. */
export function jsonForHtml(json: string): string {
  return json.replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function hashed(prefix: string, extension: string, type: string, bytes: Buffer): BrandAsset {
  const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 12);
  return { url: `/brand/${prefix}.${hash}${extension}`, type, bytes };
}

/** Mixes a `#rrggbb` colour with black (negative share) or white (positive share). */
function mix(hex: string, share: number): string {
  const target = share < 0 ? 0 : 255;
  const channels = [1, 3, 5].map((start) => parseInt(hex.slice(start, start + 2), 16));
  return `#${channels.map((value) => Math.round(value + (target - value) * Math.abs(share)).toString(16).padStart(2, '0')).join('')}`;
}

/**
 * The accent colour as a stylesheet (the CSP allows no inline styles). Dark mode keeps the stylesheet's own
 * accent: a colour chosen to carry white text on a light page is too dark to read on a dark one.
 */
function themeStylesheet(accent: string): string {
  return `@media not all and (prefers-color-scheme: dark) {\n  :root:root {\n    --accent: ${accent};\n    --accent-strong: ${mix(accent, -0.2)};\n    --accent-soft: ${mix(accent, 0.88)};\n  }\n}\n`;
}

export class VisitorPages {
  readonly logo: BrandAsset | null;
  readonly theme: BrandAsset | null;
  readonly brand: Brand;
  private template: { head: string; body: string } | null = null;
  private renderer: RendererModule | null = null;
  private readonly shellPages = new Map<Language, Promise<EncodedBody>>();
  private readonly notFoundPages = new Map<Language, Promise<EncodedBody>>();

  constructor(private readonly ctx: AppContext) {
    const config: BrandConfig = ctx.config.brand;
    this.logo = config.logoFile
      ? hashed('logo', path.extname(config.logoFile).toLowerCase(), LOGO_TYPES[path.extname(config.logoFile).toLowerCase()]!, readFileSync(config.logoFile))
      : null;
    this.theme = config.accentColor ? hashed('theme', '.css', 'text/css; charset=utf-8', Buffer.from(themeStylesheet(config.accentColor))) : null;
    this.brand = { name: config.name, tagline: config.tagline, logoUrl: this.logo?.url ?? null };
  }

  /** Whether the client bundle (shell and server renderer) has been built; until then pages answer 503. */
  ready(): boolean {
    return this.load() !== null;
  }

  /** The homepage's HTML in a language from the public feed page and its JSON text; null until the client is built. */
  renderHomepage(feed: PublicFeedPage, json: string, language: Language): string | null {
    const template = this.load();
    if (!template || !this.renderer) return null;
    const app = this.renderer.renderHomepage(feed, this.brand, language, catalogueOf(language));
    return this.page(
      { title: this.brand.name, description: this.brand.tagline, url: `${this.ctx.config.publicUrl}/` },
      `<div id="app" data-rendered="home">${app}</div>\n    <script type="application/json" id="${INITIAL_FEED_ELEMENT_ID}">${jsonForHtml(json)}</script>`,
      language,
    );
  }

  /** The app shell for the client's pages other than the homepage; they need JavaScript. */
  shell(language: Language): Promise<EncodedBody> | null {
    if (!this.load()) return null;
    let page = this.shellPages.get(language);
    if (!page) {
      const t = translatorFor(language);
      const link = t.rich<string>('common.noscript', { link: (chunks) => `<a href="/">${escapeHtml(chunks.join(''))}</a>` }).join('');
      page = encodeBody(
        Buffer.from(
          this.page(
            { title: this.brand.name, description: this.brand.tagline, url: null },
            `<div id="app"><noscript><p class="page page-narrow">${link}</p></noscript></div>`,
            language,
          ),
        ),
      );
      this.shellPages.set(language, page);
    }
    return page;
  }

  /** The 404 page: readable without JavaScript, and the client draws its own "not found" page when it runs. */
  notFound(language: Language): Promise<EncodedBody> | null {
    if (!this.load()) return null;
    let page = this.notFoundPages.get(language);
    if (!page) {
      const t = translatorFor(language);
      const title = escapeHtml(t.t('common.notFound.title'));
      page = encodeBody(
        Buffer.from(
          this.page(
            { title: `${t.t('common.notFound.title')} · ${this.brand.name}`, description: this.brand.tagline, url: null },
            `<div id="app"><main id="main" class="page page-narrow"><div class="card form gate"><h1>${title}</h1><p>${escapeHtml(t.t('common.notFound.body'))}</p><a class="button" href="/">${escapeHtml(t.t('common.notFound.home'))}</a></div></main></div>`,
            language,
          ),
        ),
      );
      this.notFoundPages.set(language, page);
    }
    return page;
  }

  /**
   * The page in the shell, its <html> element carrying the language and direction it is written in; the
   * client reads data-rendered-language to hydrate in the same language.
   */
  private page(meta: { title: string; description: string; url: string | null }, app: string, language: Language): string {
    const template = this.load()!;
    const { publicUrl } = this.ctx.config;
    const tags = [
      `<title>${escapeHtml(meta.title)}</title>`,
      `<meta name="description" content="${escapeHtml(meta.description)}" />`,
      `<meta property="og:type" content="website" />`,
      `<meta property="og:site_name" content="${escapeHtml(this.brand.name)}" />`,
      `<meta property="og:title" content="${escapeHtml(meta.title)}" />`,
      `<meta property="og:description" content="${escapeHtml(meta.description)}" />`,
      meta.url ? `<meta property="og:url" content="${escapeHtml(meta.url)}" />` : '',
      this.logo ? `<meta property="og:image" content="${escapeHtml(publicUrl + this.logo.url)}" />` : '',
      this.logo ? `<link rel="icon" href="${this.logo.url}" type="${this.logo.type}" />` : '',
      `<script type="application/json" id="${BRAND_ELEMENT_ID}">${jsonForHtml(JSON.stringify(this.brand))}</script>`,
    ].filter(Boolean);
    // After the main stylesheet, though its selector would win anyway.
    if (this.theme) tags.push(`<link rel="stylesheet" href="${this.theme.url}" />`);
    const head = template.head.replace(HTML_ELEMENT, `<html lang="${language}" dir="${directionOf(language)}" data-rendered-language="${language}">`);
    return `${head}${tags.join('')}${template.body.replace(APP_ELEMENT, () => app)}`;
  }

  /** Reads the built shell and renderer once they exist (a build after the server started is picked up). */
  private load(): { head: string; body: string } | null {
    if (this.template) return this.template;
    const shellFile = path.join(this.ctx.config.clientDir, 'index.html');
    const rendererFile = path.join(this.ctx.config.clientDir, 'ssr', 'render.js');
    if (!existsSync(shellFile) || !existsSync(rendererFile)) return null;
    const shell = readFileSync(shellFile, 'utf8');
    const headEnd = shell.indexOf('</head>');
    if (headEnd < 0 || !APP_ELEMENT.test(shell)) throw new Error(`${shellFile} has no </head> or no empty <div id="app">: rebuild the client`);
    this.renderer = require(rendererFile) as RendererModule;
    this.template = { head: shell.slice(0, headEnd), body: shell.slice(headEnd) };
    return this.template;
  }
}
