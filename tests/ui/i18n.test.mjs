// The UI's phrase filler, run by Node's test runner (`node --test tests/ui`) on the real module.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setStrings, t } from '../../ui/js/i18n.js';

test('values are put in literally, whatever they contain', () => {
  setStrings({ id: { 'leave.ask': 'Buka {host} di browser? {host}' }, en: {} });
  for (const host of ["a$&b.example", "x$`y", "p$'q", '$$', '$1']) {
    assert.equal(t('leave.ask', { host }), `Buka ${host} di browser? ${host}`);
  }
});

test('a missing phrase is its key, and unknown placeholders stay', () => {
  setStrings({ id: { 'a.b': 'Halo {name} {other}' }, en: {} });
  assert.equal(t('a.b', { name: 'Budi' }), 'Halo Budi {other}');
  assert.equal(t('no.such.key'), 'no.such.key');
});
