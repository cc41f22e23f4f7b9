// The caller's experiments, newest first, each with its progress (refreshed in place while any runs).
import { getJson } from '../api.js';
import { formatTime, h } from '../dom.js';

export async function experimentsPage(main, { query, context }) {
  const cursor = query.get('cursor');
  const path = 'api/v1/experiments?limit=20' + (cursor ? `&cursor=${encodeURIComponent(cursor)}` : '');
  const body = h('div');
  main.append(h('h1', {}, 'Experiments'), body);
  const refresh = async () => {
    const page = await getJson(path);
    if (context.isCurrent()) {
      body.replaceChildren(...content(page));
    }
    return page.experiments.some((e) => !e.cancelledAt && e.done < e.jobs);
  };
  if (await refresh()) {
    context.every(3000, () => refresh().catch(() => false));
  }
}

function content(page) {
  if (page.experiments.length === 0) {
    return [h('p', {}, 'No experiments yet. Create one with POST /api/v1/experiments (see the README).')];
  }
  const list = h('ul', { class: 'cards' }, page.experiments.map((e) => {
    const state = e.cancelledAt ? 'cancelled' : e.done >= e.jobs ? 'finished' : `${e.running} running`;
    return h('li', { class: 'card' },
      h('h2', {}, h('a', { href: `#/experiments/${e.id}` }, e.name)),
      h('p', { class: 'muted' }, `Created ${formatTime(e.createdAt)}; ${state}`),
      progressBar(e.done, e.jobs, `Progress of ${e.name}`),
      h('p', {}, `${e.done} of ${e.jobs} jobs done`, e.failed > 0 ? h('span', { class: 'error' }, `, ${e.failed} failed`) : ''));
  }));
  const paging = page.nextCursor ? h('nav', { class: 'paging', 'aria-label': 'Pages' },
    h('a', { href: `#/experiments?cursor=${encodeURIComponent(page.nextCursor)}` }, 'Older experiments')) : null;
  return [list, paging].filter(Boolean);
}

export function progressBar(done, total, label) {
  return h('progress', { max: Math.max(total, 1), value: done, 'aria-label': label }, `${done} of ${total}`);
}
