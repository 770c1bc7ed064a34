/** What the chaos test injects into a running sweep, and when: everything is drawn from one seed. */

export type InjectionKind = 'kill-worker' | 'kill-scheduler' | 'kill-postgres';

export interface PlannedInjection {
  kind: InjectionKind;
  /** Fires once at least this many trials have finished (progress, not wall time, so a slow machine replays the same plan). */
  afterFinished: number;
  /** Extra wait once the trigger holds, so kills land at different points of an epoch. */
  jitterMs: number;
  /** How long a killed scheduler or PostgreSQL stays down before it is started again (a killed worker is replaced at once). */
  downMs: number;
  /** Draw in [0, 1) that picks the victim among the workers that are mid-trial. */
  pick: number;
}

export interface ChaosPlan {
  seed: number;
  injections: PlannedInjection[];
}

/** mulberry32: a tiny seeded generator, so a printed seed replays the same plan. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The seed from `ABLATE_CHAOS_SEED`, or a fresh random one. */
export function chaosSeed(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.ABLATE_CHAOS_SEED;
  if (raw === undefined || raw === '') return Math.floor(Math.random() * 2 ** 31);
  const seed = Number(raw);
  if (!Number.isInteger(seed) || seed < 0)
    throw new Error(`ABLATE_CHAOS_SEED must be a non-negative integer (got "${raw}")`);
  return seed;
}

/**
 * Two worker kills, one scheduler kill and one PostgreSQL kill, in a seeded order, each at a
 * seeded point of the sweep's progress. Triggers stay in the first ~60 % of the trials so the
 * last injection still has trials in flight and some left to run after it.
 */
export function planChaos(seed: number, trialCount: number): ChaosPlan {
  const rand = seededRandom(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const kinds: InjectionKind[] = ['kill-worker', 'kill-worker', 'kill-scheduler', 'kill-postgres'];
  for (let i = kinds.length - 1; i > 0; i--) {
    const j = int(0, i);
    [kinds[i], kinds[j]] = [kinds[j]!, kinds[i]!];
  }
  const lastTrigger = Math.max(kinds.length, Math.floor(trialCount * 0.6));
  const triggers = new Set<number>();
  while (triggers.size < kinds.length) triggers.add(int(1, lastTrigger));
  const sorted = [...triggers].sort((a, b) => a - b);
  const injections = kinds.map((kind, i) => ({
    kind,
    afterFinished: sorted[i]!,
    jitterMs: int(0, 900),
    // Outages of 3-10 s: longer than the test's 6 s lease TTL about half of the time, which is what expired leases.
    downMs: kind === 'kill-worker' ? 0 : int(3_000, 10_000),
    pick: rand(),
  }));
  return { seed, injections };
}

/** One line per injection, for the test's output. */
export function describePlan(plan: ChaosPlan): string {
  const lines = plan.injections.map(
    (p, i) =>
      `  ${i + 1}. ${p.kind} after ${p.afterFinished} finished trials` +
      ` (+${p.jitterMs} ms${p.kind === 'kill-worker' ? `, victim draw ${p.pick.toFixed(3)}` : `, down ${p.downMs} ms`})`,
  );
  return [`chaos seed ${plan.seed} (replay: ABLATE_CHAOS_SEED=${plan.seed})`, ...lines].join('\n');
}
