// "Why this account?": the decision trace of SPEC §5, step by step, as the rules wrote it.
import { h } from './dom.js';
import type { TraceStep } from './model.js';

export function traceView(trace: readonly TraceStep[], open = false): HTMLElement {
  const steps = h('ol', { class: 'trace' });
  for (const step of trace)
    steps.append(
      h('li', {}, h('strong', {}, step.step), step.detail === '' ? null : h('span', {}, step.detail)),
    );
  if (trace.length === 0) steps.append(h('li', {}, 'No trace was recorded (imported history).'));
  return h(
    'details',
    { class: 'card why', ...(open ? { open: true } : {}) },
    h('summary', {}, 'Why this account?'),
    steps,
  );
}
