// Privacy rights: export, erasure, contact preferences, restriction, unsubscribe, e-mail change, requests to
// consent for a child, and the one piece of profiling (suggested groups) that restriction switches off.
import express, { Router, type Response } from 'express';
import type { ContactPreferences } from '../../shared/api';
import type { EmailChangeRequested, ErasureAccepted, ParentalConsentRequests, PrivacyAccessGranted, RestrictionState, SuggestedGroups, UnsubscribeResult } from '../../shared/privacy';
import type { AppContext } from '../context';
import { presentMe } from '../presenters/user';
import { verifyCurrentPassword, verifySuspendedCredentials } from '../services/accounts';
import { grantPrivacyAccess } from '../services/privacy-access';
import { loginSchema } from './account-schemas';
import { getPreferences, setRestriction, updatePreferences } from '../services/contact-preferences';
import { confirmEmailChange, requestEmailChange } from '../services/email-change';
import { requestErasure } from '../services/erasure';
import { writeExport, type ExportSink } from '../services/export';
import { parentalConsentRequestsOf, setParentalConsentRequests } from '../services/parental-consent-refusals';
import { unsubscribe } from '../services/marketing';
import { suggestedGroups } from '../services/suggestions';
import { clientAddress, signedIn, signedInUser, type Auth } from './auth';
import {
  emailChangeSchema,
  emailConfirmSchema,
  erasureSchema,
  parentalConsentRequestsSchema,
  preferencesSchema,
  restrictionSchema,
  unsubscribeSchema,
  oneClickUnsubscribeSchema,
} from './privacy-schemas';
import { parseBody } from './validation';

class ClientGone extends Error {}

/** Writes to the response, waiting when its buffer is full; fails once the client has gone. */
function responseSink(res: Response): ExportSink {
  return (chunk) =>
    new Promise((resolve, reject) => {
      if (res.destroyed) return reject(new ClientGone());
      if (res.write(chunk)) return resolve();
      const onDrain = () => {
        res.off('close', onClose);
        resolve();
      };
      const onClose = () => {
        res.off('drain', onDrain);
        reject(new ClientGone());
      };
      res.once('drain', onDrain);
      res.once('close', onClose);
    });
}

export function privacyRouter(ctx: AppContext, auth: Auth): Router {
  const router = Router();

  router.get('/me/export', auth.requirePrivacyRights, async (req, res) => {
    const viewer = signedIn(req);
    const day = new Date().toISOString().slice(0, 10);
    res.status(200);
    res.set({
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Disposition': `attachment; filename="forum-export-${day}.json"`,
      'Cache-Control': 'no-store',
    });
    try {
      await writeExport(ctx, viewer._id, responseSink(res));
      res.end();
    } catch (error) {
      if (!res.headersSent) throw error;
      // Half a document must not look like a whole one: the connection is cut instead of ended.
      if (!(error instanceof ClientGone)) ctx.log.error('export failed after it started', error);
      res.destroy();
    }
  });

  router.delete('/me', auth.requirePrivacyRights, async (req, res) => {
    const { password } = parseBody(erasureSchema, req.body);
    const user = await signedInUser(req);
    await verifyCurrentPassword(ctx, user, password, clientAddress(req), 'password');
    const { done } = await requestErasure(ctx, user);
    done.catch((error: unknown) => ctx.log.error('erasure failed; it will be resumed', error));
    res.status(202).json({ status: 'erasing' } satisfies ErasureAccepted);
  });

  // A suspended account keeps its privacy rights: the password buys a pass to the two routes above, nothing else.
  router.post('/auth/privacy-access', async (req, res) => {
    const { email, password } = parseBody(loginSchema, req.body);
    const user = await verifySuspendedCredentials(ctx, email, password, clientAddress(req));
    res.json((await grantPrivacyAccess(user._id)) satisfies PrivacyAccessGranted);
  });

  router.get('/me/preferences', auth.requireUser, async (req, res) => {
    res.json((await getPreferences(signedIn(req)._id)) satisfies ContactPreferences);
  });

  router.put('/me/preferences', auth.requireUser, async (req, res) => {
    const wanted = parseBody(preferencesSchema, req.body);
    res.json((await updatePreferences(ctx, signedIn(req)._id, wanted, 'settings')) satisfies ContactPreferences);
  });

  router.put('/me/restriction', auth.requireUser, async (req, res) => {
    const { restricted } = parseBody(restrictionSchema, req.body);
    res.json({ restricted: await setRestriction(ctx, signedIn(req)._id, restricted) } satisfies RestrictionState);
  });

  router.get('/me/parental-consent-requests', auth.requireUser, async (req, res) => {
    res.json((await parentalConsentRequestsOf(await signedInUser(req))) satisfies ParentalConsentRequests);
  });

  router.put('/me/parental-consent-requests', auth.requireUser, async (req, res) => {
    const { refused } = parseBody(parentalConsentRequestsSchema, req.body);
    res.json((await setParentalConsentRequests(await signedInUser(req), refused)) satisfies ParentalConsentRequests);
  });

  router.get('/me/suggested-groups', auth.requireUser, async (req, res) => {
    res.json({ items: await suggestedGroups(signedIn(req)) } satisfies SuggestedGroups);
  });

  router.put('/me/email', auth.requireUser, async (req, res) => {
    const { email, password } = parseBody(emailChangeSchema, req.body);
    await requestEmailChange(ctx, await signedInUser(req), email, password, clientAddress(req));
    res.status(202).json({ status: 'confirmation_sent' } satisfies EmailChangeRequested);
  });

  router.post('/me/email/confirm', auth.requireUser, async (req, res) => {
    const { token } = parseBody(emailConfirmSchema, req.body);
    res.json(presentMe(await confirmEmailChange(ctx, await signedInUser(req), token)));
  });

  // No sign-in: the token in the message's link is the whole authority, for one channel of one account.
  // Mail clients post RFC 8058's form (`List-Unsubscribe=One-Click`) to the List-Unsubscribe URL, which
  // carries the token in its query string; the forum's own page posts JSON.
  router.post('/unsubscribe', express.urlencoded({ extended: false, limit: '1kb' }), async (req, res) => {
    const { token } = req.is('application/x-www-form-urlencoded')
      ? parseBody(oneClickUnsubscribeSchema, { ...req.body, token: req.query.token })
      : parseBody(unsubscribeSchema, req.body);
    res.json({ ...(await unsubscribe(ctx, token)), subscribed: false } satisfies UnsubscribeResult);
  });

  return router;
}
