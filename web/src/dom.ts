// DOM building for the UI: elements from tag, attributes and children, text only through textContent
// (never innerHTML with data), so nothing a mail or a user typed can become markup; and the few controls
// pages share (labelled fields, buttons, copy, ask-before-acting).
export type Child = Node | string | number | null | undefined | false;
export type Handler = (event: Event) => void;
export type Attributes = Readonly<Record<string, string | number | boolean | null | undefined | Handler>>;

/** `h('a', { href: '#/x', onclick: fn }, 'text', child)`: strings become text nodes. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: readonly Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === 'function') element.addEventListener(name.replace(/^on/, ''), value);
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, String(value));
  }
  append(element, ...children);
  return element;
}

export function append(parent: Node, ...children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

/** Replaces the children of `parent`. */
export function replace(parent: Node, ...children: readonly Child[]): void {
  while (parent.firstChild !== null) parent.removeChild(parent.firstChild);
  append(parent, ...children);
}

/** A hash link to a page of the UI; path segments are encoded here. */
export function link(path: readonly string[], text: Child, attributes: Attributes = {}): HTMLAnchorElement {
  return h('a', { ...attributes, href: routeHref(path) }, text);
}

export function routeHref(path: readonly string[], query: Readonly<Record<string, string>> = {}): string {
  const search = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== '')).toString();
  return `#/${path.map(encodeURIComponent).join('/')}${search === '' ? '' : `?${search}`}`;
}

/** A small labelled badge; the label is text, so meaning never rests on colour alone. */
export function badge(text: string, kind: string): HTMLSpanElement {
  return h('span', { class: `badge badge-${kind}` }, text);
}

let ids = 0;
/** A fresh element id, to tie labels and descriptions to their inputs. */
export function newId(prefix: string): string {
  ids += 1;
  return `${prefix}-${ids}`;
}

/** A labelled field: `<label for>` + the control + optional hint tied by aria-describedby. */
export function field(
  label: string,
  control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement,
  hint?: Child,
): HTMLDivElement {
  const id = control.id === '' ? newId('f') : control.id;
  control.id = id;
  const hintElement = hint === undefined ? null : h('p', { class: 'hint', id: `${id}-hint` }, hint);
  if (hintElement !== null) control.setAttribute('aria-describedby', hintElement.id);
  return h('div', { class: 'field' }, h('label', { for: id }, label), control, hintElement);
}

/** Where a refusal or failure is shown; screen readers read it out at once. */
export function alertLine(...children: readonly Child[]): HTMLParagraphElement {
  return h('p', { class: 'error', role: 'alert' }, ...children);
}

/** Where what was just done is said; screen readers read it out when idle. */
export function statusLine(): HTMLParagraphElement {
  return h('p', { class: 'saved', 'aria-live': 'polite' });
}

export function button(text: Child, onclick: Handler, attributes: Attributes = {}): HTMLButtonElement {
  return h('button', { type: 'button', ...attributes, onclick }, text);
}

/**
 * A value shown once (a token's secret, an invitation link): read-only, with a Copy button and a line
 * saying whether it was copied.
 */
export function secretRow(value: string, label: string, copyLabel: string): HTMLElement {
  const input = h('input', { type: 'text', readonly: true, value, class: 'mono', 'aria-label': label });
  const state = h('span', { class: 'saved', 'aria-live': 'polite' });
  const onCopy = () => {
    void copy(value, input).then((ok) => replace(state, ok ? 'Copied.' : 'Selected: press Ctrl+C to copy.'));
  };
  return h(
    'div',
    { class: 'secret-row' },
    input,
    button('Copy', onCopy, { class: 'small', 'aria-label': copyLabel }),
    state,
  );
}

/** Copies `text`; without clipboard permission (plain http on another host), selects `input` for Ctrl+C. */
export async function copy(text: string, input: HTMLInputElement): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    input.focus();
    input.select();
    return false;
  }
}

/**
 * A button that asks before it acts: pressing it shows the question with a confirming button and
 * Cancel (focused, so Enter never confirms by accident) in its place; Cancel brings the button back.
 */
export function confirmButton(
  text: string,
  question: Child,
  confirm: string,
  act: () => void,
  attributes: Attributes = {},
): HTMLSpanElement {
  const holder = h('span', { class: 'confirm' });
  const ask = (): void => {
    const cancel = button('Cancel', () => {
      replace(holder, start);
      start.focus();
    });
    replace(
      holder,
      h(
        'span',
        { role: 'group', 'aria-label': confirm, class: 'confirm-ask' },
        h('span', {}, question),
        ' ',
        button(confirm, act, { class: 'danger' }),
        ' ',
        cancel,
      ),
    );
    cancel.focus();
  };
  const start = button(text, ask, attributes);
  append(holder, start);
  return holder;
}
