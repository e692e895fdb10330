// A mail's HTML, shown safely: the server's sanitized HTML is cleaned again here in an inert document,
// then shown in an iframe sandboxed without scripts or same-origin, under its own Content-Security-
// Policy that loads nothing but inline styles and data: images. Remote images wait for the viewer's
// "Show remote images", after which that one frame may load https: images (never http:).
import { button, h, replace } from './dom.js';

/** Elements that have no business in a displayed mail: dropped with their content. */
const DROPPED = new Set([
  'script',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'base',
  'meta',
  'link',
  'noscript',
  'template',
  'svg',
  'math',
  'audio',
  'video',
  'source',
  'track',
  'portal',
  'input',
  'button',
  'select',
  'textarea',
  'dialog',
  'canvas',
]);
/** Elements replaced by their children (their content is mail text worth keeping). */
const UNWRAPPED = new Set(['form', 'fieldset']);
/** Attributes that fetch, navigate or run something. */
const DROPPED_ATTRIBUTES = new Set([
  'srcset',
  'background',
  'ping',
  'action',
  'formaction',
  'poster',
  'lowsrc',
  'dynsrc',
  'xmlns',
  'http-equiv',
  'content',
  'target',
  'srcdoc',
  'data',
  'codebase',
  'manifest',
  'integrity',
  'nonce',
]);
const SAFE_LINK = /^(https?:|mailto:|#)/i;
/** CSS that could fetch or run something; with escapes (`\\75 rl(`) a rule cannot be read safely at all. */
const CSS_FETCH = /url\s*\(\s*(['"]?)(.*?)\1\s*\)/gi;
const CSS_UNREADABLE = /\\|expression\s*\(|behavior\s*:|-moz-binding|javascript:/i;
const DATA_IMAGE = /^data:image\/(png|gif|jpe?g|webp);/i;

const FRAME_STYLE =
  'body{margin:0;padding:16px;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;' +
  'color:#1f2933;background:#fff;overflow-wrap:anywhere}img{max-width:100%;height:auto}' +
  '.tm-blocked{display:inline-block;padding:2px 6px;border:1px dashed #9aa5b1;color:#52606d;font-size:12px}' +
  'table{max-width:100%}pre{white-space:pre-wrap}';

export interface CleanMail {
  /** The body's markup after cleaning, with remote images as placeholders. */
  readonly html: string;
  readonly remoteImages: number;
}

/** Cleans `html` in an inert document (DOMParser runs no script and loads nothing). */
export function cleanMail(html: string, showRemote: boolean): CleanMail {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  let remoteImages = 0;
  // Style sheets in the head would be lost with it: the body keeps them.
  for (const style of [...doc.head.querySelectorAll('style')]) doc.body.prepend(style);
  for (const element of [...doc.body.querySelectorAll('*')]) {
    const tag = element.localName;
    if (DROPPED.has(tag)) {
      element.remove();
      continue;
    }
    if (UNWRAPPED.has(tag)) {
      element.replaceWith(...element.childNodes);
      continue;
    }
    for (const attribute of [...element.attributes]) {
      const name = attribute.name.toLowerCase();
      if (name.startsWith('on') || DROPPED_ATTRIBUTES.has(name) || name.includes(':'))
        element.removeAttribute(attribute.name);
    }
    if (tag === 'style') element.textContent = cleanCss(element.textContent ?? '', showRemote);
    const style = element.getAttribute('style');
    if (style !== null) element.setAttribute('style', cleanCss(style, showRemote));
    const href = element.getAttribute('href');
    if (href !== null) {
      if (SAFE_LINK.test(href.trim())) {
        element.setAttribute('target', '_blank');
        element.setAttribute('rel', 'noopener noreferrer');
      } else element.removeAttribute('href');
    }
    const src = element.getAttribute('src')?.trim() ?? null;
    if (src === null) {
      // An image with no source left (srcset, cid: parts, relative paths) is shown as what it was.
      if (tag === 'img') element.replaceWith(placeholder(doc, element.getAttribute('alt')));
      continue;
    }
    if (tag === 'img' && DATA_IMAGE.test(src)) continue;
    element.removeAttribute('src');
    if (tag !== 'img') continue;
    const remote = /^https?:/i.test(src);
    if (remote) remoteImages += 1;
    if (remote && showRemote && /^https:/i.test(src)) element.setAttribute('src', src);
    else element.replaceWith(placeholder(doc, element.getAttribute('alt')));
  }
  return { html: doc.body.innerHTML, remoteImages };
}

/**
 * The frame's policy already blocks every remote load from CSS; this removes them before they are even
 * attempted (imports, fonts, backgrounds), keeping data: images and, once allowed, https: ones.
 */
export function cleanCss(css: string, showRemote: boolean): string {
  if (CSS_UNREADABLE.test(css)) return '';
  return css
    .replace(/@import[^;]*;?/gi, '')
    .replace(CSS_FETCH, (whole, _quote: string, target: string) =>
      /^data:image\//i.test(target.trim()) || (showRemote && /^https:/i.test(target.trim())) ? whole : 'none',
    );
}

function placeholder(doc: Document, alt: string | null): HTMLElement {
  const span = doc.createElement('span');
  span.className = 'tm-blocked';
  span.textContent = alt === null || alt.trim() === '' ? 'image' : `image: ${alt}`;
  return span;
}

/** The document of the frame: its own CSP first, before any of the mail's markup. */
export function frameDocument(body: string, showRemote: boolean): string {
  const policy = `default-src 'none'; style-src 'unsafe-inline'; img-src data:${showRemote ? ' https:' : ''}; form-action 'none'`;
  return (
    '<!doctype html><html><head><meta charset="utf-8">' +
    `<meta http-equiv="Content-Security-Policy" content="${policy}">` +
    `<meta name="referrer" content="no-referrer"><style>${FRAME_STYLE}</style></head><body>${body}</body></html>`
  );
}

/** The frame with its remote-images bar. */
export function mailFrame(html: string): HTMLElement {
  const frame = h('iframe', {
    class: 'mail-frame',
    title: 'Formatted message, shown without scripts',
    // No allow-scripts, no allow-same-origin, no allow-forms, no top navigation: links open in a new tab.
    sandbox: 'allow-popups allow-popups-to-escape-sandbox',
    referrerpolicy: 'no-referrer',
    loading: 'lazy',
  });
  const bar = h('div', { class: 'remote-bar' });
  const wrapper = h('div', { class: 'mail-html' }, bar, frame);
  const show = (remote: boolean) => {
    const clean = cleanMail(html, remote);
    frame.srcdoc = frameDocument(clean.html, remote);
    if (clean.remoteImages === 0) replace(bar);
    else if (remote) replace(bar, h('p', {}, `Remote images shown (secure https: images only).`));
    else
      replace(
        bar,
        h(
          'p',
          {},
          `${clean.remoteImages} remote image${clean.remoteImages === 1 ? ' is' : 's are'} blocked: loading them tells the sender you read this mail. `,
          button('Show remote images', () => show(true), { class: 'small' }),
        ),
      );
  };
  show(false);
  return wrapper;
}
