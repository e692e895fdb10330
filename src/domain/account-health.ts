// Account health (SPEC §13): which day a touchpoint counts on, how counts change when touchpoints come,
// go or move, and the 30/90-day windows read from day counts. Pure: the store keeps what this computes.

/** The windows every account shows (SPEC §13: touchpoints in the last 30 and 90 days). */
export const HEALTH_WINDOW_DAYS = [30, 90] as const;

const DAY_MS = 86_400_000;

/** A touchpoint as the figures see it. */
export interface Touch {
  readonly id: string;
  readonly accountId: string;
  /** ISO-8601 UTC as stored (`Date.toISOString()`). */
  readonly occurredAt: string;
  readonly author: string;
}

/** How many touchpoints an account gains (or loses, negative) on one UTC day. */
export interface DayDelta {
  readonly accountId: string;
  readonly day: string;
  readonly delta: number;
}

/** The UTC day a touchpoint counts on: the date part of its stored ISO time (as `substr(…, 1, 10)`). */
export function dayOf(occurredAt: string): string {
  return occurredAt.slice(0, 10);
}

/**
 * The net change of day counts when `added` touchpoints arrive and `removed` ones leave (a move is
 * both), in (account, day) order so concurrent writers take row locks in one order; zeros dropped.
 */
export function dayDeltas(
  added: readonly Pick<Touch, 'accountId' | 'occurredAt'>[],
  removed: readonly Pick<Touch, 'accountId' | 'occurredAt'>[],
): DayDelta[] {
  const net = new Map<string, DayDelta>();
  const add = (t: Pick<Touch, 'accountId' | 'occurredAt'>, by: number) => {
    const day = dayOf(t.occurredAt);
    const key = JSON.stringify([t.accountId, day]);
    net.set(key, { accountId: t.accountId, day, delta: (net.get(key)?.delta ?? 0) + by });
  };
  for (const t of added) add(t, 1);
  for (const t of removed) add(t, -1);
  return [...net.values()]
    .filter((d) => d.delta !== 0)
    .sort((a, b) => compare(a.accountId, b.accountId) || compare(a.day, b.day));
}

/** Per account, the touch that becomes its last touch if newer than the kept one, and its earliest future one. */
export interface TouchSummary {
  readonly accountId: string;
  /** Newest touch dated at or before now (ties: the greater id), or null. */
  readonly newest: Touch | null;
  /** Earliest occurredAt after now, or null: the last touch must move when it comes due. */
  readonly nextAt: string | null;
}

export function summarizeTouches(touches: readonly Touch[], now: Date): TouchSummary[] {
  const at = now.toISOString();
  const byAccount = new Map<string, { newest: Touch | null; nextAt: string | null }>();
  for (const t of touches) {
    const s = byAccount.get(t.accountId) ?? { newest: null, nextAt: null };
    if (t.occurredAt <= at) {
      if (s.newest === null || isNewer(t, s.newest)) s.newest = t;
    } else if (s.nextAt === null || t.occurredAt < s.nextAt) s.nextAt = t.occurredAt;
    byAccount.set(t.accountId, s);
  }
  return [...byAccount.entries()]
    .sort(([a], [b]) => compare(a, b))
    .map(([accountId, s]) => ({ accountId, ...s }));
}

/** The order of last touches: the later occurredAt, then the greater id (any fixed rule; this one). */
export function isNewer(a: Pick<Touch, 'id' | 'occurredAt'>, b: Pick<Touch, 'id' | 'occurredAt'>): boolean {
  return a.occurredAt > b.occurredAt || (a.occurredAt === b.occurredAt && a.id > b.id);
}

/**
 * One rolling window, `days` long, ending now (INTERFACE: occurredAt in the last N days up to now,
 * inclusive). Whole days strictly inside it are read from day counts; the two partial days at its ends
 * (the first day, from `from`; today, up to now) are counted exactly from the touchpoints' own index —
 * at most two days of an account, so a touchpoint dated later today or 30 days and an hour ago is
 * counted right, not rounded to its day.
 */
export interface HealthWindow {
  readonly days: number;
  /** ISO: the window's start, inclusive. */
  readonly from: string;
  /** The day of `from`, counted exactly from `from` to its end. */
  readonly firstDay: string;
  /** ISO: the start of the day after firstDay (the exact part ends before it). */
  readonly firstDayEnd: string;
}

export interface HealthClock {
  /** ISO now: the windows' end, inclusive. */
  readonly now: string;
  readonly today: string;
  /** ISO start of today (UTC). */
  readonly todayStart: string;
  readonly windows: readonly HealthWindow[];
}

export function healthClock(now: Date): HealthClock {
  const at = now.toISOString();
  return {
    now: at,
    today: dayOf(at),
    todayStart: `${dayOf(at)}T00:00:00.000Z`,
    windows: HEALTH_WINDOW_DAYS.map((days) => {
      const from = new Date(now.getTime() - days * DAY_MS).toISOString();
      const firstDay = dayOf(from);
      return {
        days,
        from,
        firstDay,
        firstDayEnd: new Date(Date.parse(`${firstDay}T00:00:00.000Z`) + DAY_MS).toISOString(),
      };
    }),
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
