// Content negotiation for the responses we hold compressed (the homepage feed, the homepage, the bundle),
// cheaper than Express's general negotiator on the hottest routes.

/**
 * A check that remembers its last answer, made once per router: a browser sends the same header with every
 * request, so the last answer is usually the next one.
 */
export function gzipNegotiator(): (header: string | undefined) => boolean {
  let lastHeader = '';
  let lastAnswer = false;
  return (header) => {
    if (!header) return false;
    if (header !== lastHeader) {
      lastAnswer = acceptsGzip(header);
      lastHeader = header;
    }
    return lastAnswer;
  };
}

/** Whether an Accept-Encoding header takes gzip: listed without `q=0`, or left to a `*` that is not refused. */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  let anyOther = false;
  for (const part of header.split(',')) {
    const [coding = '', ...params] = part.split(';').map((piece) => piece.trim().toLowerCase());
    const quality = params.find((param) => param.startsWith('q='));
    const accepted = quality === undefined || Number(quality.slice(2)) > 0;
    if (coding === 'gzip' || coding === 'x-gzip') return accepted;
    if (coding === '*') anyOther = accepted;
  }
  return anyOther;
}

export type ContentCoding = 'br' | 'gzip' | 'identity';

/**
 * The best coding an Accept-Encoding header takes for a response we hold as brotli, gzip and plain bytes:
 * the highest quality wins, brotli on a tie (it is smaller); without the header, plain.
 */
export function preferredEncoding(header: string | undefined): ContentCoding {
  if (!header) return 'identity';
  let br: number | null = null;
  let gzip: number | null = null;
  let any: number | null = null;
  for (const part of header.split(',')) {
    const [coding = '', ...params] = part.split(';').map((piece) => piece.trim().toLowerCase());
    const quality = params.find((param) => param.startsWith('q='));
    const q = quality === undefined ? 1 : Number(quality.slice(2)) || 0;
    if (coding === 'br') br = q;
    else if (coding === 'gzip' || coding === 'x-gzip') gzip = q;
    else if (coding === '*') any = q;
  }
  const brQuality = br ?? any ?? 0;
  const gzipQuality = gzip ?? any ?? 0;
  if (brQuality > 0 && brQuality >= gzipQuality) return 'br';
  return gzipQuality > 0 ? 'gzip' : 'identity';
}

/** preferredEncoding remembering its last answer, for the same reason as gzipNegotiator. */
export function encodingNegotiator(): (header: string | undefined) => ContentCoding {
  let lastHeader: string | undefined;
  let lastAnswer: ContentCoding = 'identity';
  return (header) => {
    if (header !== lastHeader) {
      lastAnswer = preferredEncoding(header);
      lastHeader = header;
    }
    return lastAnswer;
  };
}
