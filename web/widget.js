/*
 * Gazette search widget: a search box with suggestions and results for any web page.
 *
 *   <div id="search"></div>
 *   <script src="https://search.example.org/widget.js" data-gazette-target="#search"></script>
 *
 * The API base is where this script was loaded from, so the page needs no other setting; the
 * search server must allow the page's origin in its [cors] origins. Everything is drawn inside a
 * Shadow DOM so that the host page's styles and ours never mix. Options (data-* attributes on the
 * script tag, or the second argument of window.Gazette.mount(element, options)):
 *
 *   data-gazette-target       CSS selector of the element to fill (default: a new element after the script)
 *   data-gazette-api          API base URL (default: the folder this script was loaded from)
 *   data-gazette-limit        results shown (default 5, at most 20)
 *   data-gazette-placeholder  placeholder text of the box
 *   data-gazette-source       comma list: only these sources (for example your own site)
 *   data-gazette-topic        comma list: only these topics
 *   data-gazette-key          public search-only API key, when the server requires one
 *   data-gazette-manual       do not mount automatically; call window.Gazette.mount(element, options)
 *
 * Theming: the host page may set --gazette-accent, --gazette-text, --gazette-muted,
 * --gazette-bg, --gazette-border, --gazette-mark, --gazette-font on the target element.
 */
(function () {
  'use strict';

  var script = document.currentScript;
  var scriptBase = script && script.src ? new URL('.', script.src).href : new URL('.', window.location.href).href;
  var counter = 0;

  var CSS = [
    ':host{all:initial;display:block;font-family:var(--gazette-font,system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif);',
    'font-size:15px;line-height:1.45;color:var(--gazette-text,#1c1e21);',
    '--a:var(--gazette-accent,#1d4ed8);--m:var(--gazette-muted,#555b64);--b:var(--gazette-border,#d2d6dc);--bg:var(--gazette-bg,#fff)}',
    '*{box-sizing:border-box}',
    '.vh{position:absolute;width:1px;height:1px;margin:-1px;padding:0;border:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}',
    'form{display:flex;gap:6px;margin:0}',
    '.combo{position:relative;flex:1;min-width:0}',
    'input{width:100%;font:inherit;color:inherit;padding:8px 10px;border:1px solid var(--b);border-radius:8px;background:var(--bg)}',
    'button{font:inherit;cursor:pointer;padding:8px 14px;border-radius:8px;border:1px solid var(--a);background:var(--a);color:#fff;font-weight:600}',
    ':focus-visible{outline:3px solid #f59e0b;outline-offset:2px}',
    'input:focus-visible{outline-offset:0}',
    '[role=listbox]{position:absolute;left:0;right:0;top:calc(100% + 3px);margin:0;padding:4px 0;list-style:none;background:var(--bg);',
    'border:1px solid var(--b);border-radius:8px;box-shadow:0 8px 24px rgba(0,0,0,.15);z-index:2147483000;max-height:18em;overflow-y:auto}',
    '[role=listbox][hidden]{display:none}',
    '[role=option]{padding:6px 10px;cursor:pointer;display:flex;justify-content:space-between;gap:12px}',
    '[role=option][aria-selected=true],[role=option]:hover{background:#e8eefc;color:#1e3a8a}',
    '[role=option].ttl{display:block;font-size:.95em}',
    '.cnt{color:var(--m);font-size:.85em}',
    '.grp{padding:6px 10px 2px;font-size:.72em;font-weight:700;text-transform:uppercase;letter-spacing:.05em;color:var(--m);border-top:1px solid var(--b)}',
    '.status{margin:8px 0 0;color:var(--m);font-size:.9em;min-height:1px}',
    '.status.err{color:#8a1c1c}',
    'ol{list-style:none;margin:4px 0 0;padding:0}',
    'li.hit{padding:8px 0;border-bottom:1px solid var(--b)}',
    'li.hit:last-child{border-bottom:0}',
    '.t{font-weight:600;color:var(--a);text-decoration:none}',
    '.t:hover{text-decoration:underline}',
    '.meta{color:var(--m);font-size:.82em}',
    '.snip{margin:2px 0 0;font-size:.92em;overflow-wrap:anywhere}',
    'mark{background:var(--gazette-mark,#fde68a);color:inherit;padding:0 .1em;border-radius:2px}',
    '.more{margin:6px 0 0;font-size:.9em}',
    '.more a{color:var(--a)}'
  ].join('');

  function splitList(value) {
    return String(value || '').split(',').map(function (s) { return s.trim(); }).filter(Boolean);
  }

  function safeUrl(url, base) {
    if (typeof url !== 'string' || !url.trim()) return null;
    try {
      var u = new URL(url, base);
      return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
    } catch (e) {
      return null;
    }
  }

  /* Server titles/snippets are HTML-escaped with <mark> inserted; keep <mark>, reduce anything else to text. */
  function appendMarked(parent, html) {
    var tpl = document.createElement('template');
    tpl.innerHTML = String(html == null ? '' : html);
    (function clean(node) {
      Array.prototype.slice.call(node.childNodes).forEach(function (child) {
        if (child.nodeType === 1) {
          if (child.localName === 'mark') {
            Array.prototype.slice.call(child.attributes).forEach(function (a) { child.removeAttribute(a.name); });
            clean(child);
          } else {
            child.replaceWith(document.createTextNode(child.textContent));
          }
        } else if (child.nodeType !== 3) {
          child.remove();
        }
      });
    })(tpl.content);
    parent.appendChild(tpl.content);
    return parent;
  }

  function markupToText(html) {
    var tpl = document.createElement('template');
    tpl.innerHTML = String(html == null ? '' : html);
    return tpl.content.textContent;
  }

  function h(tag, cls, text) {
    var n = document.createElement(tag);
    if (cls) n.className = cls;
    if (text != null) n.textContent = String(text);
    return n;
  }

  function errorText(status, body) {
    if (status === 0) return 'Search is unavailable right now.';
    if (status === 429) return 'Too many searches; please wait a moment.';
    if (status === 400 && body && body.error && body.error.message) return 'This search could not be run: ' + body.error.message;
    if (status === 401 || status === 403) return 'This search box is not allowed to use the search service.';
    return 'Search had a problem; please try again.';
  }

  /**
   * Fills `target` with a search widget. Returns {search(q), destroy()}.
   * Throws TypeError when target is not an element.
   */
  function mount(target, options) {
    if (!(target instanceof Element)) throw new TypeError('Gazette.mount: target must be an element');
    options = options || {};
    var base = new URL(options.api || scriptBase, window.location.href).href;
    if (base.charAt(base.length - 1) !== '/') base += '/';
    var limit = Math.min(20, Math.max(1, parseInt(options.limit, 10) || 5));
    var sources = Array.isArray(options.source) ? options.source : splitList(options.source);
    var topics = Array.isArray(options.topic) ? options.topic : splitList(options.topic);
    var key = options.key || '';
    var uid = 'gz' + (++counter);

    var root = target.shadowRoot || target.attachShadow({ mode: 'open' });
    root.innerHTML = '';
    var style = document.createElement('style');
    style.textContent = CSS;
    var wrap = h('div', 'gz');
    wrap.setAttribute('part', 'root');
    var form = h('form');
    form.setAttribute('role', 'search');
    var label = h('label', 'vh', 'Search');
    label.htmlFor = uid + '-q';
    var combo = h('div', 'combo');
    var input = h('input');
    input.type = 'search';
    input.id = uid + '-q';
    input.autocomplete = 'off';
    input.spellcheck = false;
    input.placeholder = options.placeholder || 'Search articles';
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-expanded', 'false');
    input.setAttribute('aria-controls', uid + '-list');
    var list = h('ul');
    list.id = uid + '-list';
    list.setAttribute('role', 'listbox');
    list.setAttribute('aria-label', 'Suggestions');
    list.hidden = true;
    var button = h('button', null, 'Search');
    button.type = 'submit';
    combo.append(input, list);
    form.append(label, combo, button);
    var status = h('p', 'status');
    status.setAttribute('role', 'status');
    status.setAttribute('aria-live', 'polite');
    var results = h('ol', 'results');
    results.setAttribute('aria-label', 'Search results');
    var more = h('p', 'more');
    more.hidden = true;
    var moreLink = h('a', null, 'All results');
    moreLink.target = '_blank';
    moreLink.rel = 'noopener';
    more.appendChild(moreLink);
    wrap.append(form, status, results, more);
    root.append(style, wrap);

    var options_ = [];
    var active = -1;
    var timer = null;
    var suggestCtl = null;
    var searchCtl = null;

    function request(path, params, signal) {
      var url = new URL(path, base);
      params.forEach(function (p) { url.searchParams.append(p[0], p[1]); });
      var headers = { Accept: 'application/json' };
      if (key) headers.Authorization = 'Bearer ' + key;
      return fetch(url.href, { signal: signal, headers: headers, mode: 'cors', credentials: 'omit' })
        .then(function (res) {
          return res.json().catch(function () { return null; }).then(function (body) {
            if (!res.ok || !body) {
              var err = new Error(errorText(res.status, body));
              err.status = res.status;
              throw err;
            }
            return body;
          });
        }, function (e) {
          if (e && e.name === 'AbortError') throw e;
          var err = new Error(errorText(0));
          err.status = 0;
          throw err;
        });
    }

    function filterParams(q) {
      var p = [['q', q]];
      sources.forEach(function (s) { p.push(['source', s]); });
      topics.forEach(function (t) { p.push(['topic', t]); });
      return p;
    }

    function closeList() {
      clearTimeout(timer);
      if (suggestCtl) suggestCtl.abort();
      list.hidden = true;
      active = -1;
      input.setAttribute('aria-expanded', 'false');
      input.removeAttribute('aria-activedescendant');
    }

    function setActive(i) {
      var items = list.querySelectorAll('[role=option]');
      Array.prototype.forEach.call(items, function (li, j) { li.setAttribute('aria-selected', String(j === i)); });
      active = i;
      if (items[i]) {
        input.setAttribute('aria-activedescendant', items[i].id);
        items[i].scrollIntoView({ block: 'nearest' });
      }
    }

    function renderList(typed, data) {
      options_ = [];
      var before = typed.replace(/\S*$/, '');
      (Array.isArray(data.completions) ? data.completions : []).forEach(function (c) {
        var text = typeof c === 'string' ? c : c && c.text;
        if (!text) return;
        var whole = /\s/.test(text.trim()) && text.toLowerCase().indexOf(typed.trim().toLowerCase()) === 0;
        options_.push({ kind: 'completion', value: whole ? text : before + text, count: c && c.count });
      });
      (Array.isArray(data.titles) ? data.titles : []).forEach(function (t) {
        if (t && t.title) options_.push({ kind: 'title', value: t.title, url: t.url });
      });
      list.innerHTML = '';
      active = -1;
      input.removeAttribute('aria-activedescendant');
      if (!options_.length) {
        closeList();
        return;
      }
      var headed = false;
      options_.forEach(function (o, i) {
        if (o.kind === 'title' && !headed) {
          headed = true;
          var g = h('li', 'grp', 'Articles');
          g.setAttribute('role', 'presentation');
          list.appendChild(g);
        }
        var li = h('li');
        li.id = uid + '-opt-' + i;
        li.setAttribute('role', 'option');
        li.setAttribute('aria-selected', 'false');
        li.dataset.index = String(i);
        if (o.kind === 'title') {
          li.className = 'ttl';
          appendMarked(li, o.value);
        } else {
          li.appendChild(h('span', null, o.value));
          if (typeof o.count === 'number') {
            var c = h('span', 'cnt', o.count);
            c.setAttribute('aria-hidden', 'true');
            li.appendChild(c);
          }
        }
        list.appendChild(li);
      });
      list.hidden = false;
      input.setAttribute('aria-expanded', 'true');
    }

    function suggest() {
      var typed = input.value;
      if (suggestCtl) suggestCtl.abort();
      if (!typed.trim()) {
        closeList();
        return;
      }
      var ctl = new AbortController();
      suggestCtl = ctl;
      request('suggest', [['q', typed], ['limit', '6']], ctl.signal).then(function (data) {
        if (!ctl.signal.aborted && input.value === typed && root.activeElement === input) renderList(typed, data);
      }, function () {
        if (!ctl.signal.aborted) closeList();
      });
    }

    function search(q) {
      q = String(q || '').trim();
      closeList();
      if (searchCtl) searchCtl.abort();
      if (!q) {
        results.innerHTML = '';
        status.textContent = '';
        more.hidden = true;
        return Promise.resolve();
      }
      var ctl = new AbortController();
      searchCtl = ctl;
      status.className = 'status';
      status.textContent = 'Searching…';
      var params = filterParams(q).concat([['limit', String(limit)], ['snippet', '160'], ['facets', '']]);
      return request('search', params, ctl.signal).then(function (data) {
        if (ctl.signal.aborted) return;
        var hits = Array.isArray(data.hits) ? data.hits : [];
        var total = data.total && Number(data.total.value) || 0;
        results.innerHTML = '';
        hits.forEach(function (hit) {
          var li = h('li', 'hit');
          var href = safeUrl(hit.url, base) || new URL('articles/' + encodeURIComponent(hit.id || ''), base).href;
          var a = h('a', 't');
          a.href = href;
          a.target = '_top';
          appendMarked(a, hit.title || hit.id || 'Untitled');
          li.appendChild(a);
          var meta = [hit.source, typeof hit.date === 'string' ? hit.date.slice(0, 10) : ''].filter(Boolean).join(' · ');
          if (meta) li.appendChild(h('div', 'meta', meta));
          if (hit.snippet) li.appendChild(appendMarked(h('p', 'snip'), hit.snippet));
          results.appendChild(li);
        });
        if (total === 0) {
          status.textContent = typeof data.suggestion === 'string' && data.suggestion
            ? 'No results. Did you mean “' + data.suggestion + '”?' : 'No results for “' + q + '”.';
        } else {
          status.textContent = (data.total && data.total.exact === false ? 'About ' : '') + total + ' result' + (total === 1 ? '' : 's');
        }
        if (total > hits.length) {
          var page = new URL(base);
          filterParams(q).forEach(function (p) { page.searchParams.append(p[0], p[1]); });
          moreLink.href = page.href;
          moreLink.textContent = 'All ' + total + ' results →';
          more.hidden = false;
        } else {
          more.hidden = true;
        }
        if (typeof data.suggestion === 'string' && data.suggestion && total === 0) {
          var dym = h('button', null, 'Search “' + data.suggestion + '”');
          dym.type = 'button';
          dym.style.cssText = 'background:none;color:var(--a);border:0;padding:0;text-decoration:underline;font-weight:400';
          dym.addEventListener('click', function () { input.value = data.suggestion; search(data.suggestion); });
          status.appendChild(document.createTextNode(' '));
          status.appendChild(dym);
        }
      }, function (err) {
        if (ctl.signal.aborted || (err && err.name === 'AbortError')) return;
        results.innerHTML = '';
        more.hidden = true;
        status.className = 'status err';
        status.textContent = err.message;
      });
    }

    input.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(suggest, 150);
    });
    input.addEventListener('keydown', function (e) {
      var n = options_.length;
      if (e.key === 'ArrowDown' && n) {
        e.preventDefault();
        if (list.hidden) { list.hidden = false; input.setAttribute('aria-expanded', 'true'); }
        setActive(active + 1 >= n ? 0 : active + 1);
      } else if (e.key === 'ArrowUp' && n) {
        e.preventDefault();
        if (list.hidden) { list.hidden = false; input.setAttribute('aria-expanded', 'true'); }
        setActive(active <= 0 ? n - 1 : active - 1);
      } else if (e.key === 'Enter' && !list.hidden && active >= 0) {
        e.preventDefault();
        choose(active);
      } else if (e.key === 'Escape' && !list.hidden) {
        e.preventDefault();
        closeList();
      } else if (e.key === 'Tab') {
        closeList();
      }
    });
    input.addEventListener('blur', closeList);
    list.addEventListener('mousedown', function (e) { e.preventDefault(); });
    list.addEventListener('click', function (e) {
      var li = e.target.closest('[role=option]');
      if (li) choose(Number(li.dataset.index));
    });
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      search(input.value);
    });

    function choose(i) {
      var o = options_[i];
      if (!o) return;
      closeList();
      if (o.kind === 'title' && safeUrl(o.url, base)) {
        window.open(safeUrl(o.url, base), '_top');
        return;
      }
      var q = o.kind === 'title' ? '"' + markupToText(o.value).replace(/"/g, '') + '"' : o.value;
      input.value = q;
      search(q);
    }

    return {
      search: function (q) { input.value = String(q || ''); return search(q); },
      destroy: function () { closeList(); if (searchCtl) searchCtl.abort(); root.innerHTML = ''; }
    };
  }

  function autoMount() {
    if (!script || script.hasAttribute('data-gazette-manual')) return;
    var d = script.dataset;
    var selector = d.gazetteTarget;
    var target = selector ? document.querySelector(selector) : null;
    if (!target) {
      target = document.createElement('div');
      script.parentNode.insertBefore(target, script.nextSibling);
    }
    mount(target, {
      api: d.gazetteApi, limit: d.gazetteLimit, placeholder: d.gazettePlaceholder,
      source: d.gazetteSource, topic: d.gazetteTopic, key: d.gazetteKey
    });
  }

  window.Gazette = window.Gazette || {};
  window.Gazette.mount = mount;
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', autoMount);
  } else {
    autoMount();
  }
})();
