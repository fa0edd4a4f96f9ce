// Content negotiation for the one response we keep compressed (the homepage feed), cheaper than Express's
// general negotiator on the hottest route.

/** A browser sends the same header with every request, so the last answer is usually the next one. */
let lastHeader = '';
let lastAnswer = false;

/** Whether an Accept-Encoding header takes gzip: listed without `q=0`, or left to a `*` that is not refused. */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  if (header !== lastHeader) {
    lastAnswer = parseAcceptsGzip(header);
    lastHeader = header;
  }
  return lastAnswer;
}

function parseAcceptsGzip(header: string): boolean {
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
