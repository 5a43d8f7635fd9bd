// Gazette search page. State lives in the URL (?q=&topic=&page=...): every search pushes a history
// entry, the back button and a reload restore the same view.

import { Autocomplete } from './autocomplete.js';
import { renderTrend } from './chart.js';
import { ApiError, appendMarked, el, formatCount, formatDate, friendlyError, getJson, safeUrl } from './lib.js';

const PAGE_SIZE = 10;
const MAX_WINDOW = 10000; // searchd's default max_result_window: offset + limit
const FACET_PREVIEW = 8;
const FACETS = [
  { field: 'topic', label: 'Topic' },
  { field: 'source', label: 'Source' },
  { field: 'year', label: 'Year' },
];

const $ = (id) => document.getElementById(id);
const ui = {
  form: $('search-form'),
  q: $('q'),
  suggestions: $('suggestions'),
  sort: $('sort'),
  from: $('from'),
  to: $('to'),
  dateForm: $('date-form'),
  dateClear: $('date-clear'),
  clearAll: $('clear-all'),
  facets: $('facets'),
  status: $('status'),
  didYouMean: $('did-you-mean'),
  error: $('error'),
  trend: $('trend'),
  trendCaption: $('trend-caption'),
  trendChart: $('trend-chart'),
  intro: $('intro'),
  hits: $('hits'),
  pager: $('pager'),
  results: $('results'),
  heading: $('results-heading'),
  filters: $('filters'),
  filtersToggle: $('filters-toggle'),
  filtersCount: $('filters-count'),
};

let topicLabels = new Map(); // topic id -> label, from GET /topics
const expandedFacets = new Set();
let inflight = null;

// ---------------------------------------------------------------------------------------------
// State <-> URL <-> API parameters

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Reads the page state from a query string. Invalid values are dropped, not trusted. */
export function readState(search) {
  const p = new URLSearchParams(search);
  const page = Number.parseInt(p.get('page') || '1', 10);
  const sort = p.get('sort');
  const op = p.get('op');
  return {
    q: p.get('q') || '',
    op: op === 'and' ? 'and' : '',
    sort: sort === 'date' || sort === '-date' ? sort : 'relevance',
    from: ISO_DATE.test(p.get('from') || '') ? p.get('from') : '',
    to: ISO_DATE.test(p.get('to') || '') ? p.get('to') : '',
    page: Number.isFinite(page) && page > 0 ? page : 1,
    topic: unique(p.getAll('topic').filter(Boolean)),
    source: unique(p.getAll('source').filter(Boolean)),
    year: unique(p.getAll('year').filter((y) => /^\d{4}$/.test(y))).sort(),
  };
}

function unique(list) {
  return [...new Set(list)];
}

/** The query string for a state, with defaults left out so that URLs stay short. */
export function stateToQuery(state) {
  const p = new URLSearchParams();
  if (state.q) p.set('q', state.q);
  if (state.op) p.set('op', state.op);
  for (const f of FACETS) {
    for (const v of state[f.field]) p.append(f.field, v);
  }
  if (state.from) p.set('from', state.from);
  if (state.to) p.set('to', state.to);
  if (state.sort !== 'relevance') p.set('sort', state.sort);
  if (state.page > 1) p.set('page', String(state.page));
  const s = p.toString();
  return s ? `?${s}` : '';
}

/**
 * The API has no year filter, so selected years become a date range. Year selection is a range
 * (see toggleYear), which makes "OR within the facet" exact. The range is intersected with the
 * from/to inputs.
 */
function dateRange(state, { ignoreYears = false } = {}) {
  let from = state.from;
  let to = state.to;
  if (!ignoreYears && state.year.length > 0) {
    const yFrom = `${state.year[0]}-01-01`;
    const yTo = `${state.year[state.year.length - 1]}-12-31`;
    from = !from || yFrom > from ? yFrom : from;
    to = !to || yTo < to ? yTo : to;
  }
  return { from, to };
}

/** Filter parameters for /search and /trends; `without` leaves one facet's selection out. */
function filterParams(state, without = null) {
  const params = [];
  if (state.q) params.push(['q', state.q]);
  if (state.op) params.push(['op', state.op]);
  for (const field of ['topic', 'source']) {
    if (field !== without) {
      for (const v of state[field]) params.push([field, v]);
    }
  }
  const { from, to } = dateRange(state, { ignoreYears: without === 'year' });
  if (from) params.push(['from', from]);
  if (to) params.push(['to', to]);
  return params;
}

function offsetOf(state) {
  return Math.min((state.page - 1) * PAGE_SIZE, MAX_WINDOW - PAGE_SIZE);
}

function hasFilters(state) {
  return FACETS.some((f) => state[f.field].length > 0) || Boolean(state.from || state.to);
}

// ---------------------------------------------------------------------------------------------
// Navigation

let state = readState(window.location.search);

/** Moves to `next` state: updates the URL (push unless replacing) and searches. */
function navigate(next, { replace = false, focusResults = false } = {}) {
  state = next;
  const url = `${window.location.pathname}${stateToQuery(state)}`;
  if (replace) {
    window.history.replaceState(null, '', url);
  } else if (url !== `${window.location.pathname}${window.location.search}`) {
    window.history.pushState(null, '', url);
  }
  syncControls();
  search({ focusResults });
}

function withChanges(changes) {
  // Anything but a page change starts again from page 1.
  return { ...state, page: 1, ...changes };
}

function toggleValue(field, value) {
  const current = state[field];
  const next = current.includes(value) ? current.filter((v) => v !== value) : [...current, value];
  navigate(withChanges({ [field]: next }));
}

/**
 * Years are selected as a contiguous range, so that the date-range translation is exact:
 * checking a year extends the range to it; unchecking an end year shrinks the range; unchecking
 * a year inside the range keeps only that year's earlier side.
 */
function toggleYear(year) {
  const y = Number(year);
  const sel = state.year.map(Number);
  let lo = sel.length ? Math.min(...sel) : y;
  let hi = sel.length ? Math.max(...sel) : y;
  if (sel.includes(y)) {
    if (lo === hi) {
      lo = hi = NaN;
    } else if (y === lo) {
      lo += 1;
    } else {
      hi = y - 1;
    }
  } else {
    lo = Math.min(lo, y);
    hi = Math.max(hi, y);
  }
  const years = [];
  for (let i = lo; i <= hi; i += 1) years.push(String(i));
  navigate(withChanges({ year: years }));
}

function syncControls() {
  if (document.activeElement !== ui.q || ui.q.value.trim() !== state.q.trim()) {
    ui.q.value = state.q;
  }
  ui.sort.value = state.sort;
  ui.from.value = state.from;
  ui.to.value = state.to;
  ui.dateClear.hidden = !(state.from || state.to);
  const n = FACETS.reduce((s, f) => s + state[f.field].length, 0) + (state.from || state.to ? 1 : 0);
  ui.filtersCount.hidden = n === 0;
  ui.filtersCount.textContent = String(n);
  ui.clearAll.hidden = n === 0;
  document.title = state.q ? `${state.q} – Gazette search` : 'Gazette search';
}

// ---------------------------------------------------------------------------------------------
// Searching

async function search({ focusResults = false } = {}) {
  inflight?.abort();
  const controller = new AbortController();
  inflight = controller;
  const { signal } = controller;
  const snapshot = state;
  ui.results.setAttribute('aria-busy', 'true');
  ui.error.hidden = true;

  const range = dateRange(snapshot);
  if (range.from && range.to && range.from > range.to) {
    // The selected years and the from/to dates do not overlap: nothing can match, and the API
    // would reject the request, so answer here.
    ui.results.removeAttribute('aria-busy');
    ui.trend.hidden = true;
    renderResults(snapshot, { total: { value: 0, exact: true }, hits: [] }, {});
    ui.status.textContent = 'No results: the selected years are outside the date range.';
    return;
  }
  const params = [
    ...filterParams(snapshot),
    ['sort', snapshot.sort],
    ['limit', String(PAGE_SIZE)],
    ['offset', String(offsetOf(snapshot))],
    ['facets', FACETS.map((f) => f.field).join(',')],
    ['snippet', '200'],
  ];
  const main = getJson('search', params, { signal });
  // Multi-select facets: a facet with a selection is counted without its own filter, so the
  // other values stay visible with the number of articles they would add (OR semantics).
  const disjunctive = FACETS.filter((f) => snapshot[f.field].length > 0).map((f) =>
    getJson('search', [...filterParams(snapshot, f.field), ['limit', '0'], ['snippet', '0'], ['facets', f.field]], { signal })
      .then((r) => [f.field, r.facets?.[f.field]])
      .catch(() => null));
  loadTrend(snapshot, signal);

  try {
    const data = await main;
    const extra = await Promise.all(disjunctive);
    if (signal.aborted) return;
    const facets = { ...(data.facets || {}) };
    for (const entry of extra) {
      if (entry && Array.isArray(entry[1])) facets[entry[0]] = entry[1];
    }
    renderResults(snapshot, data, facets);
    if (focusResults) {
      ui.heading.focus({ preventScroll: true });
      ui.results.scrollIntoView({ block: 'start' });
    }
  } catch (err) {
    if (signal.aborted || err.name === 'AbortError') return;
    renderError(snapshot, err);
  } finally {
    if (inflight === controller) {
      ui.results.removeAttribute('aria-busy');
    }
  }
}

async function loadTrend(snapshot, signal) {
  if (!snapshot.q.trim()) {
    ui.trend.hidden = true;
    return;
  }
  try {
    const data = await getJson('trends', [...filterParams(snapshot), ['interval', 'month']], { signal });
    if (signal.aborted) return;
    const shown = renderTrend(ui.trendChart, data.buckets, {
      onSelect: (key) => {
        if (/^\d{4}$/.test(key)) {
          navigate(withChanges({ year: [key] }));
        } else if (/^\d{4}-\d{2}$/.test(key)) {
          const [y, m] = key.split('-').map(Number);
          const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
          navigate(withChanges({ from: `${key}-01`, to: `${key}-${String(last).padStart(2, '0')}` }));
        }
      },
    });
    ui.trendCaption.textContent = `“${snapshot.q}” over time`;
    // A failed main search hides the chart too (the two requests race).
    ui.trend.hidden = !shown || !ui.error.hidden;
  } catch {
    // The chart is an extra: a missing or failing /trends just hides it.
    if (!signal.aborted) ui.trend.hidden = true;
  }
}

// ---------------------------------------------------------------------------------------------
// Rendering (server strings go in as text; only titles and snippets go through appendMarked)

function renderResults(snapshot, data, facets) {
  const total = data.total || { value: 0, exact: true };
  const count = Number(total.value) || 0;
  const hits = Array.isArray(data.hits) ? data.hits : [];
  const offset = offsetOf(snapshot);

  ui.intro.hidden = Boolean(snapshot.q) || hasFilters(snapshot) || hits.length > 0;
  const approx = total.exact === false ? 'about ' : '';
  const what = snapshot.q ? ` for “${snapshot.q}”` : '';
  if (count === 0) {
    ui.status.textContent = `No results${what}.`;
  } else {
    const range = hits.length > 0 ? `${formatCount(offset + 1)}–${formatCount(offset + hits.length)} of ` : '';
    ui.status.textContent = `${range}${approx}${formatCount(count)} result${count === 1 ? '' : 's'}${what}`;
  }
  if (Number.isFinite(data.took_ms)) {
    ui.status.append(el('span', { className: 'took', text: ` (${Number(data.took_ms).toLocaleString(undefined, { maximumFractionDigits: 1 })} ms)` }));
  }

  renderSuggestion(snapshot, data.suggestion);
  ui.hits.replaceChildren(...hits.map((h) => renderHit(h, snapshot)));
  ui.hits.start = offset + 1;
  if (count === 0) {
    ui.hits.append(el('li', { className: 'empty', text: hasFilters(snapshot)
      ? 'Nothing matches with these filters. Try removing some of them.'
      : 'Nothing matches. Check the spelling or try more general words.' }));
  }
  renderFacets(snapshot, facets);
  renderPager(snapshot, count);
  // Machine-readable outcome for scripts and tests: the total, and which state is on screen.
  ui.status.dataset.total = String(count);
  ui.results.dataset.query = stateToQuery(snapshot);
}

function renderSuggestion(snapshot, suggestion) {
  if (typeof suggestion !== 'string' || suggestion.trim() === '' || suggestion === snapshot.q) {
    ui.didYouMean.hidden = true;
    return;
  }
  const next = { ...snapshot, q: suggestion, page: 1 };
  const link = el('a', { text: suggestion, attrs: { href: stateToQuery(next) || './', class: 'suggestion-link' } });
  link.addEventListener('click', (e) => {
    e.preventDefault();
    navigate(next);
  });
  ui.didYouMean.replaceChildren('Did you mean ', link, '?');
  ui.didYouMean.hidden = false;
}

function renderHit(hit, snapshot) {
  const titleText = el('span');
  appendMarked(titleText, hit.title || hit.id || 'Untitled');
  const href = safeUrl(hit.url) || (hit.id ? `articles/${encodeURIComponent(hit.id)}` : null);
  const title = el('h2', { className: 'hit-title' }, href ? el('a', { attrs: { href } }, titleText) : titleText);

  const meta = el('p', { className: 'meta' });
  if (hit.source) meta.append(el('span', { className: 'source', text: hit.source }));
  const pretty = formatDate(hit.date);
  if (pretty) meta.append(el('time', { text: pretty, attrs: { datetime: String(hit.date).slice(0, 10) } }));
  const authors = Array.isArray(hit.author) ? hit.author.filter(Boolean) : [];
  if (authors.length) meta.append(el('span', { className: 'author', text: authors.join(', ') }));
  if (hit.lang && hit.lang !== 'en') meta.append(el('span', { className: 'lang', text: String(hit.lang).toUpperCase(), attrs: { title: 'Language' } }));

  const parts = [title, meta];
  if (hit.snippet) parts.push(appendMarked(el('p', { className: 'snippet' }), hit.snippet));

  const topics = Array.isArray(hit.topics) ? hit.topics.filter(Boolean) : [];
  if (topics.length) {
    const list = el('ul', { className: 'chips', attrs: { 'aria-label': 'Topics' } });
    for (const t of topics) {
      const selected = snapshot.topic.includes(t);
      const chip = el('button', {
        className: 'chip',
        text: topicLabels.get(t) || t,
        attrs: { type: 'button', 'aria-pressed': String(selected), title: selected ? 'Remove this topic filter' : 'Show only this topic' },
      });
      chip.dataset.topic = t;
      chip.addEventListener('click', () => toggleValue('topic', t));
      list.append(el('li', {}, chip));
    }
    parts.push(list);
  }
  return el('li', { className: 'hit' }, el('article', {}, ...parts));
}

function facetValueLabel(field, value) {
  return field === 'topic' ? topicLabels.get(value) || value : value;
}

function renderFacets(snapshot, facets) {
  // Re-rendering replaces the checkboxes; keep keyboard focus on the one that was focused.
  const focused = ui.facets.contains(document.activeElement) ? document.activeElement : null;
  const focusKey = focused && focused.name ? [focused.name, focused.value] : null;
  const panels = [];
  for (const f of FACETS) {
    let values = Array.isArray(facets[f.field]) ? facets[f.field].filter((v) => v && v.value !== undefined) : [];
    values = values.map((v) => ({ value: String(v.value), count: Number(v.count) || 0 }));
    // Selected values stay visible even when the server did not return them.
    for (const sel of snapshot[f.field]) {
      if (!values.some((v) => v.value === sel)) values.push({ value: sel, count: 0 });
    }
    if (f.field === 'year') values.sort((a, b) => (a.value < b.value ? 1 : -1));
    if (values.length === 0) continue;

    const headingId = `facet-${f.field}-heading`;
    const fieldset = el('fieldset', { className: 'facet', attrs: { 'data-facet': f.field } },
      el('legend', { text: f.label, attrs: { id: headingId } }));
    const expanded = expandedFacets.has(f.field);
    const list = el('ul', { className: 'facet-values' });
    values.forEach((v, i) => {
      const checked = snapshot[f.field].includes(v.value);
      const input = el('input', { attrs: { type: 'checkbox', name: f.field, value: v.value } });
      input.checked = checked;
      input.addEventListener('change', () => (f.field === 'year' ? toggleYear(v.value) : toggleValue(f.field, v.value)));
      const label = el('label', {}, input,
        el('span', { className: 'facet-name', text: facetValueLabel(f.field, v.value) }),
        el('span', { className: 'facet-count', text: formatCount(v.count), attrs: { 'aria-label': `${v.count} articles` } }));
      const li = el('li', {}, label);
      if (!expanded && i >= FACET_PREVIEW && !checked) li.hidden = true;
      list.append(li);
    });
    fieldset.append(list);
    if (values.length > FACET_PREVIEW) {
      const more = el('button', {
        className: 'link more',
        text: expanded ? 'Show fewer' : `Show all ${values.length}`,
        attrs: { type: 'button', 'aria-expanded': String(expanded), name: 'more', value: f.field },
      });
      more.addEventListener('click', () => {
        if (expandedFacets.has(f.field)) expandedFacets.delete(f.field);
        else expandedFacets.add(f.field);
        renderFacets(state, facets);
      });
      fieldset.append(more);
    }
    panels.push(el('section', { className: 'panel' }, fieldset));
  }
  ui.facets.replaceChildren(...panels);
  if (focusKey) {
    const again = [...ui.facets.querySelectorAll('input, button')]
      .find((i) => i.name === focusKey[0] && i.value === focusKey[1]);
    again?.focus();
  }
}

function renderPager(snapshot, count) {
  const reachable = Math.min(count, MAX_WINDOW);
  const pages = Math.ceil(reachable / PAGE_SIZE);
  ui.pager.replaceChildren();
  if (pages <= 1) {
    ui.pager.hidden = true;
    return;
  }
  const current = Math.min(snapshot.page, pages);
  const link = (page, text, label, extraClass = '') => {
    const next = { ...snapshot, page };
    const a = el('a', { className: `page ${extraClass}`.trim(), text, attrs: { href: stateToQuery(next) || './', 'aria-label': label } });
    if (page === current && !extraClass) {
      a.setAttribute('aria-current', 'page');
    }
    a.addEventListener('click', (e) => {
      e.preventDefault();
      navigate(next, { focusResults: true });
    });
    return a;
  };
  const items = [];
  if (current > 1) items.push(link(current - 1, '‹ Previous', 'Previous page', 'prev'));
  const shown = new Set([1, pages, current - 2, current - 1, current, current + 1, current + 2]);
  let last = 0;
  for (let p = 1; p <= pages; p += 1) {
    if (!shown.has(p)) continue;
    if (p - last > 1) items.push(el('span', { className: 'gap', text: '…', attrs: { 'aria-hidden': 'true' } }));
    items.push(link(p, String(p), `Page ${p}`));
    last = p;
  }
  if (current < pages) items.push(link(current + 1, 'Next ›', 'Next page', 'next'));
  ui.pager.append(...items);
  ui.pager.hidden = false;
}

function renderError(snapshot, err) {
  // An empty landing search that the server rejects is not an error for the reader.
  if (err instanceof ApiError && err.status === 400 && !snapshot.q && !hasFilters(snapshot)) {
    ui.intro.hidden = false;
    ui.status.textContent = '';
    ui.hits.replaceChildren();
    ui.pager.hidden = true;
    ui.results.dataset.query = stateToQuery(snapshot);
    return;
  }
  ui.error.replaceChildren(el('p', { text: friendlyError(err) }));
  if (err instanceof ApiError && err.status !== 400) {
    const retry = el('button', { className: 'link', text: 'Try again', attrs: { type: 'button' } });
    retry.addEventListener('click', () => search());
    ui.error.append(retry);
  }
  ui.error.hidden = false;
  ui.trend.hidden = true;
  ui.facets.replaceChildren();
  ui.status.textContent = 'The search failed.';
  ui.hits.replaceChildren();
  ui.pager.hidden = true;
  ui.didYouMean.hidden = true;
  delete ui.status.dataset.total;
  ui.results.dataset.query = stateToQuery(snapshot);
}

// ---------------------------------------------------------------------------------------------
// Wiring

const autocomplete = new Autocomplete(ui.q, ui.suggestions, {
  onChoose: (opt) => {
    if (opt.kind === 'title' && safeUrl(opt.url)) {
      window.location.assign(safeUrl(opt.url));
      return;
    }
    const q = opt.kind === 'title' ? `"${opt.value.replace(/"/g, '')}"` : opt.value;
    ui.q.value = q;
    navigate(withChanges({ q: q.trim() }));
  },
});

ui.form.addEventListener('submit', (e) => {
  e.preventDefault();
  autocomplete.close();
  navigate(withChanges({ q: ui.q.value.trim() }));
});

ui.sort.addEventListener('change', () => navigate(withChanges({ sort: ui.sort.value })));

ui.dateForm.addEventListener('submit', (e) => {
  e.preventDefault();
  let from = ui.from.value;
  let to = ui.to.value;
  if (from && to && from > to) [from, to] = [to, from];
  navigate(withChanges({ from, to }));
});
ui.dateClear.addEventListener('click', () => navigate(withChanges({ from: '', to: '' })));
ui.clearAll.addEventListener('click', () => navigate(withChanges({ topic: [], source: [], year: [], from: '', to: '' })));

ui.filtersToggle.addEventListener('click', () => {
  const open = ui.filters.classList.toggle('open');
  ui.filtersToggle.setAttribute('aria-expanded', String(open));
});

window.addEventListener('popstate', () => {
  state = readState(window.location.search);
  autocomplete.close();
  syncControls();
  search();
});

// "/" focuses the search box, as on most search sites.
document.addEventListener('keydown', (e) => {
  if (e.key === '/' && !e.ctrlKey && !e.metaKey && !e.altKey && !(e.target instanceof HTMLInputElement)
      && !(e.target instanceof HTMLSelectElement) && !(e.target instanceof HTMLTextAreaElement)) {
    e.preventDefault();
    ui.q.focus();
    ui.q.select();
  }
});

getJson('topics').then((data) => {
  const list = Array.isArray(data.topics) ? data.topics : [];
  topicLabels = new Map(list.filter((t) => t && t.id).map((t) => [String(t.id), String(t.label || t.id)]));
  // Re-label what is on screen without another search.
  for (const chip of ui.hits.querySelectorAll('.chip[data-topic]')) {
    chip.textContent = topicLabels.get(chip.dataset.topic) || chip.dataset.topic;
  }
  for (const input of ui.facets.querySelectorAll('input[name="topic"]')) {
    const name = input.parentElement.querySelector('.facet-name');
    if (name) name.textContent = topicLabels.get(input.value) || input.value;
  }
}).catch(() => { /* labels are optional: ids are shown instead */ });

// Normalise the URL (drops invalid parameters) without adding a history entry, then search.
navigate(state, { replace: true });
if (!state.q) {
  ui.q.focus();
}
