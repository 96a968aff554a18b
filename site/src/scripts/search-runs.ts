import type { RunRows } from '#site/view/run-rows.ts';
import { runDataPaths } from '#site/view/run-meta.ts';
import { paths } from '#site/view/site-paths.ts';
import { basePath, h } from './dom.ts';
import { fetchRunRows } from './load-run-rows.ts';
import { errorMessage } from '#lib/errors/error-message.ts';

/** Results listed at once; the count says how many more matched. */
const SHOWN = 100;

interface SearchRun {
  id: string;
  name: string;
}

/**
 * Searches the traces of every run of the experiment at once (ids, example ids, inputs,
 * outputs, errors, tags), so "where did we see this answer before?" needs no run-by-run hunt.
 * Each run's traces table (its rows pages) is fetched on the first search and kept for the next ones.
 */
export function initRunSearch(): void {
  const section = document.getElementById('search-runs');
  if (!section) return;
  const experiment = section.dataset.experiment!;
  const runs = JSON.parse(section.dataset.runs!) as SearchRun[];
  const input = section.querySelector<HTMLInputElement>('#search-runs-input')!;
  const status = section.querySelector<HTMLElement>('#search-runs-status')!;
  const results = section.querySelector<HTMLElement>('#search-runs-results')!;
  let loaded: Promise<{ run: SearchRun; rows: RunRows; text: string[] }[]> | null = null;
  const load = () =>
    (loaded ??= Promise.all(
      runs.map(async (run) => {
        const rows = await fetchRunRows(runDataPaths(experiment, run.id).rows);
        const text = rows.id.map((id, i) =>
          `${id}\n${rows.example[i]}\n${rows.input[i]}\n${rows.output[i]}\n${rows.error[i]}\n${rows.tags[i]}`.toLowerCase(),
        );
        return { run, rows, text };
      }),
    ));

  let generation = 0;
  const search = async () => {
    const words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    const mine = ++generation;
    if (words.length === 0) {
      results.replaceChildren();
      status.textContent = '';
      return;
    }
    status.textContent = 'Searching…';
    let data: Awaited<ReturnType<typeof load>>;
    try {
      data = await load();
    } catch (error) {
      status.textContent = `Search failed: ${errorMessage(error)}`;
      return;
    }
    if (mine !== generation) return;
    const items: HTMLElement[] = [];
    let total = 0;
    const perRun: string[] = [];
    for (const { run, rows, text } of data) {
      let inRun = 0;
      for (let i = 0; i < rows.count; i++) {
        if (!words.every((w) => text[i]!.includes(w))) continue;
        inRun++;
        total++;
        if (items.length >= SHOWN) continue;
        const href = `${basePath()}${paths.run(experiment, run.id)}trace/?id=${encodeURIComponent(rows.id[i]!)}`;
        items.push(
          h(
            'li',
            null,
            h('a', { href }, h('span', { class: 'mono' }, rows.id[i]!)),
            h('span', { class: 'badge' }, run.name),
            rows.status[i] === 1 ? h('span', { class: 'badge fail' }, 'error') : null,
            h(
              'div',
              { class: 'search-hit' },
              h('span', { class: 'faint' }, 'in: '),
              rows.input[i]!,
              ' ',
              h('span', { class: 'faint' }, 'out: '),
              rows.output[i] || rows.error[i] || '—',
            ),
          ),
        );
      }
      if (inRun > 0) perRun.push(`${run.name} ${inRun}`);
    }
    status.textContent =
      total === 0
        ? 'No trace matches.'
        : `${total} ${total === 1 ? 'trace matches' : 'traces match'} (${perRun.join(' · ')})${total > SHOWN ? `; the first ${SHOWN} are listed` : ''}.`;
    results.replaceChildren(...items);
  };
  let timer = 0;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = window.setTimeout(() => void search(), 150);
  });
}
