// Decimals in the settings, the way each language writes them, run by Node's test runner on the
// real module.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decimal, parseDecimal, setLocale } from '../../ui/js/format.js';

test('a setting shows its decimals the way the language writes them', () => {
  setLocale('id');
  assert.equal(decimal(0.5), '0,5');
  assert.equal(decimal(0.05), '0,05');
  assert.equal(decimal(20), '20');
  assert.equal(decimal(1500), '1500');
  assert.equal(decimal(null), '');
  setLocale('en');
  assert.equal(decimal(0.5), '0.5');
  assert.equal(decimal(1500), '1500');
});

test('a decimal typed either way is understood in both languages', () => {
  for (const language of ['id', 'en']) {
    setLocale(language);
    assert.equal(parseDecimal('0,5'), 0.5);
    assert.equal(parseDecimal('0.5'), 0.5);
    assert.equal(parseDecimal(' 1,25 '), 1.25);
    assert.equal(parseDecimal('1.000,5'), 1000.5);
    assert.equal(parseDecimal('1,000.5'), 1000.5);
    assert.equal(parseDecimal('2'), 2);
    for (const bad of ['', 'abc', '0,5%', '1.2.3', '1,2,3', ',', '.']) {
      assert.ok(Number.isNaN(parseDecimal(bad)), bad);
    }
  }
});
