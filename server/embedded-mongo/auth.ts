import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import { Binary } from 'bson';
import type { Document } from './documents';
import { CommandError, ErrorCode } from './errors';

/**
 * SCRAM-SHA-256 (RFC 5802 / 7677), the mechanism the official driver and mongosh use by default, so
 * tools connect to the standalone engine with a user name and password. Only the derived keys are
 * kept in memory; the password never is.
 */

const ITERATIONS = 15_000;
const MECHANISM = 'SCRAM-SHA-256';

export interface UserCredentials {
  user: string;
  password: string;
}

interface StoredCredentials {
  salt: Buffer;
  iterations: number;
  storedKey: Buffer;
  serverKey: Buffer;
}

const hmac = (key: Buffer, data: string): Buffer => createHmac('sha256', key).update(data).digest();
const sha256 = (data: Buffer): Buffer => createHash('sha256').update(data).digest();

/** Users the engine accepts, keyed by name. */
export class UserStore {
  private readonly users = new Map<string, StoredCredentials>();

  constructor(users: UserCredentials[]) {
    for (const { user, password } of users) {
      if (!user || !password) throw new Error('every user needs a non-empty name and password');
      const salt = randomBytes(28);
      // SASLprep is approximated by NFKC, which is what it amounts to for printable passwords.
      const salted = pbkdf2Sync(password.normalize('NFKC'), salt, ITERATIONS, 32, 'sha256');
      const clientKey = hmac(salted, 'Client Key');
      this.users.set(user, { salt, iterations: ITERATIONS, storedKey: sha256(clientKey), serverKey: hmac(salted, 'Server Key') });
    }
  }

  get(user: string): StoredCredentials | undefined {
    return this.users.get(user);
  }
}

/** One connection's authentication: the conversation in progress and, once done, who it is. */
export class ConnectionAuth {
  user: string | null = null;
  private conversation: { user: string; creds: StoredCredentials; clientFirstBare: string; serverFirst: string; nonce: string } | null = null;

  constructor(private readonly store: UserStore) {}

  start(body: Document): Document {
    if (body.mechanism !== MECHANISM) {
      throw new CommandError(ErrorCode.MechanismUnavailable, `Received authentication for mechanism ${String(body.mechanism)} which is unknown or not enabled`);
    }
    const message = payloadText(body.payload);
    // gs2 header: no channel binding, no authzid.
    const m = /^n,,(n=([^,]*),r=([^,]+)(?:,.*)?)$/.exec(message);
    if (!m) throw authFailed();
    const user = m[2].replace(/=2C/g, ',').replace(/=3D/g, '=');
    const creds = this.store.get(user);
    const nonce = m[3] + randomBytes(24).toString('base64');
    // An unknown user gets a well-formed challenge too, so names cannot be probed; the proof then fails.
    const salt = creds?.salt ?? createHash('sha256').update(`unknown user ${user}`).digest().subarray(0, 28);
    const serverFirst = `r=${nonce},s=${salt.toString('base64')},i=${creds?.iterations ?? ITERATIONS}`;
    this.conversation = creds ? { user, creds, clientFirstBare: m[1], serverFirst, nonce } : null;
    return { conversationId: 1, done: false, payload: new Binary(Buffer.from(serverFirst)), ok: 1 };
  }

  continue(body: Document): Document {
    const conv = this.conversation;
    const message = payloadText(body.payload);
    if (this.user && conv === null && message === '') return { conversationId: 1, done: true, payload: new Binary(Buffer.alloc(0)), ok: 1 };
    this.conversation = null;
    if (!conv) throw authFailed();
    const m = /^(c=([^,]*),r=([^,]+)),p=([A-Za-z0-9+/=]+)$/.exec(message);
    if (!m || m[3] !== conv.nonce) throw authFailed();
    const authMessage = `${conv.clientFirstBare},${conv.serverFirst},${m[1]}`;
    const proof = Buffer.from(m[4], 'base64');
    const signature = hmac(conv.creds.storedKey, authMessage);
    if (proof.length !== signature.length) throw authFailed();
    const clientKey = Buffer.from(proof.map((b, i) => b ^ signature[i]));
    if (!timingSafeEqual(sha256(clientKey), conv.creds.storedKey)) throw authFailed();
    this.user = conv.user;
    const verifier = `v=${hmac(conv.creds.serverKey, authMessage).toString('base64')}`;
    const skipEmpty = (body.options as Document | undefined)?.skipEmptyExchange === true;
    return { conversationId: 1, done: skipEmpty, payload: new Binary(Buffer.from(verifier)), ok: 1 };
  }
}

function payloadText(payload: unknown): string {
  if (payload instanceof Binary) return Buffer.from(payload.buffer).toString('utf8');
  if (payload instanceof Uint8Array) return Buffer.from(payload).toString('utf8');
  if (typeof payload === 'string') return payload;
  throw authFailed();
}

function authFailed(): CommandError {
  return new CommandError(ErrorCode.AuthenticationFailed, 'Authentication failed.');
}

/** Commands a connection may run before it has authenticated, as with mongod's --auth. */
export const OPEN_COMMANDS = new Set(['hello', 'isMaster', 'ismaster', 'buildInfo', 'saslStart', 'saslContinue', 'ping', 'endSessions', 'logout']);

export function mechanismsFor(store: UserStore | null, body: Document): Document {
  const ask = body.saslSupportedMechs;
  if (!store || typeof ask !== 'string') return {};
  const user = ask.slice(ask.indexOf('.') + 1);
  return store.get(user) ? { saslSupportedMechs: [MECHANISM] } : {};
}
