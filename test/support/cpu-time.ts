// CPU time of this test process (vitest runs each file in a process of its own), for bounds that must
// catch a blow-up (a quadratic parser, a hang) without failing because the machine is busy: a loaded
// machine stretches wall time, not the CPU a message costs.

/** Runs `work` and answers its result with the CPU milliseconds this process spent meanwhile. */
export async function withCpuTime<T>(work: () => Promise<T>): Promise<{ result: T; cpuMs: number }> {
  const before = process.cpuUsage();
  const result = await work();
  const used = process.cpuUsage(before);
  return { result, cpuMs: (used.user + used.system) / 1000 };
}
