// Stand-in for `k6/data` (tests only): SharedArray runs its factory once and hands out copies, like k6 (JSON round trip).

const arrays = new Map<string, unknown[]>();

function SharedArrayImpl(name: string, factory: () => unknown[]): unknown[] {
  const data = factory();
  if (!Array.isArray(data)) throw new Error(`SharedArray ${name}: the callback must return an array`);
  const copy = JSON.parse(JSON.stringify(data)) as unknown[];
  arrays.set(name, copy);
  return Object.freeze(copy) as unknown[];
}

export const SharedArray = SharedArrayImpl as unknown as new <T>(name: string, factory: () => T[]) => T[];

export default { SharedArray };
