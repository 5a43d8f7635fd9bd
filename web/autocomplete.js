// Autocomplete for the search box, following the WAI-ARIA combobox pattern (list autocomplete,
// focus stays in the input, the active option is announced through aria-activedescendant).

import { appendMarked, debounce, el, formatCount, getJson, markupToText } from './lib.js';

/** Normalises a /suggest response into [{kind, label, value, count?, url?}]. */
export function suggestionOptions(typed, data) {
  const options = [];
  const before = typed.replace(/\S*$/, '');
  const lastWord = typed.slice(before.length).toLowerCase();
  const completions = Array.isArray(data?.completions) ? data.completions : [];
  for (const c of completions) {
    const text = typeof c === 'string' ? c : c?.text;
    if (typeof text !== 'string' || text === '') {
      continue;
    }
    // Completions are of the last word; a server that returns a whole query is accepted too.
    const whole = /\s/.test(text.trim()) && text.toLowerCase().startsWith(typed.trim().toLowerCase());
    const value = whole ? text : before + text;
    if (!whole && text.toLowerCase() === lastWord && completions.length === 1) {
      continue; // nothing to complete
    }
    options.push({ kind: 'completion', label: value, value, count: typeof c === 'object' ? c.count : undefined });
  }
  const titles = Array.isArray(data?.titles) ? data.titles : [];
  for (const t of titles) {
    if (t && typeof t.title === 'string' && t.title !== '') {
      // Titles come HTML-escaped with <mark>: label keeps the markup, value is plain text.
      options.push({ kind: 'title', label: t.title, value: markupToText(t.title), url: t.url, id: t.id });
    }
  }
  return options;
}

/**
 * Wires `input` (role=combobox) and `listbox` (role=listbox). `onChoose(option)` runs when an
 * option is picked with Enter or a click. Call `close()` when a search is submitted.
 */
export class Autocomplete {
  constructor(input, listbox, { onChoose, limit = 8, delayMs = 150 } = {}) {
    this.input = input;
    this.listbox = listbox;
    this.onChoose = onChoose;
    this.limit = limit;
    this.options = [];
    this.active = -1;
    this.controller = null;
    this.fetchLater = debounce(() => this.fetch(), delayMs);

    input.addEventListener('input', () => this.fetchLater());
    input.addEventListener('keydown', (e) => this.onKeyDown(e));
    input.addEventListener('blur', () => this.close());
    // Keep focus in the input while clicking an option.
    listbox.addEventListener('mousedown', (e) => e.preventDefault());
    listbox.addEventListener('click', (e) => {
      const li = e.target.closest('[role="option"]');
      if (li) {
        this.choose(Number(li.dataset.index));
      }
    });
  }

  get isOpen() {
    return !this.listbox.hidden;
  }

  async fetch() {
    const typed = this.input.value;
    this.controller?.abort();
    if (typed.trim() === '' || document.activeElement !== this.input) {
      this.close();
      return;
    }
    const controller = new AbortController();
    this.controller = controller;
    try {
      const data = await getJson('suggest', [['q', typed], ['limit', String(this.limit)]],
        { signal: controller.signal });
      if (controller.signal.aborted || this.input.value !== typed) {
        return;
      }
      this.render(suggestionOptions(typed, data));
    } catch {
      // Suggestions are a convenience: on any failure just show none.
      if (!controller.signal.aborted) {
        this.close();
      }
    }
  }

  render(options) {
    this.options = options;
    this.active = -1;
    this.listbox.replaceChildren();
    if (options.length === 0) {
      this.close();
      return;
    }
    let titlesHeaded = false;
    options.forEach((opt, i) => {
      if (opt.kind === 'title' && !titlesHeaded) {
        titlesHeaded = true;
        this.listbox.append(el('li', { className: 'group', text: 'Articles', attrs: { role: 'presentation' } }));
      }
      const li = el('li', {
        className: `option ${opt.kind}`,
        attrs: { role: 'option', id: `${this.listbox.id}-opt-${i}`, 'aria-selected': 'false' },
      });
      li.dataset.index = String(i);
      if (opt.kind === 'title') {
        appendMarked(li, opt.label);
      } else {
        li.append(el('span', { className: 'text', text: opt.label }));
        if (Number.isFinite(opt.count)) {
          li.append(el('span', { className: 'count', text: formatCount(opt.count), attrs: { 'aria-hidden': 'true' } }));
        }
      }
      this.listbox.append(li);
    });
    this.listbox.hidden = false;
    this.input.setAttribute('aria-expanded', 'true');
    this.input.removeAttribute('aria-activedescendant');
  }

  setActive(index) {
    const items = this.listbox.querySelectorAll('[role="option"]');
    items.forEach((li, i) => li.setAttribute('aria-selected', String(i === index)));
    this.active = index;
    if (index >= 0 && items[index]) {
      this.input.setAttribute('aria-activedescendant', items[index].id);
      items[index].scrollIntoView({ block: 'nearest' });
    } else {
      this.input.removeAttribute('aria-activedescendant');
    }
  }

  onKeyDown(e) {
    const n = this.options.length;
    switch (e.key) {
      case 'ArrowDown':
        if (n === 0) {
          return;
        }
        e.preventDefault();
        if (!this.isOpen) {
          this.render(this.options);
        }
        this.setActive(this.active + 1 >= n ? 0 : this.active + 1);
        break;
      case 'ArrowUp':
        if (n === 0) {
          return;
        }
        e.preventDefault();
        if (!this.isOpen) {
          this.render(this.options);
        }
        this.setActive(this.active <= 0 ? n - 1 : this.active - 1);
        break;
      case 'Enter':
        if (this.isOpen && this.active >= 0) {
          e.preventDefault();
          this.choose(this.active);
        }
        break;
      case 'Escape':
        if (this.isOpen) {
          e.preventDefault();
          this.close();
        }
        break;
      case 'Tab':
        this.close();
        break;
      default:
        break;
    }
  }

  choose(index) {
    const opt = this.options[index];
    if (!opt) {
      return;
    }
    this.close();
    this.onChoose?.(opt);
  }

  /** Hides the list and cancels pending fetches (used on submit, blur, Escape). */
  close() {
    this.fetchLater.cancel();
    this.controller?.abort();
    this.controller = null;
    this.listbox.hidden = true;
    this.active = -1;
    this.input.setAttribute('aria-expanded', 'false');
    this.input.removeAttribute('aria-activedescendant');
  }
}
