/*! notice-search widget: <script src="https://HOST/widget.js" async></script> <notice-search province="四川省"></notice-search>
 * Attributes: api (base URL; default: where this script came from), province, city, county, level,
 * inspection, year (preset filters), placeholder, limit (1-20, default 8), target (where results open),
 * group ("notice": one result per notice). Suggestions come first (pinyin too: ygt → 医共体).
 * No dependencies. Everything shown is text, except the <mark> in the API's highlight. */
(() => {
  if (!window.customElements || customElements.get('notice-search')) return;
  const FILTERS = ['province', 'city', 'county', 'level', 'inspection', 'year'];
  // Resolved now: document.currentScript is only set while this script first runs.
  const me = document.currentScript || [...document.scripts].find((s) => /\/widget\.js([?#]|$)/.test(s.src));
  let BASE = location.origin;
  try {
    BASE = new URL('.', me.src).href;
  } catch {}
  const ENT = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  const decode = (s) => s.replace(/&(#x[\da-f]+|#\d+|[a-z]+);/gi, (m, e) => {
    if (e[0] !== '#') return ENT[e.toLowerCase()] ?? m;
    const n = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : +e.slice(1);
    return n > 0 && n < 0x110000 ? String.fromCodePoint(n) : m;
  });
  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  };
  // The highlight as [text, marked] runs, cut to about `room` characters around the first match.
  const snippet = (html, room) => {
    const runs = [];
    let on = false;
    for (const p of String(html).split(/(<\/?mark>)/i)) {
      if (/^<mark>$/i.test(p)) on = true;
      else if (/^<\/mark>$/i.test(p)) on = false;
      else if (p) runs.push([decode(p).replace(/\s+/g, ' '), on]);
    }
    let before = 0;
    for (const [t, m] of runs) {
      if (m) break;
      before += t.length;
    }
    let skip = Math.max(0, before - (room >> 2));
    let left = room;
    const out = document.createDocumentFragment();
    if (skip) out.append('…');
    for (const [t, m] of runs) {
      if (skip >= t.length) {
        skip -= t.length;
        continue;
      }
      const part = t.slice(skip, skip + left);
      skip = 0;
      left -= part.length;
      if (m) out.append(el('mark', '', part));
      else out.append(part);
      if (left <= 0) {
        out.append('…');
        break;
      }
    }
    return out;
  };
  // Colours are set, not inherited: a host page's CSS can still colour the element itself
  // (* { color: … !important }), and text on the highlight or white must keep its contrast.
  const CSS = `:host{all:initial;display:block;position:relative;max-width:560px;font:15px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,Arial,"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC","WenQuanYi Micro Hei",sans-serif;color:#1d232b;--ns-accent:#a4262c}
*{box-sizing:border-box}input{width:100%;font:inherit;font-size:16px;padding:8px 12px;border:2px solid var(--ns-accent);border-radius:8px;background:#fff;color:#1d232b}
input:focus-visible{outline:3px solid #1f6feb;outline-offset:2px}
[role=listbox]{color:#1d232b;position:absolute;left:0;right:0;top:100%;z-index:2147483000;margin-top:4px;background:#fff;border:1px solid #dde2e8;border-radius:8px;box-shadow:0 8px 24px rgba(0,0,0,.15);max-height:420px;overflow:auto}
a{display:block;padding:7px 12px;color:inherit;text-decoration:none;border-bottom:1px solid #eef0f3}
a[aria-selected=true],a:hover,.sg[aria-selected=true],.sg:hover{background:#f7e7e8}
.sg{padding:6px 12px;cursor:pointer;border-bottom:1px solid #eef0f3;color:#1d232b}.sg::before{content:"建议 ";color:#5b6571;font-size:12px}
[aria-selected=true]{outline:2px solid #1f6feb;outline-offset:-2px}
b{display:block;font-weight:600;color:#0b57a4}i{display:block;font-style:normal;font-size:12px;color:#5b6571}
span{display:block;font-size:13px}mark{background:#ffe58a;color:#1d232b}
.all{color:var(--ns-accent);font-weight:600;font-size:14px}.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);padding:0}p{margin:0;padding:8px 12px;color:#5b6571;font-size:14px}`;

  class NoticeSearch extends HTMLElement {
    static get observedAttributes() {
      return ['placeholder'];
    }
    constructor() {
      super();
      const root = this.attachShadow({ mode: 'open' });
      // A constructed sheet is CSSOM, so a host page's strict CSP (no inline styles) does not block it.
      let style = null;
      try {
        const sheet = new CSSStyleSheet();
        sheet.replaceSync(CSS);
        root.adoptedStyleSheets = [sheet];
      } catch {
        style = el('style', '', CSS);
      }
      const id = 'ns' + Math.random().toString(36).slice(2, 8);
      this.input = el('input');
      this.list = el('div');
      Object.assign(this.input, { type: 'search', autocomplete: 'off', spellcheck: false });
      const set = (e, a) => Object.entries(a).forEach(([k, v]) => e.setAttribute(k, v));
      set(this.input, { role: 'combobox', 'aria-autocomplete': 'list', 'aria-expanded': 'false', 'aria-controls': id, 'aria-label': '检索通报' });
      set(this.list, { role: 'listbox', id, 'aria-label': '检索结果' });
      this.list.hidden = true;
      this.status = el('p', 'sr');
      this.status.setAttribute('role', 'status');
      root.append(...(style ? [style] : []), this.input, this.list, this.status);
      this.active = -1;
      this.input.addEventListener('input', () => {
        clearTimeout(this.timer);
        this.timer = setTimeout(() => this.search(), 250);
      });
      this.input.addEventListener('keydown', (e) => this.key(e));
      this.input.addEventListener('focus', () => this.list.childElementCount && this.open(true));
      this.addEventListener('focusout', () => setTimeout(() => this.matches(':focus-within') || this.open(false), 150));
      this.list.addEventListener('mousedown', (e) => e.preventDefault());
    }
    connectedCallback() {
      this.attributeChangedCallback();
    }
    attributeChangedCallback() {
      this.input.placeholder = this.getAttribute('placeholder') || '检索整改通报,如 医共体';
    }
    get api() {
      return new URL(this.getAttribute('api') || BASE, location.href).href.replace(/\/?$/, '/');
    }
    // The search page URL for this query (and, given a hit, with that notice open at the passage).
    page(q, hit) {
      const u = new URL(this.api);
      u.searchParams.set('q', q);
      if (this.group === 'notice' && !hit) u.searchParams.set('group', 'notice');
      for (const f of FILTERS) if (this.getAttribute(f)) u.searchParams.set(f, this.getAttribute(f));
      if (hit) {
        // The notice's own page, opened at the passage.
        u.pathname += 'notices/' + encodeURIComponent(hit.noticeId);
        u.hash = encodeURIComponent(hit.id);
      }
      return u.href;
    }
    open(on) {
      this.list.hidden = !on;
      this.input.setAttribute('aria-expanded', String(on));
    }
    get group() {
      return this.getAttribute('group') === 'notice' ? 'notice' : 'passage';
    }
    async search() {
      const q = this.input.value.trim().slice(0, 200);
      this.ctl?.abort();
      if (!q) return this.show(null);
      const ctl = (this.ctl = new AbortController());
      const u = new URL('api/search', this.api);
      const limit = Math.min(20, Math.max(1, parseInt(this.getAttribute('limit'), 10) || 8));
      u.search = new URLSearchParams({ q, limit, facets: 'none', group: this.group });
      for (const f of FILTERS) if (this.getAttribute(f)) u.searchParams.set(f, this.getAttribute(f));
      // Completions of the last word typed (characters or pinyin), beside the results for it all.
      const last = q.split(/\s+/).pop().replace(/^[-－]/, '').slice(0, 50);
      const s = new URL('api/suggest', this.api);
      s.search = new URLSearchParams({ q: last, limit: 3 });
      const json = (url) => fetch(url, { signal: ctl.signal }).then((r) => (r.ok ? r.json() : Promise.reject(r)));
      const [res, sug] = await Promise.allSettled([json(u), last ? json(s) : Promise.resolve({ suggestions: [] })]);
      if (ctl.signal.aborted) return;
      const words = sug.status === 'fulfilled' ? sug.value.suggestions.filter((w) => w !== last) : [];
      this.show(q, res.status === 'fulfilled' ? res.value : null, words);
    }
    // A suggestion replaces the last word typed (keeping a leading -) and searches again.
    take(word) {
      this.input.value = this.input.value.trim().replace(/(^|\s)([-－]?)\S*$/, (m, sp, minus) => sp + minus + word);
      this.input.focus();
      this.search();
    }
    show(q, res, words = []) {
      this.active = -1;
      this.input.removeAttribute('aria-activedescendant');
      if (!q) {
        this.list.replaceChildren();
        return this.open(false);
      }
      const items = [];
      for (const w of words) {
        const o = el('div', 'sg', w);
        o.setAttribute('role', 'option');
        o.setAttribute('aria-selected', 'false');
        o.id = this.list.id + '-' + items.length;
        o.addEventListener('click', () => this.take(w));
        items.push(o);
      }
      if (!res) items.push(el('p', '', '检索暂不可用,请稍后再试'));
      else {
        const target = this.getAttribute('target') || '_self';
        const link = (href, cls) => {
          const a = el('a', cls);
          a.href = href;
          a.target = target;
          if (target === '_blank') a.rel = 'noopener';
          a.setAttribute('role', 'option');
          a.setAttribute('aria-selected', 'false');
          a.id = this.list.id + '-' + items.length;
          a.tabIndex = -1;
          return a;
        };
        for (const hit of res.hits) {
          const n = hit.notice;
          const a = link(this.page(q, hit));
          a.append(el('b', '', n.title || n.org || ''), el('i', '', [hit.matches ? `${hit.matches} 段匹配` : '', n.province, n.city, n.county, n.publishDate].filter(Boolean).join(' · ')));
          const s = el('span');
          s.append(snippet(hit.highlight, 72));
          a.append(s);
          items.push(a);
        }
        if (!res.hits.length) items.push(el('p', '', `没有找到“${q}”`));
        const all = link(this.page(q), 'all');
        const unit = this.group === 'notice' ? '份通报' : '条结果';
        all.textContent = res.total ? `在检索页查看全部 ${res.total} ${unit} →` : '打开检索页 →';
        items.push(all);
        this.status.textContent = `${res.total} ${unit}${words.length ? `,${words.length} 条建议` : ''}`;
      }
      this.list.replaceChildren(...items);
      this.open(this.matches(':focus-within'));
    }
    key(e) {
      const opts = [...this.list.querySelectorAll('[role=option]')];
      if (e.key === 'Escape') {
        if (this.list.hidden) this.input.value = '';
        this.open(false);
      } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        if (!opts.length) return;
        const n = opts.length;
        if (this.list.hidden) this.active = Math.max(0, this.active); // reopen where it was
        else this.active = e.key === 'ArrowDown' ? (this.active + 1) % n : (this.active - 1 + n) % n;
        this.open(true);
        opts.forEach((o, i) => o.setAttribute('aria-selected', String(i === this.active)));
        this.input.setAttribute('aria-activedescendant', opts[this.active].id);
        opts[this.active].scrollIntoView({ block: 'nearest' });
      } else if (e.key === 'Enter') {
        const q = this.input.value.trim();
        if (opts[this.active]) opts[this.active].click();
        else if (q) {
          // Enter without choosing a result: the full results for what is typed now.
          clearTimeout(this.timer);
          const target = this.getAttribute('target') || '_self';
          window.open(this.page(q), target, target === '_blank' ? 'noopener' : '');
        }
      } else return;
      e.preventDefault();
    }
  }
  customElements.define('notice-search', NoticeSearch);
})();
