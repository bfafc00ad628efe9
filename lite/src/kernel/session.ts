/**
 * The names a notebook's cells share, and running one compiled cell (./cell.ts) among them.
 * Runs anywhere a `Function` constructor does: in the kernel's Web Worker, and in Node for tests.
 */
import { CELL, SCOPE, type CompiledCell } from "./cell";

export type Require = (specifier: string) => unknown;

export interface CellOutcome {
  /** The last expression's value (undefined when the cell does not end in an expression). */
  value: unknown;
  hasResult: boolean;
}

export class Session {
  /**
   * What cells see as free names, before the globals. No Object.prototype behind it: a cell's
   * `constructor` or `toString` must not resolve to the scope's own.
   */
  readonly scope: Record<string, unknown>;

  constructor(private readonly requireModule: Require) {
    const base = Object.create(null) as Record<string, unknown>;
    base.require = requireModule;
    this.scope = Object.create(base) as Record<string, unknown>;
  }

  async run(cell: Extract<CompiledCell, { ok: true }>): Promise<CellOutcome> {
    const scope = this.scope;
    const state = {
      result: undefined as unknown,
      require: this.requireModule,
      importDefault: (m: unknown) => (m && (m as { __esModule?: boolean }).__esModule ? (m as { default: unknown }).default : m),
      /** Put `name` on the scope as the cell's own binding, reading the previous value until it is set. */
      bind(name: string, get: () => unknown, set: (v: unknown) => void): void {
        const previous = Object.getOwnPropertyDescriptor(scope, name);
        Object.defineProperty(scope, name, {
          configurable: true,
          enumerable: true,
          get() {
            try {
              return get();
            } catch (e) {
              // Not initialised yet (this cell failed before its declaration ran): the old value.
              if (e instanceof ReferenceError && previous) return previous.get ? previous.get() : previous.value;
              throw e;
            }
          },
          set,
        });
      },
    };
    // Sloppy-mode code: `with` is how the free names of a cell reach the scope.
    const run = new Function(SCOPE, CELL, `with (${SCOPE}) { return (async () => {\n${cell.body}\n})(); }`) as (
      scope: Record<string, unknown>,
      cellState: typeof state,
    ) => Promise<void>;
    await run(scope, state);
    return { value: state.result, hasResult: cell.hasResult };
  }
}
