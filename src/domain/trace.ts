// The decision trace: every rule appends what it looked at and what it found (SPEC §5), so anyone can
// see why a message ended where it did.
export interface TraceEntry {
  readonly step: string;
  readonly detail: string;
}

export type Trace = readonly TraceEntry[];

/** Collects trace entries while a decision is made. */
export class TraceBuilder {
  readonly #entries: TraceEntry[] = [];

  add(step: string, detail: string): this {
    this.#entries.push({ step, detail });
    return this;
  }

  get entries(): Trace {
    return [...this.#entries];
  }
}
