// Bearer-token authentication through passport; there are no sessions and no cookies.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { Passport } from 'passport';
import { Strategy as BearerStrategy, type VerifyFunction } from 'passport-http-bearer';
import { Strategy as LocalStrategy } from 'passport-local';
import type { AppContext } from '../context';
import { Unauthorized } from '../errors';
import type { UserFields } from '../models/user';
import { loadOwnAccount, verifyCredentials } from '../services/accounts';
import type { Viewer } from '../policy/viewer';
import { authenticatePrivacyAccess } from '../services/privacy-access';
import { authenticateToken, type Authenticated } from '../services/tokens';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** Set by requireUser. */
      viewer?: Viewer | null;
      auth?: Authenticated;
    }
  }
}

export interface Auth {
  /** 401 unless a valid token is presented. */
  requireUser: RequestHandler;
  /**
   * For export and erasure only: a valid token, or a suspended account's privacy pass
   * (services/privacy-access.ts); 401 otherwise. `req.auth` is set for tokens only.
   */
  requirePrivacyRights: RequestHandler;
}

/**
 * The bearer strategy reading the `Authorization` header only. passport-http-bearer also takes
 * `?access_token=` and a body field: query strings end up in proxy logs and browser history, and either can
 * carry a non-string that reached the token check.
 */
class HeaderBearerStrategy extends BearerStrategy<VerifyFunction> {
  override authenticate(req: Request): void {
    super.authenticate({ headers: { authorization: req.headers.authorization } } as Request);
  }
}

/** What a bearer check yields: a token's session, or (privacy routes only) a privacy pass, which has no token hash. */
type BearerResult = Partial<Authenticated> & { viewer: Viewer };

/** A token first; failing that, a suspended account's privacy pass. */
async function tokenOrPrivacyPass(token: string): Promise<BearerResult | null> {
  const authenticated = await authenticateToken(token);
  if (authenticated) return authenticated;
  const viewer = await authenticatePrivacyAccess(token);
  return viewer ? { viewer } : null;
}

export function createAuth(): Auth {
  const passport = new Passport();
  const strategy = (check: (token: string) => Promise<BearerResult | null>) =>
    new HeaderBearerStrategy((token, done) => {
      check(token).then(
        (result) => done(null, result ?? false),
        (error: unknown) => done(error),
      );
    });
  passport.use('bearer', strategy(authenticateToken));
  passport.use('privacy-bearer', strategy(tokenOrPrivacyPass));

  function bearer(name: string): RequestHandler {
    return (req: Request, res: Response, next: NextFunction) => {
      passport.authenticate(name, { session: false }, (error: unknown, result: BearerResult | false) => {
        if (error) return next(error);
        if (!result) return next(new Unauthorized());
        if (result.tokenHash) req.auth = result as Authenticated;
        req.viewer = result.viewer;
        next();
      })(req, res, next);
    };
  }

  return { requireUser: bearer('bearer'), requirePrivacyRights: bearer('privacy-bearer') };
}

/** The signed-in viewer of a route behind requireUser. */
export function signedIn(req: Request): Viewer {
  if (!req.viewer) throw new Unauthorized();
  return req.viewer;
}

/**
 * The signed-in user's whole record, read fresh: authentication keeps only roles and status, and the few
 * routes that show or check private fields (e-mail, password hash) must not see a cached copy.
 */
export async function signedInUser(req: Request): Promise<UserFields> {
  return loadOwnAccount(signedIn(req)._id);
}

/**
 * passport-local checking `{email, password}` for the login route; the verified user is left in
 * `res.locals.verifiedUser`. Throttling and the equal-time answer for unknown e-mails live in the
 * accounts service.
 */
export function createPasswordCheck(ctx: AppContext): RequestHandler {
  const passport = new Passport();
  passport.use(
    new LocalStrategy({ usernameField: 'email', passwordField: 'password', session: false, passReqToCallback: true }, (req, email, password, done) => {
      verifyCredentials(ctx, email, password, clientAddress(req)).then(
        (user) => done(null, user),
        (error: unknown) => done(error),
      );
    }),
  );
  return (req, res, next) => {
    passport.authenticate('local', { session: false }, (error: unknown, user: UserFields | false) => {
      if (error) return next(error);
      // Only reached when a field is missing, which the route's schema has already refused.
      if (!user) return next(new Unauthorized('errors.unauthorized.wrongCredentials'));
      res.locals.verifiedUser = user;
      next();
    })(req, res, next);
  };
}

/** The client's address as Express sees it (behind `trust proxy`, the forwarded one). */
export function clientAddress(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}
