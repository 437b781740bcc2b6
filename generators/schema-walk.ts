// Walks the contract's JSON Schema into a flat list of instance locations, so mutations follow the schema when it changes.

/** The subset of JSON Schema keywords the contract uses (and the mutators understand). */
export interface SchemaNode {
  type?: string;
  required?: readonly string[];
  properties?: Readonly<Record<string, SchemaNode>>;
  additionalProperties?: boolean | SchemaNode;
  items?: SchemaNode;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  enum?: readonly unknown[];
  pattern?: string;
  format?: string;
}

/** One place in a body the schema constrains. */
export interface SchemaLocation {
  /** JSON Pointer (RFC 6901) into a body; array items are addressed at index 0 (`/sdkAuditEvents/0/dateTime`). */
  pointer: string;
  /** Pointer of the enclosing object or array; null for the root. */
  parent: string | null;
  /** Property name within the parent object; null for the root and for array items. */
  name: string | null;
  /** Listed in the parent's `required`. */
  required: boolean;
  schema: SchemaNode;
}

/** Every location of `schema`, parents before children, properties in schema order. */
export function schemaLocations(schema: SchemaNode): SchemaLocation[] {
  const out: SchemaLocation[] = [];
  const visit = (node: SchemaNode, pointer: string, parent: string | null, name: string | null, required: boolean) => {
    out.push({ pointer, parent, name, required, schema: node });
    for (const [key, child] of Object.entries(node.properties ?? {})) {
      visit(child, `${pointer}/${escapeToken(key)}`, pointer, key, node.required?.includes(key) ?? false);
    }
    if (node.items !== undefined) visit(node.items, `${pointer}/0`, pointer, null, false);
  };
  visit(schema, '', null, null, false);
  return out;
}

/** RFC 6901 escaping of one reference token. */
export function escapeToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

// Mutations resolve the same few hundred pointers over and over: parse each once.
const tokenCache = new Map<string, readonly string[]>();

/** The reference tokens of a pointer ('' → []). */
export function pointerTokens(pointer: string): readonly string[] {
  let tokens = tokenCache.get(pointer);
  if (tokens === undefined) {
    tokens = pointer === '' ? [] : pointer.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
    if (tokenCache.size < 10_000) tokenCache.set(pointer, tokens);
  }
  return tokens;
}

/** The value at `pointer` in `doc`, or undefined. */
export function getAt(doc: unknown, pointer: string): unknown {
  let node = doc;
  for (const token of pointerTokens(pointer)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[token];
  }
  return node;
}

/** Sets (or, with `remove`, deletes) the value at `pointer` in `doc`, whose parent must exist. */
export function setAt(doc: unknown, pointer: string, value: unknown, remove = false): void {
  const tokens = pointerTokens(pointer);
  const last = tokens[tokens.length - 1];
  if (last === undefined) throw new RangeError('cannot set the root through a pointer');
  let parent: unknown = doc;
  for (let i = 0; i < tokens.length - 1 && parent !== null && typeof parent === 'object'; i++) {
    parent = (parent as Record<string, unknown>)[tokens[i]!];
  }
  if (parent === null || typeof parent !== 'object') throw new RangeError(`no object or array at the parent of ${pointer}`);
  if (remove) delete (parent as Record<string, unknown>)[last];
  else (parent as Record<string, unknown>)[last] = value;
}
