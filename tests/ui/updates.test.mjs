// The update lines Settings and About show, run by Node's test runner on the real module with the
// real phrase tables.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { setLanguage, setStrings } from '../../ui/js/i18n.js';
import { statusLine } from '../../ui/js/updates.js';

// The page the phrases are applied to: none here (the lines are what is tested).
globalThis.document = { documentElement: {}, querySelectorAll: () => [] };
setStrings(JSON.parse(readFileSync(new URL('../../ui/strings.json', import.meta.url))));

const at = '2026-12-07T09:05:00+07:00';

test('a build without a release address says updates are off, in both languages', () => {
  setLanguage('id');
  assert.match(statusLine({ enabled: false }), /^Pembaruan mati/);
  setLanguage('en');
  assert.match(statusLine({ enabled: false }), /^Updates are off/);
});

test('the last check says when it was and what it found', () => {
  setLanguage('id');
  assert.equal(statusLine({ enabled: true, last_check: null, last_result: null }), 'Belum pernah diperiksa.');
  const newer = statusLine({ enabled: true, last_check: at, last_result: { result: 'newer', version: '0.1.1' } });
  assert.match(newer, /Pantau 0\.1\.1 tersedia/);
  assert.match(newer, /09:05 WIB/);
  const failed = statusLine({ enabled: true, last_check: at, last_result: { result: 'failed', reason: 'answered 404' } });
  assert.match(failed, /gagal: answered 404$/);
  setLanguage('en');
  const fine = statusLine({ enabled: true, last_check: at, last_result: { result: 'up_to_date' } });
  assert.match(fine, /^Last check .*09:05 WIB: Pantau is up to date\.$/);
  assert.equal(statusLine({ enabled: true, checking: true }), 'Checking…');
});
