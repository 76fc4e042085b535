/**
 * A pairwise subject is derived per sector (OIDC Core §8.1), so that clients of different sectors
 * cannot correlate a user (§17.3). A loopback host or a private-use scheme is no one's sector: every
 * native app has them, and clients sharing one would be told the same subjects.
 */
import test from 'ava';
import { sectorOf, SubjectIdentifierError } from '../../src/core/provider/openid/subject-identifier.js';

const client = (redirectUris: string[], sectorIdentifier: string | null = null) => ({ id: 'native', sectorIdentifier, redirectUris });

for (const uri of ['http://127.0.0.1/cb', 'http://127.0.0.2:8080/cb', 'http://[::1]/cb', 'http://localhost:3000/cb', 'http://app.localhost/cb']) {
  test(`OIDC Core §8.1 — redirect URIs on the loopback host of ${uri} name no sector`, (t) => {
    t.throws(() => sectorOf(client([uri])), { instanceOf: SubjectIdentifierError, message: /loopback/ });
  });
}

test('OIDC Core §8.1 — a private-use scheme’s redirect URI names no sector', (t) => {
  t.throws(() => sectorOf(client(['com.example.app:/cb'])), { instanceOf: SubjectIdentifierError, message: /no host/ });
});

test('OIDC Core §8.1 — a loopback client with a registered sector identifier has that sector', (t) => {
  t.is(sectorOf(client(['http://127.0.0.1/cb'], 'app.example.com')), 'app.example.com');
});

test('OIDC Core §8.1 — redirect URIs on one public host are that host’s sector', (t) => {
  t.is(sectorOf(client(['https://app.example.com/a', 'https://app.example.com/b'])), 'app.example.com');
});
