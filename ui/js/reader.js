// The reader: title, byline, time, image and caption, paragraphs, related links.
// Everything scraped goes in as text.

import * as fmt from './format.js';
import { el } from './dom.js';
import { t } from './i18n.js';

const $ = (id) => document.getElementById(id);

/** Shows an article; `onRelated(url)` opens a related link in the reader. */
export function renderArticle(a, onRelated) {
  $('reader-error').hidden = true;
  $('reader').hidden = false;
  $('reader-title').textContent = a.title;
  const byline = [
    a.reporter && `${t('reader.reporter')}: ${a.reporter}`,
    a.source && `${t('reader.source')}: ${a.source}`,
    a.editor && `${t('reader.editor')}: ${a.editor}`,
  ].filter(Boolean);
  const when = a.published_at ? fmt.dateWib(a.published_at) : '';
  $('reader-meta').textContent = [when, ...byline].filter(Boolean).join(' · ');
  // The picture follows when the engine has it (renderLeadImage).
  $('reader-figure').hidden = true;
  $('reader-image').removeAttribute('src');
  const body = $('reader-body');
  body.replaceChildren(...a.paragraphs.map((p) => el('p', null, p)));
  const related = $('reader-related-list');
  related.replaceChildren();
  for (const r of a.related) {
    const item = el('li');
    const link = el('button', 'link related', r.title);
    link.dataset.url = r.url;
    link.addEventListener('click', () => onRelated(r.url));
    item.append(link);
    related.append(item);
  }
  $('reader-related').hidden = a.related.length === 0;
  $('view-reader').scrollTop = 0;
  document.querySelector('main').scrollTop = 0;
}

/** Shows an article's lead picture: `image` is the `data:` address the engine handed over (the
 * page itself fetches nothing from the web). */
export function renderLeadImage(a, image) {
  if (!/^data:image\/(jpeg|png|gif|webp);base64,/.test(image)) return;
  const img = $('reader-image');
  img.onerror = () => { $('reader-figure').hidden = true; };
  img.src = image;
  img.alt = a.title;
  $('reader-caption').textContent = a.image_caption ?? '';
  $('reader-figure').hidden = false;
}

/** Shows why an article could not be opened (in words), with a retry. */
export function renderArticleError(text) {
  $('reader').hidden = true;
  $('reader-error').hidden = false;
  $('reader-error-text').textContent = text;
}
