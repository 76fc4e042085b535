/**
 * Storage calls of requests that wait at the same moment go to storage together: access-token
 * lookups (`findAccessTokens`), issuances (`insertTokens`) and client reads. Batching never answers
 * a request with a read older than the request, and one bad row fails only its own request.
 */
import test from 'ava';
import { hash, randomBytes, randomUUID } from 'node:crypto';
import { OAuthProvider, StorageTimeoutError, type OAuthStorage } from '../../src/core/index.js';
import { MemoryStorage } from '../../src/testing/index.js';
import type { TokenRecord } from '../../src/core/index.js';

const HOUR = 3_600_000;

/** A storage whose lookups are counted and can be held in flight after they have read. */
class ObservedStorage {
  readonly memory = new MemoryStorage();
  batches: string[][] = [];
  insertBatches: number[] = [];
  clientReads = 0;
  /** While set, every batch reads at once but answers only when released. */
  hold: Promise<void> | null = null;
  failNext: Error | null = null;

  /** The port as the provider sees it. */
  port(): OAuthStorage {
    const observed = this;
    return new Proxy(this.memory, {
      get(target, property, receiver) {
        if (property === 'findAccessTokens') {
          return async (hashes: readonly string[]) => {
            observed.batches.push([...hashes]);
            if (observed.failNext) {
              const error = observed.failNext;
              observed.failNext = null;
              throw error;
            }
            const rows = await target.findAccessTokens(hashes);
            if (observed.hold) await observed.hold;
            return rows;
          };
        }
        if (property === 'insertTokens') {
          return (tokens: readonly TokenRecord[]) => {
            observed.insertBatches.push(tokens.length);
            return target.insertTokens(tokens);
          };
        }
        if (property === 'findClient') {
          return (id: string) => {
            observed.clientReads += 1;
            return target.findClient(id);
          };
        }
        const member: unknown = Reflect.get(target, property, receiver);
        return typeof member === 'function' ? member.bind(target) : member;
      },
    });
  }
}

async function setup() {
  const observed = new ObservedStorage();
  const provider = new OAuthProvider(observed.port());
  await provider.scopes.define('read');
  const { client, clientSecret } = await provider.clients.create({ name: 'batch', grants: ['client_credentials'], scopes: ['read'] });
  const families = new Map<string, string>();
  /** Stores an issuance directly, so that the test knows each plaintext token. */
  async function tokenOf(): Promise<{ token: string; id: string }> {
    const token = randomBytes(32).toString('base64url');
    const id = randomUUID();
    const familyId = randomUUID();
    families.set(id, familyId);
    const now = Date.now();
    await observed.memory.insertTokens([{
      id,
      accessTokenHash: hash('sha256', token, 'hex'),
      accessTokenExpiresAt: new Date(now + HOUR),
      refreshTokenHash: null,
      refreshTokenExpiresAt: null,
      scope: 'read',
      audience: null,
      clientId: client.id,
      userId: null,
      familyId,
      authorizationCodeId: null,
      revokedAt: null,
      authTime: null,
      acr: null,
      amr: null,
      expiresAt: new Date(now + HOUR),
      createdAt: new Date(now),
    }]);
    return { token, id };
  }
  const model = provider.clientModel();
  const validate = async (token: string) => ((await model.getAccessToken(token)) as { tokenId?: string } | null)?.tokenId ?? null;
  /** A client_credentials issuance as the token endpoint makes it: authenticate, then save. */
  async function issue(clientId = client.id): Promise<string> {
    const authenticated = await model.getClient(clientId, clientSecret!);
    if (!authenticated) throw new Error('client authentication failed');
    // The token oauth2-server would have asked the model for, as the grant does.
    const accessToken = await model.generateAccessToken!(authenticated, {} as never, ['read']);
    const saved = await model.saveToken(
      { accessToken, accessTokenExpiresAt: new Date(Date.now() + HOUR), scope: ['read'] } as never,
      authenticated,
      { id: clientId } as never,
    );
    return (saved as { accessToken: string }).accessToken;
  }
  return { observed, provider, client, tokenOf, validate, issue, familyOf: (id: string) => families.get(id)! };
}

test('validations that wait at the same moment share one storage call', async (t) => {
  const { observed, tokenOf, validate } = await setup();
  const issued = await Promise.all(Array.from({ length: 20 }, () => tokenOf()));
  const answers = await Promise.all(issued.map(({ token }) => validate(token)));
  t.deepEqual(answers, issued.map(({ id }) => id));
  t.is(observed.batches.length, 1);
  t.is(observed.batches[0]!.length, 20);
});

test('the same token validated by many requests at once is read once', async (t) => {
  const { observed, tokenOf, validate } = await setup();
  const { token, id } = await tokenOf();
  const answers = await Promise.all(Array.from({ length: 10 }, () => validate(token)));
  t.deepEqual(answers, Array(10).fill(id));
  t.deepEqual(observed.batches.map((batch) => batch.length), [1]);
});

test('a revocation committed before a request arrives is seen even while an older read of that token is in flight', async (t) => {
  const { observed, tokenOf, validate, familyOf } = await setup();
  const { token, id } = await tokenOf();
  let release!: () => void;
  observed.hold = new Promise((resolve) => (release = resolve));
  // This request's read happens now, before the revocation, and stays in flight.
  const early = validate(token);
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setImmediate(resolve));
  t.is(observed.batches.length, 1);
  // Committed by another process, straight to the database.
  t.is(await observed.memory.revokeTokens({ familyId: familyOf(id) }, new Date()), 1);
  observed.hold = null;
  // Arrives after the revocation: must not share the early read.
  const late = validate(token);
  t.is(await late, null);
  release();
  t.is(await early, id);
  t.is(observed.batches.length, 2);
});

test('requests that arrive while the batches in flight are full are sent together once one returns', async (t) => {
  const { observed, tokenOf, validate } = await setup();
  const issued = await Promise.all(Array.from({ length: 12 }, () => tokenOf()));
  let release!: () => void;
  observed.hold = new Promise((resolve) => (release = resolve));
  const first = validate(issued[0]!.token);
  await new Promise((resolve) => setImmediate(resolve));
  const second = validate(issued[1]!.token);
  await new Promise((resolve) => setImmediate(resolve));
  t.is(observed.batches.length, 2, 'two batches in flight');
  observed.hold = null;
  const rest = issued.slice(2).map(({ token }) => validate(token));
  await new Promise((resolve) => setImmediate(resolve));
  t.is(observed.batches.length, 2, 'the rest wait for a batch to return');
  release();
  t.deepEqual(await Promise.all([first, second, ...rest]), issued.map(({ id }) => id));
  t.deepEqual(observed.batches.map((batch) => batch.length), [1, 1, 10]);
});

test('a failed batch fails each of its requests, and the next request reads afresh', async (t) => {
  const { observed, tokenOf, validate } = await setup();
  const issued = await Promise.all(Array.from({ length: 3 }, () => tokenOf()));
  observed.failNext = new StorageTimeoutError('findAccessTokens', 10);
  const outcomes = await Promise.allSettled(issued.map(({ token }) => validate(token)));
  t.deepEqual(outcomes.map((outcome) => outcome.status), ['rejected', 'rejected', 'rejected']);
  t.is(await validate(issued[0]!.token), issued[0]!.id);
});

test('a batch never holds more hashes than the port allows', async (t) => {
  const { observed, tokenOf, validate } = await setup();
  const issued = await Promise.all(Array.from({ length: 300 }, () => tokenOf()));
  const answers = await Promise.all(issued.map(({ token }) => validate(token)));
  t.deepEqual(answers, issued.map(({ id }) => id));
  t.true(observed.batches.every((batch) => batch.length <= 128));
  t.is(observed.batches.flat().length, 300);
});

test('issuances that wait at the same moment are stored with one insert', async (t) => {
  const { observed, issue, validate } = await setup();
  const tokens = await Promise.all(Array.from({ length: 12 }, () => issue()));
  t.deepEqual(observed.insertBatches, [12]);
  t.true((await Promise.all(tokens.map((token) => validate(token)))).every((id) => id !== null));
});

test('a lone issuance is stored as a batch of one', async (t) => {
  const { observed, issue } = await setup();
  await issue();
  t.deepEqual(observed.insertBatches, [1]);
});

test('a refused row in a batch fails only its own issuance: the others are stored one by one', async (t) => {
  const { observed, provider, client, issue, validate } = await setup();
  const { client: doomed, clientSecret } = await provider.clients.create({ name: 'doomed', grants: ['client_credentials'], scopes: ['read'] });
  const model = provider.clientModel();
  const authenticated = await model.getClient(doomed.id, clientSecret!);
  // The client disappears between its authentication and the storing of its token.
  await provider.clients.delete(doomed.id);
  const outcomes = await Promise.allSettled([
    issue(client.id),
    model.saveToken({ accessTokenExpiresAt: new Date(Date.now() + HOUR), scope: ['read'] } as never, authenticated as never, { id: doomed.id } as never),
    issue(client.id),
  ]);
  t.deepEqual(outcomes.map((outcome) => outcome.status), ['fulfilled', 'rejected', 'fulfilled']);
  // The batch of three is refused whole; each token is then stored (or refused) alone.
  t.deepEqual(observed.insertBatches, [3, 1, 1, 1]);
  for (const outcome of outcomes) {
    if (outcome.status === 'fulfilled') t.truthy(await validate(outcome.value as string));
  }
});

test('token requests of one client that wait at the same moment read the client once', async (t) => {
  const { observed, issue } = await setup();
  observed.clientReads = 0;
  await Promise.all(Array.from({ length: 8 }, () => issue()));
  t.is(observed.clientReads, 1);
  await issue();
  t.is(observed.clientReads, 2, 'a later request reads it again');
});

test('requests presenting one token at the same moment share its read but not its instants', async (t) => {
  const { observed, tokenOf } = await setup();
  const { token } = await tokenOf();
  const provider = new OAuthProvider(observed.port());
  const model = provider.clientModel();
  const [first, second] = (await Promise.all([model.getAccessToken(token), model.getAccessToken(token)])) as Array<{
    accessTokenExpiresAt: Date;
  }>;
  t.deepEqual(observed.batches.map((batch) => batch.length), [1]);
  t.not(first!.accessTokenExpiresAt, second!.accessTokenExpiresAt);
  const expiry = second!.accessTokenExpiresAt.getTime();
  first!.accessTokenExpiresAt.setTime(0);
  t.is(second!.accessTokenExpiresAt.getTime(), expiry);
});
