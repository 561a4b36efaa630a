// The search page. Plain ES module, no build step, no dependencies.
//
// All state lives in the URL (?q=&province=…&page=&notice=&passage=), so every view can be linked
// and the back button works: user actions call navigate(), which pushes a URL and re-renders from it.
// Text from the API is only ever inserted with textContent; the one exception is `highlight`, which
// goes through marked(): it keeps the API's <mark> and turns everything else into text.

const FILTERS = ['province', 'city', 'county', 'level', 'inspection', 'year', 'from', 'to'];
const FACETS = [
  ['province', '省份'],
  ['city', '城市'],
  ['county', '区县'],
  ['level', '级别'],
  ['year', '年份'],
  ['inspection', '类型'],
];
const LABELS = Object.fromEntries([...FACETS, ['from', '发布日期自'], ['to', '发布日期至']]);
const WHERE = [
  ['province', '省'],
  ['city', '市'],
  ['county', '县区'],
];
const KEYS = ['q', ...FILTERS, 'mode', 'group', 'sort', 'page', 'by', 'notice', 'passage'];
const RECENT_KEY = 'notice-search:recent';
const RECENT_MAX = 8;
const PAGE_SIZE = 20;
const EXPORT_CAP = 5000;
const EXPORT_PAGE = 100;
const MAX_BARS = 12;

const $ = (id) => document.getElementById(id);

// Where the page lives: a notice's own page is <root>notices/<id>#<passage>, served the same page.
const ROOT = new URL(location.pathname.replace(/notices\/[^/]*$/, ''), location.origin);

// ---------- small DOM helpers ----------

/** h('a', { href, class }, child…): an element; strings become text nodes. */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'text') el.textContent = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  el.append(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
  return el;
}

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
function decodeEntities(s) {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e) => {
    if (e[0] !== '#') return ENTITIES[e.toLowerCase()] ?? m;
    const n = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1));
    return n > 0 && n <= 0x10ffff ? String.fromCodePoint(n) : m;
  });
}

/** The API's highlight (escaped text with <mark>) as DOM: <mark> kept, anything else shown as text. */
export function marked(html) {
  const frag = document.createDocumentFragment();
  let mark = null;
  for (const part of String(html).split(/(<\/?mark>)/i)) {
    if (/^<mark>$/i.test(part)) mark = document.createElement('mark');
    else if (/^<\/mark>$/i.test(part)) {
      if (mark) frag.append(mark);
      mark = null;
    } else if (part) (mark ?? frag).append(decodeEntities(part));
  }
  if (mark) frag.append(mark);
  return frag;
}

/** Wraps literal occurrences of `terms` in <mark> inside el's text nodes (for the notice view). */
function markTerms(el, terms) {
  const words = terms.filter((t) => t.length > 0);
  if (!words.length) return;
  const re = new RegExp(words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'gi');
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  const nodes = [];
  while (walker.nextNode()) nodes.push(walker.currentNode);
  for (const node of nodes) {
    const text = node.nodeValue;
    re.lastIndex = 0;
    if (!re.test(text)) continue;
    re.lastIndex = 0;
    const frag = document.createDocumentFragment();
    let at = 0;
    for (const m of text.matchAll(re)) {
      frag.append(text.slice(at, m.index), h('mark', { text: m[0] }));
      at = m.index + m[0].length;
    }
    frag.append(text.slice(at));
    node.replaceWith(frag);
  }
}

function region(n) {
  return [n.province, n.city, n.county].filter(Boolean).join(' ');
}

/** The words of a query to mark in a notice: quoted phrases and alternatives, not excluded terms. */
function queryTerms(q) {
  const out = [];
  const rest = (q || '').replace(/-?["＂]([^"＂]*)["＂]/g, (m, phrase) => {
    if (!m.startsWith('-')) out.push(phrase.replace(/\s+/g, ''));
    return ' ';
  });
  for (const w of rest.split(/[\s|｜]+/)) if (w && !/^[-－]/.test(w)) out.push(w);
  return out;
}

// ---------- state and URL ----------

function readState() {
  const p = new URLSearchParams(location.search);
  const s = {};
  for (const k of KEYS) s[k] = p.get(k) ?? '';
  // A notice's own URL; ?notice=&passage= (older links) still opens it.
  const own = /^notices\/([^/]+)$/.exec(location.pathname.slice(ROOT.pathname.length));
  if (own) {
    s.notice = decodeURIComponent(own[1]);
    s.passage = decodeURIComponent(location.hash.slice(1));
  }
  s.mode = s.mode === 'hybrid' ? 'hybrid' : 'keyword';
  s.group = s.group === 'notice' ? 'notice' : 'passage';
  s.sort = s.sort === 'date' ? 'date' : 'relevance';
  s.page = Math.max(1, Math.min(5000, parseInt(s.page, 10) || 1));
  for (const k of ['from', 'to']) if (!/^\d{4}-\d{2}-\d{2}$/.test(s[k])) s[k] = '';
  return s;
}

function urlOf(s) {
  const p = new URLSearchParams();
  for (const k of KEYS) {
    if (k === 'notice' || k === 'passage') continue;
    const v = s[k];
    if (v === '' || v === undefined || v === null) continue;
    if ((k === 'mode' && v === 'keyword') || (k === 'group' && v === 'passage') || (k === 'sort' && v === 'relevance') || (k === 'page' && Number(v) === 1)) continue;
    p.set(k, String(v));
  }
  const qs = p.toString();
  const path = s.notice ? `${ROOT.pathname}notices/${encodeURIComponent(s.notice)}` : ROOT.pathname;
  return path + (qs ? `?${qs}` : '') + (s.notice && s.passage ? `#${encodeURIComponent(s.passage)}` : '');
}

let state = readState();

/** Pushes a new URL (state = current state + patch) and renders it. */
async function navigate(patch, { replace = false, from, scroll = false } = {}) {
  const next = { ...state, ...patch };
  const url = urlOf(next);
  if (replace) history.replaceState({ from: history.state?.from }, '', url);
  else history.pushState({ from }, '', url);
  await render();
  // A new page of results: start reading it from the top.
  if (scroll && $('summary').getBoundingClientRect().top < 0) $('summary').scrollIntoView();
}

/** A link that navigates in-page (and still works with middle-click / open in new tab). */
function link(patch, attrs, ...children) {
  const href = urlOf({ ...state, ...patch });
  return h('a', {
    ...attrs,
    href,
    onclick: (e) => {
      if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      e.preventDefault();
      navigate(patch, { from: attrs?.['data-from'], scroll: 'page' in patch && !patch.notice });
    },
  }, ...children);
}

// ---------- API ----------

class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

async function api(path, params = {}, signal) {
  const url = new URL(path, ROOT);
  for (const [k, v] of Object.entries(params)) if (v !== '' && v !== undefined && v !== null) url.searchParams.set(k, String(v));
  let res;
  try {
    res = await fetch(url, { signal, headers: { accept: 'application/json' } });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, 'NETWORK', '无法连接检索服务');
  }
  const body = await res.json().catch(() => null);
  if (!res.ok) throw new ApiError(res.status, body?.error?.code ?? 'HTTP_' + res.status, body?.error?.message ?? res.statusText);
  return body;
}

function searchParams(s, extra = {}) {
  const p = { q: s.q, mode: s.mode, group: s.group, sort: s.sort };
  for (const k of FILTERS) p[k] = s[k];
  return { ...p, ...extra };
}

function explain(err) {
  if (err.code === 'MODEL_UNAVAILABLE') return '混合检索需要语义模型,当前未加载。精确关键词检索仍可使用。';
  if (err.code === 'NOT_READY') return '索引正在建立,请稍候片刻再试……';
  if (err.code === 'NETWORK') return '无法连接检索服务,请检查网络后重试。';
  if (err.code === 'INVALID_PARAMETER') return `检索条件有误:${err.message}`;
  if (err.code === 'QUERY_SYNTAX') return `检索式有误:${err.message.replace(/^q: /, '')}(点“检索语法”查看写法)`;
  if (err.status === 429) return '请求过于频繁,请稍后再试。';
  return `检索出错(${err.code}):${err.message}`;
}

function showError(err) {
  const el = $('error');
  if (!err) {
    el.hidden = true;
    el.textContent = '';
    return;
  }
  el.hidden = false;
  el.textContent = typeof err === 'string' ? err : explain(err);
}

// ---------- render ----------

let searchAbort = null;
let noticeAbort = null;
const cache = new Map();

function hasQuery(s) {
  return Boolean(s.q) || FILTERS.some((k) => s[k]);
}

async function render() {
  state = readState();
  syncForm();
  showError(null);
  closeSuggestions();
  if (state.notice) {
    $('intro').hidden = true;
    $('search-view').hidden = true;
    $('notice-view').hidden = false;
    document.title = '通报 · 巡视巡察整改通报检索';
    return renderNotice();
  }
  $('notice-view').hidden = true;
  if (!hasQuery(state)) {
    $('intro').hidden = false;
    $('search-view').hidden = true;
    document.title = '巡视巡察整改通报检索';
    renderRecent();
    return;
  }
  $('intro').hidden = true;
  $('search-view').hidden = false;
  document.title = `${state.q || '筛选'} · 巡视巡察整改通报检索`;
  return renderSearch();
}

function syncForm() {
  $('q').value = state.q;
  for (const r of document.querySelectorAll('input[name=mode]')) r.checked = r.value === state.mode;
  for (const r of document.querySelectorAll('input[name=group]')) r.checked = r.value === state.group;
  $('sort').value = state.sort;
  const dates = $('dates');
  dates.from.value = state.from;
  dates.to.value = state.to;
}

async function renderSearch(retry = 0) {
  const s = state;
  const params = searchParams(s, { offset: (s.page - 1) * PAGE_SIZE, limit: PAGE_SIZE });
  const key = JSON.stringify(params);
  searchAbort?.abort();
  const ctl = (searchAbort = new AbortController());
  $('search-view').setAttribute('aria-busy', 'true');
  let res = cache.get(key);
  try {
    if (!res) {
      // Facets are the same on every page of a query and cost the engine about half its time:
      // a later page of a query whose first page is known asks for none and keeps those.
      const first = s.page > 1 ? cache.get(JSON.stringify(searchParams(s, { offset: 0, limit: PAGE_SIZE }))) : undefined;
      res = first
        ? { ...(await api('api/search', { ...params, facets: 'none' }, ctl.signal)), facets: first.facets }
        : await api('api/search', params, ctl.signal);
      cache.set(key, res);
      if (cache.size > 30) cache.delete(cache.keys().next().value);
    }
  } catch (e) {
    if (e.name === 'AbortError') return;
    $('search-view').removeAttribute('aria-busy');
    showError(e);
    renderEmpty();
    if (e.code === 'NOT_READY' && retry < 20) setTimeout(() => state === s && renderSearch(retry + 1), 3000);
    return;
  }
  if (ctl.signal.aborted) return;
  $('search-view').removeAttribute('aria-busy');
  renderSummary(res);
  renderChips();
  renderFacets(res.facets);
  renderWhere(res.facets);
  renderYears(res.facets.year ?? {});
  renderResults(res);
  renderPager(res.total);
  renderFeed();
}

/** The Atom feed of the newest notices for this query and these filters. */
function renderFeed() {
  const url = new URL('api/feed.atom', ROOT);
  for (const [k, v] of Object.entries(searchParams(state))) {
    if (v && !['mode', 'group', 'sort'].includes(k)) url.searchParams.set(k, v);
  }
  const href = url.pathname + url.search;
  $('feed').setAttribute('href', href);
  // Readers and browsers find the feed of the page they are on.
  let alt = document.querySelector('link[rel=alternate][type="application/atom+xml"]');
  if (!alt) document.head.append((alt = h('link', { rel: 'alternate', type: 'application/atom+xml', title: '检索订阅' })));
  alt.setAttribute('href', href);
}

function renderEmpty() {
  $('summary').textContent = '';
  $('results').replaceChildren();
  $('pager').replaceChildren();
  $('facets').replaceChildren();
  $('chart-where').replaceChildren();
  $('chart-year').replaceChildren();
  $('where-by').replaceChildren();
  renderChips();
}

function renderSummary(res) {
  const from = res.total ? res.offset + 1 : 0;
  const to = res.offset + res.hits.length;
  const what = state.q ? `“${state.q}”` : '当前筛选';
  const unit = state.group === 'notice' ? '份通报' : '条结果';
  $('summary').replaceChildren(
    `${what}共 `,
    h('strong', { id: 'total', 'data-total': res.total, text: res.total.toLocaleString('zh-CN') }),
    ` ${unit}${res.total ? `,第 ${from}–${to} ${state.group === 'notice' ? '份' : '条'}` : ''} · ${res.tookMs} 毫秒${state.mode === 'hybrid' ? ' · 混合检索' : ''}`,
  );
}

function renderChips() {
  const chips = FILTERS.filter((k) => state[k]).map((k) =>
    h('li', {}, link({ [k]: '', page: 1, by: '' }, { class: 'chip', 'aria-label': `取消筛选 ${state[k]}` },
      `${LABELS[k]}:${state[k]}`, h('span', { 'aria-hidden': 'true', text: ' ×' }))),
  );
  if (chips.length > 1) {
    const clear = Object.fromEntries(FILTERS.map((k) => [k, '']));
    chips.push(h('li', {}, link({ ...clear, page: 1, by: '' }, { class: 'chip clear' }, '全部清除')));
  }
  $('chips').replaceChildren(...chips);
}

function sortedEntries(counts, key) {
  const list = Object.entries(counts ?? {});
  if (key === 'year') return list.sort((a, b) => b[0].localeCompare(a[0]));
  return list.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0], 'zh-CN'));
}

function renderFacets(facets) {
  const groups = [];
  for (const [key, label] of FACETS) {
    const entries = sortedEntries(facets[key], key);
    if (!entries.length && !state[key]) continue;
    const items = entries.map(([value, count]) => {
      const on = state[key] === value;
      // A link that filters: the selected one is aria-current (links take no aria-pressed); the
      // accessible name is the visible text with what it does around it.
      return h('li', {}, link({ [key]: on ? '' : value, page: 1, by: '' }, {
        class: 'facet', 'aria-current': on ? 'true' : null, 'data-facet': key, 'data-value': value,
      }, h('span', { class: 'sr', text: `${on ? '取消' : ''}筛选 ${label} ` }), h('span', { class: 'v', text: value }), ' ',
      h('span', { class: 'n', text: count.toLocaleString('zh-CN') }), h('span', { class: 'sr', text: ' 条' })));
    });
    groups.push(h('section', { class: 'facet-group', 'data-facet': key }, h('h2', { text: label }), h('ul', {}, items)));
  }
  $('facets').replaceChildren(...groups);
}

/** Which level the "where" chart counts: the URL's choice, else one below the deepest filter. */
function whereLevel() {
  if (WHERE.some(([k]) => k === state.by)) return state.by;
  if (state.county || state.city) return 'county';
  if (state.province) return 'city';
  return 'province';
}

function bars(container, entries, key, vertical) {
  const max = Math.max(1, ...entries.map((e) => e[1]));
  const label = FACETS.find((f) => f[0] === key)[1];
  const list = entries.map(([value, count]) => {
    const on = state[key] === value;
    const pct = `${Math.max(2, Math.round((count / max) * 100))}%`;
    const fill = h('span', { class: 'fill' });
    if (vertical) fill.style.height = pct;
    else fill.style.width = pct;
    return h('li', {}, link({ [key]: on ? '' : value, page: 1, by: '' }, {
      class: 'bar', 'aria-current': on ? 'true' : null, 'data-facet': key, 'data-value': value, title: `${value}:${count} 条`,
    }, h('span', { class: 'sr', text: `${on ? '取消' : ''}筛选 ${label} ` }), h('span', { class: 'label', text: value }), ' ',
    h('span', { class: 'track' }, fill), h('span', { class: 'n', text: String(count) }), h('span', { class: 'sr', text: ' 条' })));
  });
  container.replaceChildren(list.length ? h('ol', {}, list) : h('p', { class: 'muted', text: '无数据' }));
}

function renderWhere(facets) {
  const level = whereLevel();
  $('where-by').replaceChildren(...WHERE.map(([k, label]) =>
    link({ by: k }, { class: 'tab', 'aria-current': k === level ? 'true' : null, 'data-by': k }, `按${label}`)));
  let entries = sortedEntries(facets[level], level);
  let rest = 0;
  if (entries.length > MAX_BARS) {
    rest = entries.slice(MAX_BARS).reduce((n, e) => n + e[1], 0);
    entries = entries.slice(0, MAX_BARS);
  }
  const el = $('chart-where');
  el.dataset.level = level;
  bars(el, entries, level, false);
  if (rest) el.append(h('p', { class: 'muted', text: `其余 ${rest} 条分布在更多地区` }));
}

function renderYears(counts) {
  const entries = Object.entries(counts).sort((a, b) => a[0].localeCompare(b[0]));
  bars($('chart-year'), entries, 'year', true);
}

function noticeLink(hit, attrs, ...children) {
  return link({ notice: hit.noticeId, passage: hit.id }, { ...attrs, 'data-from': 'results' }, ...children);
}

function renderResults(res) {
  if (state.group === 'notice') return renderNotices(res);
  const items = res.hits.map((hit) => {
    const n = hit.notice;
    return h('li', { class: 'hit' },
      h('h3', {}, noticeLink(hit, { class: 'title' }, n.title || n.org || '(无标题)')),
      h('p', { class: 'meta' },
        n.org ? h('span', { text: n.org }) : null,
        region(n) ? h('span', { class: 'region', text: region(n) }) : null,
        n.publishDate ? h('time', { datetime: n.publishDate, text: n.publishDate }) : null,
        n.inspection ? h('span', { class: 'tag', text: n.inspection }) : null),
      hit.headingPath?.length ? h('p', { class: 'crumbs', text: hit.headingPath.join(' › ') }) : null,
      h('p', { class: 'text' }, marked(hit.highlight ?? '')));
  });
  const list = $('results');
  list.start = res.offset + 1;
  list.replaceChildren(...items);
  if (!items.length) list.append(h('li', { class: 'none', text: state.q ? '没有找到包含这些词的段落。可以减少检索词、取消筛选,或改用混合检索。' : '没有符合筛选条件的段落。' }));
}

/** 按通报: one card per notice, with how many of its passages match and its best ones. */
function renderNotices(res) {
  const items = res.hits.map((hit) => {
    const n = hit.notice;
    const best = hit.passages?.length ? hit.passages : [{ id: hit.id, highlight: hit.highlight, headingPath: hit.headingPath }];
    const matches = hit.matches ?? best.length;
    return h('li', { class: 'hit notice-hit', 'data-notice': hit.noticeId, 'data-matches': matches },
      h('h3', {}, noticeLink(hit, { class: 'title' }, n.title || n.org || '(无标题)')),
      h('p', { class: 'meta' },
        h('span', { class: 'count', text: `${matches} 段匹配` }),
        n.org ? h('span', { text: n.org }) : null,
        region(n) ? h('span', { class: 'region', text: region(n) }) : null,
        n.publishDate ? h('time', { datetime: n.publishDate, text: n.publishDate }) : null,
        n.inspection ? h('span', { class: 'tag', text: n.inspection }) : null),
      h('ul', { class: 'best' }, best.map((p) => h('li', {},
        p.headingPath?.length ? h('p', { class: 'crumbs', text: p.headingPath.join(' › ') }) : null,
        h('p', { class: 'text' }, marked(p.highlight ?? '')),
        link({ notice: hit.noticeId, passage: p.id }, { class: 'in-notice', 'data-from': 'results', 'aria-label': `在通报中查看这一段:${(p.headingPath ?? []).at(-1) ?? ''}` }, '在通报中查看')))),
      matches > best.length ? noticeLink(hit, { class: 'more' }, `查看全部 ${matches} 段`) : null);
  });
  const list = $('results');
  list.start = res.offset + 1;
  list.replaceChildren(...items);
  if (!items.length) list.append(h('li', { class: 'none', text: state.q ? '没有找到包含这些词的通报。可以减少检索词、取消筛选,或改用混合检索。' : '没有符合筛选条件的通报。' }));
}

function renderPager(total) {
  const pages = Math.max(1, Math.ceil(Math.min(total, 100_000) / PAGE_SIZE));
  const cur = Math.min(state.page, pages);
  const nav = $('pager');
  if (pages <= 1) return nav.replaceChildren();
  const nums = new Set([1, pages, cur - 2, cur - 1, cur, cur + 1, cur + 2].filter((p) => p >= 1 && p <= pages));
  const items = [];
  const go = (p, text, label) => h('li', {}, link({ page: p }, { 'aria-label': label ?? `第 ${p} 页`, 'aria-current': p === cur ? 'page' : null }, text));
  if (cur > 1) items.push(go(cur - 1, '‹ 上一页', '上一页'));
  let last = 0;
  for (const p of [...nums].sort((a, b) => a - b)) {
    if (p > last + 1) items.push(h('li', { class: 'gap', text: '…' }));
    items.push(go(p, String(p)));
    last = p;
  }
  if (cur < pages) items.push(go(cur + 1, '下一页 ›', '下一页'));
  nav.replaceChildren(h('ul', {}, items));
}

// ---------- notice view ----------

let shownNotice = null;

async function renderNotice() {
  const s = state;
  noticeAbort?.abort();
  const ctl = (noticeAbort = new AbortController());
  const back = $('back');
  back.href = urlOf({ ...s, notice: '', passage: '' });
  const article = $('notice');
  let notice = shownNotice?.id === s.notice ? shownNotice : null;
  if (!notice) {
    article.replaceChildren(h('p', { class: 'muted', text: '正在载入通报……' }));
    $('similar').replaceChildren();
    $('similar-for').textContent = '';
    try {
      notice = await api(`api/notices/${encodeURIComponent(s.notice)}`, {}, ctl.signal);
    } catch (e) {
      if (e.name === 'AbortError') return;
      article.replaceChildren(h('p', { class: 'error', role: 'alert', text: e.status === 404 ? '找不到这份通报(可能已被删除)。' : explain(e) }));
      return;
    }
    if (ctl.signal.aborted) return;
    shownNotice = notice;
    drawNotice(notice);
  }
  document.title = `${notice.title || '通报'} · 巡视巡察整改通报检索`;
  const passage = notice.passages.find((p) => p.id === s.passage) ?? null;
  focusPassage(passage);
  renderSimilar(passage, ctl.signal);
}

function drawNotice(notice) {
  const article = $('notice');
  const meta = [
    ['发文机构', notice.org],
    ['地区', region(notice)],
    ['级别', notice.level],
    ['类型', notice.inspection],
    ['发布日期', notice.publishDate],
    ['反馈日期', notice.feedbackDate],
  ].filter(([, v]) => v);
  const body = [];
  let path = [];
  for (const p of notice.passages) {
    const hp = p.headingPath ?? [];
    let same = 0;
    while (same < hp.length && same < path.length && hp[same] === path[same]) same++;
    for (let i = same; i < hp.length; i++) {
      // A passage often opens with its own heading; do not print it twice.
      if (i === hp.length - 1 && p.text.startsWith(hp[i])) break;
      body.push(h(`h${Math.min(6, i + 3)}`, { class: 'heading', text: hp[i] }));
    }
    path = hp;
    // The passage's id is its anchor: notices/<id>#<passage id>.
    body.push(h('div', { class: 'passage', id: p.id, 'data-id': p.id, tabindex: '-1' },
      p.problem ? h('p', { class: 'problem', text: `问题:${p.problem}` }) : null,
      h('p', { class: 'ptext', text: p.text }),
      link({ passage: p.id }, { class: 'similar-link' }, h('span', { class: 'sr', text: '查看与这一段' }), '相似措施')));
  }
  const source = /^https?:\/\//.test(notice.source ?? '') ? h('p', { class: 'muted' }, '来源:', h('a', { href: notice.source, rel: 'noopener noreferrer nofollow', text: notice.source })) : null;
  article.replaceChildren(...[
    h('h2', { class: 'notice-title', text: notice.title || notice.org || '(无标题)' }),
    h('dl', { class: 'notice-meta' }, meta.flatMap(([k, v]) => [h('dt', { text: k }), h('dd', { text: v })])),
    source,
    h('div', { class: 'notice-body' }, body),
  ].filter(Boolean));
  markTerms(article.querySelector('.notice-body'), queryTerms(state.q));
}

function focusPassage(passage) {
  for (const el of document.querySelectorAll('.passage.target')) el.classList.remove('target');
  const crumbs = $('similar-for');
  if (!passage) {
    crumbs.textContent = '';
    window.scrollTo(0, 0);
    return;
  }
  crumbs.textContent = passage.headingPath?.length ? `所在位置:${passage.headingPath.join(' › ')}` : '';
  const el = document.getElementById(passage.id);
  if (!el) return;
  el.classList.add('target');
  el.focus({ preventScroll: true });
  el.scrollIntoView({ block: 'center' });
}

async function renderSimilar(passage, signal) {
  const box = $('similar');
  if (!passage) {
    box.replaceChildren(h('p', { class: 'muted', text: '在左侧选择一段措施,查看其他地方的相似做法。' }));
    return;
  }
  box.replaceChildren(h('p', { class: 'muted', text: '正在查找……' }));
  let res;
  try {
    res = await api(`api/passages/${encodeURIComponent(passage.id)}/similar`, { limit: 8 }, signal);
  } catch (e) {
    if (e.name === 'AbortError') return;
    box.replaceChildren(h('p', { class: 'note', 'data-unavailable': e.code, text: e.code === 'MODEL_UNAVAILABLE' ? '相似措施暂不可用(语义模型未加载)。' : '相似措施暂时无法获取。' }));
    return;
  }
  if (signal.aborted) return;
  if (!res.hits.length) {
    box.replaceChildren(h('p', { class: 'muted', text: '没有找到其他地方的相似措施。' }));
    return;
  }
  box.replaceChildren(h('ol', { class: 'similar-list' }, res.hits.map((hit) => {
    const n = hit.notice;
    const text = hit.text.length > 140 ? hit.text.slice(0, 140) + '…' : hit.text;
    return h('li', {},
      link({ notice: hit.noticeId, passage: hit.id }, { class: 'title', 'data-notice': hit.noticeId }, n.title || n.org || '(无标题)'),
      h('p', { class: 'meta' },
        region(n) ? h('span', { class: 'region', text: region(n) }) : null,
        n.publishDate ? h('time', { datetime: n.publishDate, text: n.publishDate }) : null,
        typeof hit.similarity === 'number' ? h('span', { class: 'muted', title: '语义相似度', text: `相似度 ${Math.round(hit.similarity * 100)}%` }) : null),
      h('p', { class: 'text', text }));
  })));
}

// ---------- suggestions (combobox) ----------

let suggestTimer = 0;
let suggestAbort = null;
let active = -1;

function closeSuggestions() {
  clearTimeout(suggestTimer);
  suggestAbort?.abort();
  const list = $('suggestions');
  list.hidden = true;
  list.replaceChildren();
  $('q').setAttribute('aria-expanded', 'false');
  $('q').removeAttribute('aria-activedescendant');
  active = -1;
}

function setActive(i) {
  const opts = [...$('suggestions').children];
  if (!opts.length) return;
  active = (i + opts.length) % opts.length;
  opts.forEach((o, j) => o.setAttribute('aria-selected', String(j === active)));
  $('q').setAttribute('aria-activedescendant', opts[active].id);
  opts[active].scrollIntoView({ block: 'nearest' });
}

function lastToken(v) {
  const m = /(\S+)$/.exec(v);
  return m ? m[1] : '';
}

function pick(word) {
  const q = $('q');
  q.value = q.value.trim() ? q.value.replace(/(\S+)$/, (last) => (/^[-－]/.test(last) ? '-' : '') + word) : word;
  closeSuggestions();
  submit();
}

function showOptions(words, label) {
  const list = $('suggestions');
  active = -1;
  $('q').removeAttribute('aria-activedescendant');
  list.setAttribute('aria-label', label);
  list.replaceChildren(...words.map((w, i) => h('li', {
    id: `sugg-${i}`, role: 'option', 'aria-selected': 'false', text: w,
    onmousedown: (e) => e.preventDefault(), // keep focus in the box
    onclick: () => pick(w),
  })));
  list.hidden = !words.length;
  $('q').setAttribute('aria-expanded', String(words.length > 0));
}

// ---------- recent searches (this browser only) ----------

function recent() {
  try {
    const list = JSON.parse(localStorage.getItem(RECENT_KEY) ?? '[]');
    return Array.isArray(list) ? list.filter((q) => typeof q === 'string' && q).slice(0, RECENT_MAX) : [];
  } catch {
    return []; // storage off or corrupt: no history, nothing breaks
  }
}

function remember(q) {
  if (!q) return;
  try {
    localStorage.setItem(RECENT_KEY, JSON.stringify([q, ...recent().filter((r) => r !== q)].slice(0, RECENT_MAX)));
  } catch {}
}

function forgetAll() {
  try {
    localStorage.removeItem(RECENT_KEY);
  } catch {}
  renderRecent();
  $('q').focus();
}

function renderRecent() {
  const list = recent();
  $('recent').hidden = !list.length;
  $('recent-list').replaceChildren(...list.map((q) => h('li', {}, link({ ...Object.fromEntries(KEYS.map((k) => [k, ''])), q, page: 1 }, {}, q))));
}

async function suggest() {
  const token = lastToken($('q').value).slice(0, 50);
  if (!$('q').value.trim()) {
    const words = recent();
    return words.length ? showOptions(words, '最近检索') : closeSuggestions();
  }
  if (!token) return closeSuggestions();
  suggestAbort?.abort();
  const ctl = (suggestAbort = new AbortController());
  let res;
  try {
    res = await api('api/suggest', { q: token, limit: 8 }, ctl.signal);
  } catch {
    return; // suggestions are a convenience: stay quiet
  }
  if (ctl.signal.aborted || document.activeElement !== $('q')) return;
  showOptions((res.suggestions ?? []).filter((w) => w !== token), '检索建议');
}

function submit() {
  const q = $('q').value.trim().slice(0, 200);
  const mode = document.querySelector('input[name=mode]:checked')?.value ?? 'keyword';
  remember(q);
  navigate({ q, mode, page: 1, notice: '', passage: '' });
  if (q || hasQuery(state)) $('results').focus({ preventScroll: true });
}

function toggleHelp(open) {
  $('syntax-help').hidden = !open;
  $('help-toggle').setAttribute('aria-expanded', String(open));
}

// ---------- CSV export ----------

function csvCell(v) {
  let s = v === null || v === undefined ? '' : Array.isArray(v) ? v.join(' › ') : String(v);
  // A cell starting with = + - @ would be run as a formula by spreadsheet programs.
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

async function exportCsv() {
  const btn = $('export');
  const status = $('export-status');
  const s = state;
  btn.disabled = true;
  const rows = [['序号', '通报标题', '发文机构', '省', '市', '县区', '级别', '类型', '发布日期', '章节', '段落', '段落ID', '通报ID', '链接']];
  let total = 0;
  try {
    for (let offset = 0; offset < EXPORT_CAP; offset += EXPORT_PAGE) {
      status.textContent = `正在导出 ${offset}${total ? ` / ${Math.min(total, EXPORT_CAP)}` : ''} 条……`;
      const res = await api('api/search', searchParams(s, { offset, limit: EXPORT_PAGE, facets: 'none', group: 'passage' }));
      total = res.total;
      for (const hit of res.hits) {
        const n = hit.notice;
        const url = new URL(urlOf({ ...s, page: 1, by: '', notice: hit.noticeId, passage: hit.id }), location.href).href;
        rows.push([rows.length, n.title, n.org, n.province, n.city, n.county, n.level, n.inspection, n.publishDate, hit.headingPath, hit.text, hit.id, hit.noticeId, url]);
      }
      if (res.hits.length < EXPORT_PAGE || offset + EXPORT_PAGE >= total) break;
    }
  } catch (e) {
    status.textContent = `导出失败:${explain(e)}`;
    btn.disabled = false;
    return;
  }
  const csv = '\uFEFF' + rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
  const blob = new Blob([csv], { type: 'text/csv;charset=utf-8' });
  const a = h('a', { href: URL.createObjectURL(blob), download: `通报检索-${(s.q || '筛选').replace(/[\\/:*?"<>|\s]+/g, '_').slice(0, 40)}.csv` });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  const n = rows.length - 1;
  status.textContent = total > n ? `已导出前 ${n} 条(共 ${total} 条,上限 ${EXPORT_CAP})` : `已导出 ${n} 条`;
  btn.disabled = false;
}

// ---------- wiring ----------

function init() {
  const q = $('q');
  $('search').addEventListener('submit', (e) => {
    e.preventDefault();
    if (active >= 0) return pick($('suggestions').children[active].textContent);
    closeSuggestions();
    submit();
  });
  q.addEventListener('input', () => {
    clearTimeout(suggestTimer);
    suggestTimer = setTimeout(suggest, 150);
  });
  q.addEventListener('keydown', (e) => {
    const open = !$('suggestions').hidden;
    if (e.key === 'ArrowDown' && open) setActive(active + 1);
    else if (e.key === 'ArrowUp' && open) setActive(active - 1);
    else if (e.key === 'Escape' && open) closeSuggestions();
    else return;
    e.preventDefault();
  });
  q.addEventListener('blur', () => setTimeout(closeSuggestions, 100));
  q.addEventListener('focus', () => {
    if (!q.value.trim()) suggest();
  });
  document.addEventListener('keydown', (e) => {
    const typing = e.target instanceof HTMLElement && (e.target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(e.target.tagName));
    const ctrlK = (e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'k';
    if (ctrlK || (e.key === '/' && !typing && !e.ctrlKey && !e.metaKey && !e.altKey)) {
      e.preventDefault();
      q.focus();
      q.select();
    } else if (e.key === 'Escape' && !$('syntax-help').hidden) {
      toggleHelp(false);
      $('help-toggle').focus();
    }
  });
  $('help-toggle').addEventListener('click', () => toggleHelp($('syntax-help').hidden));
  document.addEventListener('click', (e) => {
    if (!$('syntax-help').hidden && !e.target.closest('.help')) toggleHelp(false);
  });
  $('recent-clear').addEventListener('click', forgetAll);
  for (const r of document.querySelectorAll('input[name=group]')) {
    r.addEventListener('change', () => {
      if (hasQuery(state)) navigate({ group: r.value, page: 1 });
    });
  }
  for (const r of document.querySelectorAll('input[name=mode]')) {
    r.addEventListener('change', () => {
      if (hasQuery(state)) navigate({ mode: r.value, page: 1 });
    });
  }
  $('dates').addEventListener('submit', (e) => {
    e.preventDefault();
    navigate({ from: $('dates').from.value, to: $('dates').to.value, page: 1 });
  });
  $('sort').addEventListener('change', () => navigate({ sort: $('sort').value, page: 1 }));
  $('export').addEventListener('click', exportCsv);
  $('back').addEventListener('click', (e) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
    e.preventDefault();
    if (history.state?.from === 'results') history.back();
    else navigate({ notice: '', passage: '' });
  });
  for (const a of document.querySelectorAll('#intro a, #home')) {
    a.addEventListener('click', (e) => {
      if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
      e.preventDefault();
      const p = new URL(a.href).searchParams;
      navigate({ ...Object.fromEntries(KEYS.map((k) => [k, ''])), q: p.get('q') ?? '', page: 1 });
    });
  }
  if (matchMedia('(max-width: 800px)').matches) $('filters').open = false;
  window.addEventListener('popstate', render);
  window.addEventListener('hashchange', render);
  // The skip link is a fragment of this document, whatever <base> a notice's page has.
  document.querySelector('.skip').addEventListener('click', (e) => {
    e.preventDefault();
    const target = state.notice ? $('notice') : $('results');
    target.setAttribute('tabindex', '-1');
    target.focus();
  });
  render();
}

init();
