// Word alerts in the settings: the words and phrases watched in new headlines, each with a
// preview of today's cached headlines it would have matched (Rust does the matching).

import { el } from './dom.js';
import { t } from './i18n.js';

const $ = (id) => document.getElementById(id);

let words = [];
let preview = async () => [];
let drawn = 0;

/** Fills the list; `previewOf(words)` resolves to `[{word, count, headlines: [{title}]}]`. */
export function fillWords(list, previewOf) {
  words = [...list];
  preview = previewOf;
  draw();
}

/** The words as the form holds them now. */
export function readWords() {
  return [...words];
}

/** Wires the "add" field and button (once). */
export function bindWordInput() {
  const input = $('word-input');
  const add = () => {
    const word = input.value.trim().replace(/\s+/g, ' ');
    if (!word) return;
    if (!words.some((w) => w.toLowerCase() === word.toLowerCase())) words.push(word);
    input.value = '';
    draw();
    input.focus();
  };
  $('word-add').addEventListener('click', add);
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      add();
    }
  });
}

function draw() {
  const list = $('words');
  list.replaceChildren();
  const round = ++drawn;
  const notes = new Map();
  words.forEach((word, i) => {
    const item = el('li');
    item.dataset.word = word;
    const remove = el('button', 'icon-button remove', '×');
    remove.type = 'button';
    remove.setAttribute('aria-label', t('settings.word_remove', { word }));
    remove.title = t('settings.word_remove', { word });
    remove.addEventListener('click', () => {
      words.splice(i, 1);
      draw();
      $('word-input').focus();
    });
    const note = el('span', 'word-preview', t('state.loading'));
    notes.set(word, note);
    item.append(el('span', 'word', word), remove, note);
    list.append(item);
  });
  $('words-empty').hidden = words.length > 0;
  if (!words.length) return;
  preview(words).then((found) => {
    if (round !== drawn) return;
    for (const p of found) {
      const note = [...notes.entries()].find(([w]) => w.toLowerCase() === p.word.toLowerCase())?.[1];
      if (!note) continue;
      note.textContent = p.count === 0
        ? t('settings.word_preview_none')
        : t('settings.word_preview', { n: p.count, titles: p.headlines.map((h) => h.title).join(' · ') });
    }
    for (const note of notes.values()) if (note.textContent === t('state.loading')) note.textContent = t('settings.word_preview_none');
  }).catch(() => {
    for (const note of notes.values()) note.textContent = '';
  });
}
