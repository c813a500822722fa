import type { ElementParticle, GroupParticle, Particle } from './xsd-model.ts';

/**
 * Element-only content models as automata. A sequence/choice model is compiled once into a
 * Thompson NFA over child element names; each element being read gets a cursor that follows
 * its children. When a child does not fit, the cursor says why, so a partner reads "incidentType
 * is missing before reportAnnotations" rather than "not expected": the cheapest path that skips
 * elements to reach the child (or the end) names exactly the required elements left out.
 */

export type StepResult =
  | { readonly kind: 'ok' }
  /** Required elements left out before this child. */
  | { readonly kind: 'missing'; readonly missing: readonly string[] }
  /** The child already occurred as often as it may. */
  | { readonly kind: 'too_many'; readonly max: number }
  /** The child is declared but cannot come here; `expected` are the names that could. */
  | { readonly kind: 'out_of_order'; readonly expected: readonly string[] };

interface ContentCursor {
  /**
   * Advances over a child element declared in the model (unknown names are the caller's to
   * handle); `occurred` is how often the name came before among the parent's children.
   */
  step(name: string, occurred: number): StepResult;
  /** Required elements still missing at the end of the parent; empty when complete. */
  finish(): readonly string[];
}

interface Edge {
  readonly name: string;
  readonly to: number;
}

class Nfa {
  readonly eps: number[][] = [];
  readonly edges: Edge[][] = [];
  accept = 0;

  state(): number {
    this.eps.push([]);
    this.edges.push([]);
    return this.eps.length - 1;
  }

  /** Builds `particle` starting at `from`; returns the state after it. */
  build(particle: Particle, from: number): number {
    const once = (start: number): number => {
      if (particle.kind === 'element') {
        const to = this.state();
        this.edges[start]!.push({ name: particle.name, to });
        return to;
      }
      if (particle.kind === 'sequence') {
        return particle.particles.reduce((at, child) => this.build(child, at), start);
      }
      const join = this.state();
      for (const child of particle.particles) {
        const entry = this.state();
        this.eps[start]!.push(entry);
        this.eps[this.build(child, entry)]!.push(join);
      }
      return join;
    };
    let at = from;
    for (let i = 0; i < particle.min; i += 1) at = once(at);
    if (particle.max === 'unbounded') {
      const loop = this.state();
      this.eps[at]!.push(loop);
      this.eps[once(loop)]!.push(loop);
      return loop;
    }
    const exit = this.state();
    this.eps[at]!.push(exit);
    for (let i = particle.min; i < particle.max; i += 1) {
      at = once(at);
      this.eps[at]!.push(exit);
    }
    return exit;
  }

  closure(states: Iterable<number>): Set<number> {
    const seen = new Set<number>();
    const stack = [...states];
    while (stack.length > 0) {
      const state = stack.pop()!;
      if (seen.has(state)) continue;
      seen.add(state);
      stack.push(...this.eps[state]!);
    }
    return seen;
  }

  /**
   * Labels skipped on the cheapest path from `from` to a state meeting `goal`, where an epsilon
   * move is free and skipping an element costs one (0-1 BFS); null when no path exists.
   */
  skipped(from: ReadonlySet<number>, goal: (state: number) => boolean): string[] | null {
    const cost = new Map<number, number>();
    const previous = new Map<number, { from: number; label: string | null }>();
    const queue: number[] = [];
    for (const state of from) {
      cost.set(state, 0);
      queue.push(state);
    }
    while (queue.length > 0) {
      const state = queue.shift()!;
      if (goal(state)) {
        const labels: string[] = [];
        for (let at = state; previous.has(at); at = previous.get(at)!.from) {
          const label = previous.get(at)!.label;
          if (label !== null) labels.unshift(label);
        }
        return labels;
      }
      const base = cost.get(state)!;
      const relax = (to: number, weight: number, label: string | null) => {
        const known = cost.get(to);
        if (known !== undefined && known <= base + weight) return;
        cost.set(to, base + weight);
        previous.set(to, { from: state, label });
        if (weight === 0) queue.unshift(to);
        else queue.push(to);
      };
      for (const to of this.eps[state]!) relax(to, 0, null);
      for (const edge of this.edges[state]!) relax(edge.to, 1, edge.name);
    }
    return null;
  }
}

/** Per content model: the automaton and each declared element's maximum. */
export interface CompiledContent {
  cursor(): ContentCursor;
}

function maxOf(particle: ElementParticle): number {
  return particle.max === 'unbounded' ? Number.POSITIVE_INFINITY : particle.max;
}

/** A set of NFA states, interned: the automaton is determinised lazily as documents use it. */
interface DfaState {
  readonly states: ReadonlySet<number>;
  readonly accepting: boolean;
  /** Successor per child name; null when the name cannot come here. */
  readonly next: Map<string, DfaState | null>;
}

export function compileGroup(
  group: GroupParticle,
  declared: ReadonlyMap<string, ElementParticle>,
): CompiledContent {
  const nfa = new Nfa();
  const start = nfa.state();
  nfa.accept = nfa.build(group, start);
  const interned = new Map<string, DfaState>();
  const intern = (states: Set<number>): DfaState => {
    const key = [...states].sort((a, b) => a - b).join(',');
    let state = interned.get(key);
    if (state === undefined) {
      state = { states, accepting: states.has(nfa.accept), next: new Map() };
      interned.set(key, state);
    }
    return state;
  };
  const successor = (from: DfaState, name: string): DfaState | null => {
    let next = from.next.get(name);
    if (next === undefined) {
      const targets = [...from.states].flatMap((state) =>
        nfa.edges[state]!.filter((edge) => edge.name === name).map((edge) => edge.to),
      );
      next = targets.length === 0 ? null : intern(nfa.closure(targets));
      from.next.set(name, next);
    }
    return next;
  };
  const initial = intern(nfa.closure([start]));
  return {
    cursor(): ContentCursor {
      let current = initial;
      return {
        step(name, occurred) {
          const next = successor(current, name);
          if (next !== null) {
            current = next;
            return { kind: 'ok' };
          }
          const missing = nfa.skipped(current.states, (state) =>
            nfa.edges[state]!.some((edge) => edge.name === name),
          );
          if (missing !== null && missing.length > 0) return { kind: 'missing', missing };
          const max = maxOf(declared.get(name)!);
          if (occurred >= max) return { kind: 'too_many', max };
          const expected = [
            ...new Set([...current.states].flatMap((state) => nfa.edges[state]!.map((edge) => edge.name))),
          ];
          return { kind: 'out_of_order', expected };
        },
        finish() {
          if (current.accepting) return [];
          return nfa.skipped(current.states, (state) => state === nfa.accept) ?? [];
        },
      };
    },
  };
}

/** xs:all: each element at most once, in any order. */
export function compileAll(elements: readonly ElementParticle[], min: number): CompiledContent {
  return {
    cursor(): ContentCursor {
      const seen = new Set<string>();
      return {
        step(name) {
          if (seen.has(name)) return { kind: 'too_many', max: 1 };
          seen.add(name);
          return { kind: 'ok' };
        },
        finish() {
          if (seen.size === 0 && min === 0) return [];
          return elements.filter((element) => element.min > 0 && !seen.has(element.name)).map((e) => e.name);
        },
      };
    },
  };
}
