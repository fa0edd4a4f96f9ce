// Content negotiation for the one response we keep compressed (the homepage feed), cheaper than Express's
// general negotiator on the hottest route.

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
