// Security headers from helmet, which keeps them current; our settings are the strict content security
// policy the bundle is built for (no inline scripts or styles anywhere), no referrer and no framing.
import helmet from 'helmet';

export const securityHeaders = helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:', 'blob:'],
      connectSrc: ["'self'", 'ws:', 'wss:'],
      fontSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
  },
  referrerPolicy: { policy: 'no-referrer' },
  frameguard: { action: 'deny' },
  crossOriginOpenerPolicy: { policy: 'same-origin' },
  // Images and the bundle are fetched by our own pages only.
  crossOriginResourcePolicy: { policy: 'same-origin' },
});

/**
 * The same headers as a list, for responses written before Express runs (the ready homepage, see
 * ./homepage-first.ts): helmet is run once against a response that only records what it sets.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = (() => {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader: (name: string, value: string) => void (headers[name] = String(value)),
    removeHeader: (name: string) => void delete headers[name],
    getHeader: (name: string) => headers[name],
  };
  securityHeaders({} as never, recorder as never, () => undefined);
  return headers;
})();
