import test from 'ava';
import { dialectFor } from '../../src/providers/sql/dialects/dialect-for.js';
import { mysqlDialect } from '../../src/providers/sql/dialects/mysql-dialect.js';
import { postgresDialect } from '../../src/providers/sql/dialects/postgres-dialect.js';

test('mysql binding turns $n into ? and orders (and repeats) the parameters to match', (t) => {
  t.deepEqual(mysqlDialect.bind('SELECT $2, $1 WHERE a = $1 AND b = $10', ['a', 'b', 3, 4, 5, 6, 7, 8, 9, 'ten']), {
    sql: 'SELECT ?, ? WHERE a = ? AND b = ?',
    params: ['b', 'a', 'a', 'ten'],
  });
});

test('mysql binding refuses a statement that names a missing parameter', (t) => {
  t.throws(() => mysqlDialect.bind('SELECT $2', ['only one']), { instanceOf: RangeError });
});

test('postgres binding leaves the statement and parameters as they are', (t) => {
  t.deepEqual(postgresDialect.bind('SELECT $2, $1', ['a', 'b']), { sql: 'SELECT $2, $1', params: ['a', 'b'] });
});

test('mysql reads the key name from both MariaDB and MySQL 8 duplicate-entry messages', (t) => {
  const duplicate = (sqlMessage: string) => ({ errno: 1062, sqlMessage });
  t.is(mysqlDialect.duplicateKey(duplicate("Duplicate entry 'bob' for key 'oauth_users_username_key'")), 'oauth_users_username_key');
  t.is(mysqlDialect.duplicateKey(duplicate("Duplicate entry 'bob' for key 'oauth_users.oauth_users_username_key'")), 'oauth_users_username_key');
  t.is(mysqlDialect.duplicateKey(duplicate("Duplicate entry 'x for key 'y' z' for key 'PRIMARY'")), 'PRIMARY');
  t.is(mysqlDialect.duplicateKey({ errno: 1452, sqlMessage: 'Cannot add or update a child row' }), null);
});

test('dialectFor refuses an unknown dialect name', (t) => {
  t.throws(() => dialectFor('sqlite' as never), { instanceOf: TypeError });
});
