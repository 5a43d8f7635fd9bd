// End-to-end tests of the search page (web/) and the embeddable widget in headless Chromium,
// against a real gazette-searchd serving an index built from fixtures/articles.jsonl.
//
//   GAZETTE_INDEXER_BIN=... GAZETTE_SEARCHD_BIN=... node run.mjs
//
// Environment:
//   GAZETTE_SEARCHD_BIN, GAZETTE_INDEXER_BIN  the binaries (default: looked up in <repo>/build*/)
//   GAZETTE_TEST_CORPUS                       articles to index (default: fixtures/articles.jsonl)
//   GAZETTE_CHROMIUM                          browser executable (default: /usr/bin/chromium)
//   GAZETTE_TEST_BASE_URL                     use an already running server instead of starting one
//   GAZETTE_TEST_FILTER                       run only tests whose name contains this text
//
// Prints one line per test and a final "N passed, M failed"; exits 1 on any failure, 2 when the
// environment is unusable (missing binary or browser). Screenshots go to screenshots/.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
const webDir = path.join(repo, 'web');
const shots = path.join(here, 'screenshots');
const corpus = path.resolve(process.env.GAZETTE_TEST_CORPUS || path.join(here, 'fixtures', 'articles.jsonl'));
const chromiumPath = process.env.GAZETTE_CHROMIUM || '/usr/bin/chromium';
const TIMEOUT_MS = 15000;

class EnvironmentError extends Error {}

// ---------------------------------------------------------------------------------------------
// Environment: binaries, data dir, searchd, a second origin for the widget

function findBinary(envName, name) {
  const fromEnv = process.env[envName];
  if (fromEnv) {
    if (!fs.existsSync(fromEnv)) throw new EnvironmentError(`${envName}=${fromEnv} does not exist`);
    return path.resolve(fromEnv);
  }
  const subdir = name === 'gazette-searchd' ? 'searchd' : 'indexer';
  const candidates = [];
  for (const entry of fs.readdirSync(repo, { withFileTypes: true })) {
    if (entry.isDirectory() && entry.name.startsWith('build')) {
      candidates.push(path.join(repo, entry.name, subdir, name), path.join(repo, entry.name, 'bin', name));
    }
  }
  const found = candidates.filter((c) => fs.existsSync(c)).sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
  if (found.length === 0) throw new EnvironmentError(`${name} not found: build it or set ${envName}`);
  return found[0];
}

async function waitFor(check, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new EnvironmentError(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function startSearchd(tmp) {
  const indexer = findBinary('GAZETTE_INDEXER_BIN', 'gazette-indexer');
  const searchd = findBinary('GAZETTE_SEARCHD_BIN', 'gazette-searchd');
  if (!fs.existsSync(corpus)) throw new EnvironmentError(`corpus ${corpus} does not exist`);
  const dataDir = path.join(tmp, 'data');
  const indexed = spawnSync(indexer, ['index', '--data-dir', dataDir, corpus], { encoding: 'utf8', timeout: 120000 });
  if (indexed.status !== 0) {
    throw new EnvironmentError(`gazette-indexer index failed (exit ${indexed.status}):\n${indexed.stderr || indexed.stdout}`);
  }
  const config = path.join(tmp, 'gazette.toml');
  fs.writeFileSync(config, [
    '[searchd]',
    `static_dir = ${JSON.stringify(webDir)}`,
    '',
    '[cors]',
    'origins = ["*"]',
    '',
    '[rate_limit]',
    'enabled = false',
    '',
  ].join('\n'));
  const readyFile = path.join(tmp, 'ready');
  const log = fs.openSync(path.join(tmp, 'searchd.log'), 'w');
  const child = spawn(searchd, ['--data-dir', dataDir, '--listen', '127.0.0.1:0', '--ready-file', readyFile, '--config', config],
    { stdio: ['ignore', log, log], detached: true });
  let exited = null;
  child.on('exit', (code, signal) => { exited = { code, signal }; });
  const logTail = () => fs.readFileSync(path.join(tmp, 'searchd.log'), 'utf8').split('\n').slice(-20).join('\n');
  try {
    const port = await waitFor(() => {
      if (exited) throw new EnvironmentError(`gazette-searchd exited early (${JSON.stringify(exited)}):\n${logTail()}`);
      if (!fs.existsSync(readyFile)) return null;
      const m = /(\d+)\s*$/.exec(fs.readFileSync(readyFile, 'utf8'));
      return m ? Number(m[1]) : null;
    }, 20000, 'the searchd ready file');
    const base = `http://127.0.0.1:${port}/`;
    await waitFor(async () => (await fetch(`${base}readyz`).catch(() => null))?.ok, 20000, '/readyz');
    return {
      base,
      logTail,
      async stop() {
        if (exited) return;
        process.kill(-child.pid, 'SIGTERM');
        const stopped = await waitFor(() => exited, 10000, 'searchd to stop').catch(() => null);
        if (!stopped) process.kill(-child.pid, 'SIGKILL');
      },
    };
  } catch (err) {
    if (!exited) process.kill(-child.pid, 'SIGKILL');
    throw err;
  }
}

/** A tiny site on another 127.0.0.1 port (hence another origin) that embeds the widget. */
function startHostSite(apiBase) {
  const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Another site</title>
<style>body{font-family:serif;margin:2rem;max-width:40rem} input,li,a{color:red!important}</style></head>
<body><h1>Another site</h1><p>Its own content, and a Gazette search box:</p><div id="search"></div>
<script src="${apiBase}widget.js" data-gazette-target="#search" data-gazette-limit="4"></script></body></html>`;
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(page);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${server.address().port}/`, close: () => server.close() }));
  });
}

// ---------------------------------------------------------------------------------------------
// Helpers for pages

/** Waits until the page shows the results of `query` (a query string, '' for none). */
async function waitForResults(page, query) {
  await page.waitForFunction((q) => {
    const r = document.getElementById('results');
    return r && r.dataset.query === q && !r.hasAttribute('aria-busy');
  }, query, { timeout: TIMEOUT_MS });
}

async function totalShown(page) {
  const t = await page.locator('#status').getAttribute('data-total');
  assert.ok(t !== null, 'the status line has no data-total: the search did not render results');
  return Number(t);
}

async function search(page, base, q) {
  await page.goto(base);
  await page.locator('#q').fill(q);
  await page.locator('#q').press('Enter');
  await waitForResults(page, `?q=${encodeURIComponent(q).replace(/%20/g, '+')}`);
}

function queryOf(page) {
  return new URL(page.url()).search;
}

// ---------------------------------------------------------------------------------------------
// Tests

const tests = [];
const test = (name, fn) => tests.push({ name, fn });

test('the page loads with a labelled search box and no errors', async ({ page, base }) => {
  await page.goto(base);
  const box = page.getByRole('combobox', { name: 'Search articles' });
  await box.waitFor();
  assert.equal(await box.getAttribute('aria-expanded'), 'false');
  await waitForResults(page, '');
  assert.equal(await page.locator('#error').isVisible(), false, 'an error is shown on the landing page');
  await page.screenshot({ path: path.join(shots, 'landing.png'), fullPage: true });
});

test('typing shows suggestions, navigable with the keyboard', async ({ page, base }) => {
  await page.goto(base);
  const box = page.locator('#q');
  await box.pressSequentially('pipe', { delay: 60 });
  const options = page.locator('#suggestions [role="option"]');
  await options.first().waitFor({ timeout: TIMEOUT_MS });
  assert.ok(await options.count() > 0, 'no suggestion options');
  assert.equal(await box.getAttribute('aria-expanded'), 'true');
  const texts = await options.allTextContents();
  assert.ok(texts.some((t) => /pipe/i.test(t)), `no suggestion contains "pipe": ${JSON.stringify(texts)}`);
  await page.screenshot({ path: path.join(shots, 'suggestions.png') });
  await box.press('ArrowDown');
  const activeId = await box.getAttribute('aria-activedescendant');
  assert.ok(activeId, 'ArrowDown did not set aria-activedescendant');
  assert.equal(await page.locator(`#${activeId}`).getAttribute('aria-selected'), 'true');
  await box.press('Escape');
  await page.locator('#suggestions').waitFor({ state: 'hidden' });
  assert.equal(await box.getAttribute('aria-expanded'), 'false');
});

test('choosing a suggestion with the keyboard runs that search', async ({ page, base }) => {
  await page.goto(base);
  const box = page.locator('#q');
  await box.pressSequentially('pipel', { delay: 60 });
  const first = page.locator('#suggestions [role="option"].completion').first();
  await first.waitFor({ timeout: TIMEOUT_MS });
  const chosen = (await first.locator('.text').textContent()).trim();
  await box.press('ArrowDown');
  await box.press('Enter');
  await page.waitForFunction((q) => document.getElementById('results').dataset.query === q,
    `?q=${encodeURIComponent(chosen)}`, { timeout: TIMEOUT_MS });
  assert.equal(await box.inputValue(), chosen);
});

test('Enter shows results with highlighted snippets, dates, sources and topics', async ({ page, base }) => {
  await page.goto(base);
  await page.locator('#q').pressSequentially('pipeline', { delay: 30 });
  await page.locator('#q').press('Enter');
  await waitForResults(page, '?q=pipeline');
  assert.equal(queryOf(page), '?q=pipeline');
  const hits = page.locator('#hits .hit');
  assert.ok(await hits.count() > 0, 'no hits for "pipeline"');
  assert.ok(await page.locator('#hits mark').count() > 0, 'no <mark> in the results');
  const firstMark = (await page.locator('#hits mark').first().textContent()).toLowerCase();
  assert.ok(firstMark.startsWith('pipe'), `the first highlight is "${firstMark}", not the query word`);
  assert.ok(await page.locator('#hits .hit time').count() > 0, 'no dates shown');
  assert.ok(await page.locator('#hits .hit .source').count() > 0, 'no sources shown');
  assert.ok(await page.locator('#hits .hit .chip').count() > 0, 'no topic chips shown');
  assert.match(await page.locator('#status').textContent(), /result/);
  assert.ok(await totalShown(page) > 0);
  await page.screenshot({ path: path.join(shots, 'results.png'), fullPage: true });
});

test('a topic facet filters, updates the URL, and back/forward/reload restore', async ({ page, base }) => {
  await search(page, base, 'pipeline');
  const before = await totalShown(page);
  const topicInputs = page.locator('fieldset[data-facet="topic"] input[type="checkbox"]');
  assert.ok(await topicInputs.count() > 0, 'no topic facet values');
  // Pick a topic that narrows the results (facet count below the total).
  let chosen = null;
  for (const input of await topicInputs.all()) {
    const count = Number((await input.locator('xpath=..').locator('.facet-count').textContent()).replace(/\D/g, ''));
    if (count > 0 && count < before) {
      chosen = { value: await input.getAttribute('value'), count, input };
      break;
    }
  }
  assert.ok(chosen, `no topic facet value narrows ${before} results`);
  await chosen.input.click();
  const filtered = `?q=pipeline&topic=${encodeURIComponent(chosen.value)}`;
  await waitForResults(page, filtered);
  assert.equal(queryOf(page), filtered, 'the URL does not carry the topic filter');
  const after = await totalShown(page);
  assert.equal(after, chosen.count, `the facet said ${chosen.count} but the filtered search shows ${after}`);
  assert.notEqual(after, before, 'the result count did not change');
  assert.equal(await page.locator(`fieldset[data-facet="topic"] input[value="${chosen.value}"]`).isChecked(), true);
  for (const hit of await page.locator('#hits .hit').all()) {
    assert.ok(await hit.locator(`.chip[data-topic="${chosen.value}"]`).count() === 1, 'a hit lacks the selected topic');
  }
  await page.screenshot({ path: path.join(shots, 'facet-filtered.png'), fullPage: true });

  await page.goBack();
  await waitForResults(page, '?q=pipeline');
  assert.equal(await totalShown(page), before, 'back did not restore the unfiltered count');
  assert.equal(await page.locator(`fieldset[data-facet="topic"] input[value="${chosen.value}"]`).isChecked(), false);
  assert.equal(await page.locator('#q').inputValue(), 'pipeline');

  await page.goForward();
  await waitForResults(page, filtered);
  assert.equal(await totalShown(page), after, 'forward did not restore the filtered count');

  await page.reload();
  await waitForResults(page, filtered);
  assert.equal(await totalShown(page), after, 'reload did not restore the filtered count');
  assert.equal(await page.locator(`fieldset[data-facet="topic"] input[value="${chosen.value}"]`).isChecked(), true);
});

test('two values of one facet are ORed', async ({ page, base }) => {
  await page.goto(`${base}?q=pipeline`);
  await waitForResults(page, '?q=pipeline');
  const values = await page.locator('fieldset[data-facet="source"] input').all();
  assert.ok(values.length >= 2, 'the fixture corpus should give two sources');
  await values[0].click();
  await page.waitForFunction(() => new URL(location.href).searchParams.getAll('source').length === 1);
  await waitForResults(page, new URL(page.url()).search);
  const one = await totalShown(page);
  await page.locator('fieldset[data-facet="source"] input:not(:checked)').first().click();
  await page.waitForFunction(() => new URL(location.href).searchParams.getAll('source').length === 2);
  await waitForResults(page, new URL(page.url()).search);
  const two = await totalShown(page);
  assert.ok(two > one, `adding a second source should widen the results (${one} -> ${two})`);
});

test('sort, date range and paging are kept in the URL', async ({ page, base }) => {
  const q = 'gas election football sanctions military';
  await search(page, base, q);
  const total = await totalShown(page);
  assert.ok(total > 10, `need more than one page of results, got ${total}`);
  await page.locator('#pager a[aria-label="Page 2"]').click();
  await page.waitForFunction(() => new URL(location.href).searchParams.get('page') === '2');
  await waitForResults(page, new URL(page.url()).search);
  assert.match(await page.locator('#status').textContent(), /^11–/);
  assert.equal(await page.locator('#pager [aria-current="page"]').textContent(), '2');

  await page.locator('#sort').selectOption('date');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('sort') === 'date');
  await waitForResults(page, new URL(page.url()).search);
  assert.equal(new URL(page.url()).searchParams.get('page'), null, 'changing the sort should go back to page 1');
  const dates = await page.locator('#hits .hit time').evaluateAll((ts) => ts.map((t) => t.getAttribute('datetime')));
  assert.deepEqual(dates, [...dates].sort().reverse(), 'newest-first sort is not in date order');

  await page.locator('#from').fill('2022-01-01');
  await page.locator('#to').fill('2022-12-31');
  await page.locator('#date-form button[type="submit"]').click();
  await page.waitForFunction(() => new URL(location.href).searchParams.get('to') === '2022-12-31');
  await waitForResults(page, new URL(page.url()).search);
  const inRange = await page.locator('#hits .hit time').evaluateAll((ts) => ts.map((t) => t.getAttribute('datetime')));
  assert.ok(inRange.length > 0, 'no results in 2022');
  assert.ok(inRange.every((d) => d >= '2022-01-01' && d <= '2022-12-31'), `dates outside 2022: ${inRange}`);
  assert.ok(await totalShown(page) < total, 'the date range did not narrow the results');
});

test('"did you mean" and the trend chart follow the API', async ({ page, base }) => {
  for (const q of ['pipline', 'pipeline']) {
    const api = await (await fetch(`${base}search?q=${q}&limit=1`)).json();
    const trends = await fetch(`${base}trends?q=${q}&interval=month`);
    await page.goto(`${base}?q=${q}`);
    await waitForResults(page, `?q=${q}`);
    const dym = page.locator('#did-you-mean');
    if (typeof api.suggestion === 'string' && api.suggestion && api.suggestion !== q) {
      assert.equal(await dym.locator('a').textContent(), api.suggestion);
      await page.screenshot({ path: path.join(shots, 'did-you-mean.png') });
      await dym.locator('a').click();
      await waitForResults(page, `?q=${encodeURIComponent(api.suggestion)}`);
    } else {
      assert.equal(await dym.isVisible(), false, `"did you mean" shown although the API suggests nothing for ${q}`);
    }
    if (q === 'pipeline') {
      if (trends.ok) {
        const body = await trends.json();
        const nonEmpty = (body.buckets || []).filter((b) => b.count > 0).length;
        if (nonEmpty >= 2) {
          await page.locator('#trend').waitFor({ timeout: TIMEOUT_MS });
          assert.ok(await page.locator('#trend rect.bar').count() >= 2, 'the trend chart has fewer than two bars');
          const label = await page.locator('#trend svg').getAttribute('aria-label');
          assert.match(label, /Matching articles per/);
        }
      } else {
        await page.waitForTimeout(300);
        assert.equal(await page.locator('#trend').isVisible(), false, 'a trend chart shown although /trends failed');
      }
    }
  }
});

test('server errors are shown politely, and markup in data is never executed', async ({ page, base }) => {
  await page.route('**/search?**', (route) => route.fulfill({
    status: 503,
    contentType: 'application/json',
    body: JSON.stringify({ error: { code: 'overloaded', message: 'the search queue is full; retry shortly' } }),
  }));
  await page.goto(`${base}?q=energy`);
  await page.locator('#error').waitFor({ timeout: TIMEOUT_MS });
  const text = await page.locator('#error').textContent();
  assert.match(text, /busy|try again/i);
  assert.doesNotMatch(text, /[{}]/, 'raw JSON shown to the reader');
  assert.equal(await page.locator('#error').getAttribute('role'), 'alert');
  await page.screenshot({ path: path.join(shots, 'error.png') });

  await page.unroute('**/search?**');
  await page.route('**/search?**', (route) => route.fulfill({
    status: 200,
    contentType: 'application/json',
    body: JSON.stringify({
      query: { q: 'x', parsed: 'x' }, generation: 'g1', total: { value: 1, exact: true, lower: 1, upper: 1 }, took_ms: 1,
      hits: [{ id: 'evil', title: '<img src=x onerror="window.__pwned=1"><mark>x</mark>', url: 'javascript:window.__pwned=2',
        source: '<b>Bold Source</b>', author: ['<i>A</i>'], date: '2024-01-01', lang: 'en', topics: ['<script>t</script>'],
        score: 1, snippet: 'a <mark>x</mark> <script>window.__pwned=3</script>' }],
      facets: { source: [{ value: '<img src=y onerror="window.__pwned=4">', count: 1 }] }, suggestion: null, next_cursor: null,
    }),
  }));
  await page.goto(`${base}?q=x`);
  await waitForResults(page, '?q=x');
  await page.waitForTimeout(200);
  assert.equal(await page.evaluate(() => window.__pwned), undefined, 'injected markup ran');
  assert.equal(await page.locator('#hits img, #facets img, #hits script, #hits b').count(), 0, 'injected elements were created');
  assert.equal(await page.locator('#hits .source').textContent(), '<b>Bold Source</b>');
  assert.equal(await page.locator('#hits mark').count(), 2);
  const href = await page.locator('#hits .hit-title a').getAttribute('href');
  assert.ok(!/^javascript:/i.test(href), `unsafe link kept: ${href}`);
});

test('the page fits a phone screen', async ({ page, base }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await search(page, base, 'election');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px on a phone`);
  assert.equal(await page.locator('#filters').isVisible(), false, 'filters should fold away on a phone');
  await page.screenshot({ path: path.join(shots, 'phone.png'), fullPage: true });
  await page.locator('#filters-toggle').click();
  assert.equal(await page.locator('#filters').isVisible(), true);
  assert.equal(await page.locator('#filters-toggle').getAttribute('aria-expanded'), 'true');
  await page.screenshot({ path: path.join(shots, 'phone-filters.png'), fullPage: true });
});

async function openWidgetHost(page, base, hostSite) {
  assert.notEqual(new URL(hostSite.url).origin, new URL(base).origin, 'the host site must be another origin');
  await page.goto(hostSite.url);
  const box = page.locator('#search input[type="search"]');
  await box.waitFor({ timeout: TIMEOUT_MS });
  assert.equal(await page.evaluate(() => document.querySelector('#search').shadowRoot !== null), true, 'no shadow root');
  return box;
}

function trackFailedRequests(page) {
  const failed = [];
  page.on('requestfailed', (r) => failed.push(`${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => {
    if (r.status() >= 400) failed.push(`${r.url()} HTTP ${r.status()}`);
  });
  return failed;
}

test('the widget on another origin shows highlighted results (CORS)', async ({ page, base, hostSite }) => {
  const failed = trackFailedRequests(page);
  const box = await openWidgetHost(page, base, hostSite);
  await box.fill('pipeline');
  await box.press('Enter');
  const status = page.locator('#search [role="status"]');
  await page.waitForFunction(() => {
    const s = document.querySelector('#search').shadowRoot.querySelector('[role="status"]');
    return s && s.textContent && !s.textContent.startsWith('Searching');
  }, null, { timeout: TIMEOUT_MS });
  assert.deepEqual(failed, [], 'requests failed (is CORS allowed for this origin?)');
  assert.match(await status.textContent(), /result/, `the widget says: ${await status.textContent()}`);
  const hits = page.locator('#search li.hit');
  assert.ok(await hits.count() > 0, 'no results in the widget');
  assert.ok(await hits.count() <= 4, 'data-gazette-limit ignored');
  assert.ok(await page.locator('#search li.hit mark').count() > 0, 'no highlights in widget results');
  // The host page's loud styles must not reach inside the widget.
  const color = await page.locator('#search li.hit .snip').first().evaluate((e) => getComputedStyle(e).color);
  assert.notEqual(color, 'rgb(255, 0, 0)', 'host page styles leaked into the widget');
  await page.screenshot({ path: path.join(shots, 'widget-results.png'), fullPage: true });
});

test('the widget on another origin shows suggestions while typing', async ({ page, base, hostSite }) => {
  const failed = trackFailedRequests(page);
  const box = await openWidgetHost(page, base, hostSite);
  await box.pressSequentially('pipe', { delay: 60 });
  await page.locator('#search [role="option"]').first().waitFor({ timeout: TIMEOUT_MS }).catch(() => {
    throw new Error(`no suggestions appeared; failed requests: ${JSON.stringify(failed)}`);
  });
  assert.equal(await box.getAttribute('aria-expanded'), 'true');
  await page.screenshot({ path: path.join(shots, 'widget-suggestions.png') });
  // A click (not the keyboard) also proves that the list is not clipped or covered: Playwright
  // only clicks where the option itself receives the pointer.
  const first = page.locator('#search [role="option"]').first();
  const text = (await first.textContent()).trim();
  await first.click({ timeout: 5000 });
  await page.locator('#search li.hit').first().waitFor({ timeout: TIMEOUT_MS });
  assert.ok((await box.inputValue()).includes(text.replace(/\d+$/, '').trim()), 'the chosen suggestion is not in the box');
});

test('the widget demo page works on the server itself', async ({ page, base }) => {
  await page.goto(`${base}widget-demo.html`);
  const box = page.locator('#search input[type="search"]');
  await box.fill('election');
  await box.press('Enter');
  await page.locator('#search li.hit').first().waitFor({ timeout: TIMEOUT_MS });
  assert.ok(await page.locator('#search li.hit').count() > 0);
  await page.screenshot({ path: path.join(shots, 'widget-demo.png'), fullPage: true });
});

// ---------------------------------------------------------------------------------------------
// Runner

async function main() {
  const { chromium } = await import('playwright-core').catch(() => {
    throw new EnvironmentError(`playwright-core is not installed: run "npm ci" in ${here}`);
  });
  if (!fs.existsSync(chromiumPath)) {
    throw new EnvironmentError(`no browser at ${chromiumPath}: apt-get install -y chromium, or set GAZETTE_CHROMIUM`);
  }
  fs.mkdirSync(shots, { recursive: true });
  // Failure screenshots of an earlier run would mislead: start clean.
  for (const f of fs.readdirSync(shots)) {
    if (f.startsWith('FAILED-')) fs.rmSync(path.join(shots, f));
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-browser-'));
  let server = null;
  let hostSite = null;
  let context = null;
  let passed = 0;
  let failed = 0;
  try {
    if (process.env.GAZETTE_TEST_BASE_URL) {
      server = { base: new URL(process.env.GAZETTE_TEST_BASE_URL).href, stop: async () => {}, logTail: () => '' };
    } else {
      server = await startSearchd(tmp);
    }
    console.log(`searchd at ${server.base}`);
    hostSite = await startHostSite(server.base);
    context = await chromium.launchPersistentContext(path.join(tmp, 'profile'), {
      executablePath: chromiumPath,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
      viewport: { width: 1280, height: 900 },
    });
    const filter = process.env.GAZETTE_TEST_FILTER || '';
    for (const t of tests.filter((x) => x.name.includes(filter))) {
      const page = await context.newPage();
      page.setDefaultTimeout(TIMEOUT_MS);
      const pageErrors = [];
      page.on('pageerror', (e) => pageErrors.push(String(e)));
      const started = Date.now();
      try {
        await t.fn({ page, base: server.base, hostSite });
        assert.deepEqual(pageErrors, [], 'uncaught errors in the page');
        passed += 1;
        console.log(`ok   ${t.name} (${Date.now() - started} ms)`);
      } catch (err) {
        failed += 1;
        const name = t.name.replace(/[^a-z0-9]+/gi, '-').toLowerCase().slice(0, 60);
        await page.screenshot({ path: path.join(shots, `FAILED-${name}.png`), fullPage: true }).catch(() => {});
        console.log(`FAIL ${t.name} (${Date.now() - started} ms)\n     ${String(err.stack || err).split('\n').slice(0, 6).join('\n     ')}`);
      } finally {
        await page.close().catch(() => {});
      }
    }
  } finally {
    await context?.close().catch(() => {});
    hostSite?.close();
    if (failed > 0 && server?.logTail) console.log(`--- searchd log (last lines) ---\n${server.logTail()}`);
    await server?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

main().then((code) => {
  process.exitCode = code;
}, (err) => {
  console.error(err instanceof EnvironmentError ? `browser tests cannot run: ${err.message}` : err);
  console.log('0 passed, 1 failed');
  process.exitCode = err instanceof EnvironmentError ? 2 : 1;
});
