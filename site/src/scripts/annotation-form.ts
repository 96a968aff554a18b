import { newAnnotationFileName } from '#lib/annotations/annotation-file-name.ts';
import type { NewAnnotation } from '#lib/annotations/entry-yaml.ts';
import { buildNewFileLink, type NewFileLink } from '#lib/annotations/new-file-url.ts';
import { validateNewAnnotation } from '#lib/annotations/validate-new-annotation.ts';
import type { AnnotateTarget } from '#site/view/annotate-target.ts';
import { announce, copiedLabel, copyText } from './copy-text.ts';
import { h } from './dom.ts';

/** The author is remembered in this browser only, so an expert types their name once. */
const AUTHOR_KEY = 'labbook.annotation-author';

const FIELD_LABEL: Record<string, string> = {
  name: 'Name',
  value: 'Value',
  note: 'Note',
  author: 'Your name',
  run: 'Run',
  trace: 'Trace',
  at: 'Time',
};

type Kind = 'metric' | 'label';

/**
 * The "Add metric / label" form in a modal dialog: name (suggested from experiment.yaml's
 * rules), a number or a label (a select of the allowed labels when the rules list them), a
 * note and the author. Every change rebuilds the YAML entry and checks it with the same schema
 * and rules as `labbook annotations check`; a valid entry becomes GitHub's "new file" link on
 * the data branch, with "Copy YAML" and the `labbook annotate` command as fallbacks (the only
 * options when the site does not know its repository). Everything typed stays text.
 */
export function showAnnotationForm(target: AnnotateTarget, trace: string, opener: HTMLElement | null): void {
  document.getElementById('annotate-dialog')?.remove();
  // One random file-name suffix per form, so the name shown does not change on every key.
  const draws = Array.from(crypto.getRandomValues(new Uint32Array(4)), (n) => n / 2 ** 32);
  const random = () => {
    let i = 0;
    return () => draws[i++ % draws.length]!;
  };

  const declaredKind = (name: string): Kind | null =>
    Object.hasOwn(target.rules.labels, name) ? 'label' : Object.hasOwn(target.rules.metrics, name) ? 'metric' : null;
  // A name already used holds to its kind too: the check refuses a label under a metric's name.
  const used = new Map(target.usedKinds.map((u) => [u.name, u.kind]));

  const nameInput = h('input', {
    class: 'input',
    id: 'annotate-name',
    list: 'annotate-names',
    autocomplete: 'off',
    maxlength: 100,
    required: true,
    value: target.names[0] ?? '',
  });
  const names = h('datalist', { id: 'annotate-names' }, ...target.names.map((n) => h('option', { value: n })));
  const metricRadio = h('input', { type: 'radio', name: 'annotate-kind', value: 'metric', id: 'annotate-kind-metric' });
  const labelRadio = h('input', { type: 'radio', name: 'annotate-kind', value: 'label', id: 'annotate-kind-label', checked: true });
  const kindHint = h('span', { class: 'faint', id: 'annotate-kind-hint' });
  const kindSet = h(
    'fieldset',
    { class: 'annotate-kind' },
    h('legend', null, 'Kind'),
    h('label', { for: 'annotate-kind-label' }, labelRadio, ' label (a word)'),
    h('label', { for: 'annotate-kind-metric' }, metricRadio, ' metric (a number)'),
    kindHint,
  );
  const valueHost = h('div', { class: 'annotate-value' });
  let valueControl: HTMLInputElement | HTMLSelectElement = h('input');
  const noteInput = h('textarea', { class: 'input', id: 'annotate-note', rows: 3, maxlength: 5000 });
  let remembered = '';
  try {
    remembered = localStorage.getItem(AUTHOR_KEY) ?? '';
  } catch {
    // storage can be off (private windows); the field then starts empty
  }
  const authorInput = h('input', {
    class: 'input',
    id: 'annotate-author',
    autocomplete: 'name',
    maxlength: 100,
    required: true,
    value: remembered,
  });

  const issues = h('ul', { class: 'annotate-issues', id: 'annotate-issues', 'aria-live': 'polite' });
  const where = h('p', { class: 'muted', id: 'annotate-where' });
  const github = h('a', { class: 'btn primary', id: 'annotate-github', target: '_blank', rel: 'noopener noreferrer' }, 'Propose on GitHub');
  const copyYaml = h('button', { type: 'button', class: 'btn', id: 'annotate-copy-yaml' }, 'Copy YAML');
  const copyCommand = h('button', { type: 'button', class: 'btn', id: 'annotate-copy-command' }, 'Copy command');
  const close = h('button', { type: 'button', class: 'btn', id: 'annotate-close' }, 'Close');
  const yaml = h('pre', { class: 'code-block', id: 'annotate-yaml', tabindex: 0, 'aria-label': 'the annotation as YAML' });
  const command = h('pre', { class: 'code-block', id: 'annotate-command', tabindex: 0, 'aria-label': 'the labbook annotate command' });
  const preview = h('details', { id: 'annotate-preview' }, h('summary', null, 'YAML and command'), yaml, command);

  const field = (label: string, id: string, control: HTMLElement, hint?: HTMLElement) =>
    h('div', { class: 'annotate-field' }, h('label', { for: id }, label), control, hint ?? null);
  const form = h(
    'form',
    { class: 'annotate-form', novalidate: true },
    h('h2', { id: 'annotate-title' }, 'Add metric / label'),
    h('p', { class: 'muted' }, 'Trace ', h('code', null, trace), ' of run ', h('code', null, target.run)),
    field('Name', 'annotate-name', nameInput),
    names,
    kindSet,
    valueHost,
    field('Note (optional)', 'annotate-note', noteInput),
    field('Your name', 'annotate-author', authorInput),
    issues,
    where,
    h('div', { class: 'toolbar' }, github, copyYaml, copyCommand, close),
    preview,
  );
  const dialog = h('dialog', { id: 'annotate-dialog', class: 'annotate-dialog', 'aria-labelledby': 'annotate-title' }, form);

  let kind: Kind = 'label';
  let link: NewFileLink | null = null;

  const setValueControl = (name: string) => {
    const previous = valueControl.value;
    const labels = Object.hasOwn(target.rules.labels, name) ? target.rules.labels[name]! : null;
    const range = Object.hasOwn(target.rules.metrics, name) ? target.rules.metrics[name]! : null;
    let hint: string | null = null;
    if (kind === 'label' && labels) {
      valueControl = h('select', { class: 'select', id: 'annotate-value' }, ...labels.map((l) => h('option', { value: l }, l)));
      if (labels.includes(previous)) valueControl.value = previous;
    } else if (kind === 'metric') {
      valueControl = h('input', {
        class: 'input',
        id: 'annotate-value',
        type: 'number',
        step: 'any',
        min: range?.min,
        max: range?.max,
        required: true,
        value: Number.isFinite(Number(previous)) ? previous : '',
      });
      if (range?.min !== undefined || range?.max !== undefined)
        hint = `from ${range.min ?? '−∞'} to ${range.max ?? '∞'}, ${range.direction} is better`;
    } else {
      valueControl = h('input', { class: 'input', id: 'annotate-value', maxlength: 200, required: true, value: previous });
    }
    valueHost.replaceChildren(
      field(
        kind === 'metric' ? 'Value (a number)' : 'Label',
        'annotate-value',
        valueControl,
        hint ? h('span', { class: 'faint', id: 'annotate-value-hint' }, ` ${hint}`) : undefined,
      ),
    );
    valueControl.addEventListener(valueControl.tagName === 'SELECT' ? 'change' : 'input', update);
  };

  const syncName = () => {
    const name = nameInput.value.trim();
    const declared = declaredKind(name);
    const usedAs = declared ? undefined : used.get(name);
    kind = declared ?? usedAs ?? (metricRadio.checked ? 'metric' : 'label');
    metricRadio.checked = kind === 'metric';
    labelRadio.checked = kind === 'label';
    metricRadio.disabled = labelRadio.disabled = declared !== null || usedAs !== undefined;
    kindHint.textContent = declared
      ? ` declared in experiment.yaml as a ${declared}`
      : usedAs
        ? ` used as a ${usedAs} by this experiment's annotations`
        : '';
    setValueControl(name);
    update();
  };

  function entry(): { entry: NewAnnotation | null; missing: string[] } {
    const name = nameInput.value.trim();
    const author = authorInput.value.trim();
    const raw = valueControl.value.trim();
    const missing: string[] = [];
    if (!name) missing.push('Name: give the annotation a name, e.g. one suggested in the list');
    if (!raw) missing.push(kind === 'metric' ? 'Value: enter a number' : 'Label: enter or pick a label');
    if (!author) missing.push('Your name: say who judges (it goes into the file and the pull request)');
    const value = kind === 'metric' ? Number(raw) : raw;
    if (kind === 'metric' && raw && !Number.isFinite(value)) missing.push('Value: enter a finite number');
    if (missing.length > 0) return { entry: null, missing };
    const note = noteInput.value.replace(/\s+$/, '');
    const at = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString();
    return { entry: { run: target.run, trace, name, value, author, at, ...(note ? { note } : {}) }, missing };
  }

  function update(): void {
    const built = entry();
    const problems = built.entry
      ? validateNewAnnotation(built.entry, target.rules).map((i) => ({
          severity: i.severity,
          text: `${FIELD_LABEL[i.field] ?? i.field}: ${i.message}`,
        }))
      : [];
    // Fields still empty are a to-do list, not an error; what the check refuses is.
    issues.replaceChildren(
      ...built.missing.map((text) => h('li', { class: 'muted' }, text)),
      ...problems.map((p) =>
        h('li', { class: p.severity === 'error' ? 'status-error' : 'muted' }, p.severity === 'warning' ? `Note: ${p.text}` : p.text),
      ),
    );
    const ok = built.entry !== null && !problems.some((p) => p.severity === 'error');
    link = ok
      ? buildNewFileLink({
          repository: target.repository,
          branch: target.branch,
          dataPath: target.dataPath,
          experiment: target.experiment,
          entry: built.entry!,
          fileName: newAnnotationFileName(built.entry!.author, new Date(built.entry!.at), random()),
          serverUrl: target.serverUrl,
        })
      : null;
    copyYaml.disabled = copyCommand.disabled = link === null;
    yaml.textContent = link?.yaml ?? '';
    command.textContent = link?.command ?? '';
    github.hidden = link?.kind !== 'url';
    if (link?.kind === 'url') github.setAttribute('href', link.url);
    else github.removeAttribute('href');
    if (!link) where.textContent = 'Fill in the form to make the annotation.';
    else if (link.kind === 'url')
      where.textContent = `Opens GitHub with a new file ${link.folder}/${link.fileName} on branch ${target.branch} of ${target.repository}; choose "Propose changes" to open a pull request. It shows here once merged and the site is rebuilt.`;
    else if (link.reason === 'too-long')
      where.textContent = `The note is too long for a link: copy the YAML into a new file ${link.folder}/${link.fileName}, or run the command.`;
    else
      where.textContent = `This site does not know its repository: copy the YAML into a new file ${link.folder}/${link.fileName}, or run the command in a checkout.`;
    if (link && link.kind !== 'url') preview.open = true;
  }

  const copy = async (button: HTMLButtonElement, text: string, source: HTMLElement) => {
    preview.open = true;
    const result = await copyText(text, source);
    const label = button.textContent;
    button.textContent = copiedLabel(result);
    announce(result === 'copied' ? 'Copied to the clipboard' : 'Text selected: press Ctrl+C to copy it');
    setTimeout(() => (button.textContent = label), 2000);
  };

  nameInput.addEventListener('input', syncName);
  metricRadio.addEventListener('change', syncName);
  labelRadio.addEventListener('change', syncName);
  noteInput.addEventListener('input', update);
  authorInput.addEventListener('input', () => {
    try {
      localStorage.setItem(AUTHOR_KEY, authorInput.value.trim());
    } catch {
      // not remembered; nothing else depends on it
    }
    update();
  });
  copyYaml.addEventListener('click', () => link && void copy(copyYaml, link.yaml, yaml));
  copyCommand.addEventListener('click', () => link && void copy(copyCommand, link.command, command));
  close.addEventListener('click', () => dialog.close());
  // Enter in a field must not submit anywhere: the form only builds links.
  form.addEventListener('submit', (event) => event.preventDefault());
  dialog.addEventListener('close', () => {
    dialog.remove();
    opener?.focus();
  });

  document.body.append(dialog);
  syncName();
  dialog.showModal();
  (nameInput.value ? (authorInput.value ? valueControl : authorInput) : nameInput).focus();
}
