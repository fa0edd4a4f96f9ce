// Bearer-token authentication through passport; there are no sessions and no cookies.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { Passport } from 'passport';
import { Strategy as BearerStrategy } from 'passport-http-bearer';
import { Unauthorized } from '../errors';
import { viewerFromUser, type Viewer } from '../policy/viewer';
import { authenticateToken, type Authenticated } from '../services/tokens';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** Set by requireUser/optionalUser; null for anonymous visitors. */
      viewer?: Viewer | null;
      auth?: Authenticated;
    }
  }
}

export interface Auth {
  /** 401 unless a valid token is presented. */
  requireUser: RequestHandler;
  /** Anonymous when no token (or an unusable one) is presented, so a stale token never hides the homepage. */
  optionalUser: RequestHandler;
}

export function createAuth(): Auth {
  const passport = new Passport();
  passport.use(
    new BearerStrategy((token, done) => {
      authenticateToken(token).then(
        (result) => done(null, result ?? false),
        (error: unknown) => done(error),
      );
    }),
  );

  function authenticate(req: Request, res: Response, next: NextFunction, required: boolean): void {
    if (!required && !req.headers.authorization) {
      req.viewer = null;
      return next();
    }
    passport.authenticate('bearer', { session: false }, (error: unknown, result: Authenticated | false) => {
      if (error) return next(error);
      if (!result) {
        if (required) return next(new Unauthorized());
        req.viewer = null;
        return next();
      }
      req.auth = result;
      req.viewer = viewerFromUser(result.user);
      next();
    })(req, res, next);
  }

  return {
    requireUser: (req, res, next) => authenticate(req, res, next, true),
    optionalUser: (req, res, next) => authenticate(req, res, next, false),
  };
}

/** The signed-in viewer of a route behind requireUser. */
export function signedIn(req: Request): Viewer {
  if (!req.viewer) throw new Unauthorized();
  return req.viewer;
}
