// Trend chart: matching-article counts per interval as inline SVG bars (no chart library).

const SVG = 'http://www.w3.org/2000/svg';

function svg(tag, attrs = {}, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) {
    node.setAttribute(k, String(v));
  }
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}

function nextMonth(key) {
  let [y, m] = key.split('-').map(Number);
  m += 1;
  if (m > 12) {
    m = 1;
    y += 1;
  }
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}`;
}

/**
 * Sorts buckets, fills empty months/years between the first and the last (servers usually omit
 * them, and a chart with gaps closed up would lie), and folds long monthly series into years.
 */
export function normaliseBuckets(buckets, maxBars = 48) {
  let list = (Array.isArray(buckets) ? buckets : [])
    .filter((b) => b && typeof b.key === 'string' && Number.isFinite(Number(b.count)))
    .map((b) => ({ key: b.key, count: Number(b.count) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  if (list.length === 0) {
    return { interval: null, buckets: [] };
  }
  const monthly = list.every((b) => /^\d{4}-\d{2}$/.test(b.key));
  const yearly = list.every((b) => /^\d{4}$/.test(b.key));
  if (monthly) {
    const byKey = new Map(list.map((b) => [b.key, b.count]));
    const filled = [];
    for (let k = list[0].key; k <= list[list.length - 1].key; k = nextMonth(k)) {
      filled.push({ key: k, count: byKey.get(k) ?? 0 });
    }
    // A long, mostly empty monthly series reads better as years.
    const sparse = filled.length > 24 && filled.filter((b) => b.count > 0).length * 3 < filled.length;
    if (filled.length <= maxBars && !sparse) {
      return { interval: 'month', buckets: filled };
    }
    const years = new Map();
    for (const b of filled) {
      const y = b.key.slice(0, 4);
      years.set(y, (years.get(y) ?? 0) + b.count);
    }
    list = [...years].map(([key, count]) => ({ key, count }));
  }
  if (monthly || yearly) {
    const byKey = new Map(list.map((b) => [b.key, b.count]));
    const first = Number(list[0].key);
    const last = Number(list[list.length - 1].key);
    const filled = [];
    for (let y = first; y <= last; y += 1) {
      filled.push({ key: String(y), count: byKey.get(String(y)) ?? 0 });
    }
    return { interval: 'year', buckets: filled };
  }
  return { interval: 'other', buckets: list.slice(-maxBars) };
}

/** Renders the bars into `container` (replacing its content). Returns false when there is nothing to chart. */
export function renderTrend(container, buckets, { onSelect } = {}) {
  const { interval, buckets: bars } = normaliseBuckets(buckets);
  container.replaceChildren();
  const total = bars.reduce((s, b) => s + b.count, 0);
  if (bars.length < 2 || total === 0) {
    return false;
  }
  const width = 600;
  const height = 90;
  const top = 4;
  const bottom = 2;
  const plot = height - top - bottom;
  const max = Math.max(...bars.map((b) => b.count));
  const slot = width / bars.length;
  const gap = Math.min(2, slot * 0.2);
  const peak = bars.find((b) => b.count === max);
  const unit = interval === 'month' ? 'month' : interval === 'year' ? 'year' : 'interval';
  const root = svg('svg', {
    viewBox: `0 0 ${width} ${height}`,
    preserveAspectRatio: 'none',
    role: 'img',
    class: 'trend-svg',
    'aria-label': `Matching articles per ${unit} from ${bars[0].key} to ${bars[bars.length - 1].key}; `
      + `peak of ${max} in ${peak.key}.`,
  });
  root.append(svg('line', { x1: 0, x2: width, y1: top + plot + 0.5, y2: top + plot + 0.5, class: 'axis' }));
  bars.forEach((b, i) => {
    const h = max === 0 ? 0 : Math.max(b.count > 0 ? 2 : 0, (b.count / max) * plot);
    const rect = svg('rect', {
      x: (i * slot + gap / 2).toFixed(2),
      y: (top + plot - h).toFixed(2),
      width: Math.max(1, slot - gap).toFixed(2),
      height: h.toFixed(2),
      class: 'bar',
    });
    rect.append(svg('title', {}, `${b.key}: ${b.count} article${b.count === 1 ? '' : 's'}`));
    if (onSelect && b.count > 0) {
      rect.classList.add('clickable');
      rect.addEventListener('click', () => onSelect(b.key));
    }
    root.append(rect);
  });
  // Labels are HTML, not SVG text: the SVG stretches to the container and would distort glyphs.
  const axis = document.createElement('div');
  axis.className = 'trend-axis';
  axis.setAttribute('aria-hidden', 'true');
  for (const text of [bars[0].key, `peak ${max} (${peak.key})`, bars[bars.length - 1].key]) {
    const span = document.createElement('span');
    span.textContent = text;
    axis.append(span);
  }
  container.append(root, axis);
  return true;
}
