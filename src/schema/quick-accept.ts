/**
 * A quick yes from a zod schema, for the documents it accepts.
 *
 * Zod checks a document by building a copy of it and a list of issues, which is much of a save's CPU. Nearly every
 * document a store sees is conformant, and for those only a yes is needed. `quickAcceptor(schema)` reads the
 * schema's own definition once (so the schema stays the one source of truth) and returns a plain function that
 * walks a value and answers true only where the schema would accept it. False means only "ask zod": whatever it
 * does not know for sure (a kind of schema or check it does not read, an object that is not plain, a value nested
 * past the stack) is false, and zod then decides and says why, with its own messages.
 */
import type { z } from 'zod';

/** True only if the schema accepts `value`; false says nothing (zod decides). Never throws. */
export type QuickAccept = (value: unknown) => boolean;

type Accept = (value: unknown) => boolean;

/** What of a zod schema's definition is read here (zod 4's `_zod.def`). */
interface Definition {
  type: string;
  checks?: { _zod: { def: CheckDefinition } }[];
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  innerType?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  entries?: Record<string, unknown>;
  keyType?: z.ZodType;
  valueType?: z.ZodType;
  getter?: () => z.ZodType;
  /** Set where the schema is a format (z.int(), z.email()): its definition is then a check too. */
  check?: string;
}

interface CheckDefinition {
  check: string;
  minimum?: number;
  value?: number;
  inclusive?: boolean;
  format?: string;
  pattern?: RegExp;
}

const never: Accept = () => false;
const always: Accept = () => true;

export function quickAcceptor(schema: z.ZodType): QuickAccept {
  const accept = compile(schema, new Map());
  return (value) => {
    try {
      return accept(value);
    } catch {
      return false; // nested past the stack: zod says what it can
    }
  };
}

function definitionOf(schema: z.ZodType): Definition {
  return (schema as unknown as { _zod: { def: Definition } })._zod.def;
}

/** The accept function of `schema`; `compiled` holds those built so far, so that a recursive schema ends. */
function compile(schema: z.ZodType, compiled: Map<z.ZodType, Accept>): Accept {
  const done = compiled.get(schema);
  if (done) return done;
  let built: Accept = never;
  // A lazy schema refers back to itself through here: it calls whatever was built by the time it runs.
  compiled.set(schema, (value) => built(value));
  built = build(definitionOf(schema), compiled);
  compiled.set(schema, built);
  return built;
}

function build(def: Definition, compiled: Map<z.ZodType, Accept>): Accept {
  const checks = [...(def.check ? [def as CheckDefinition] : []), ...(def.checks ?? []).map((c) => c._zod.def)].map(
    compileCheck,
  );
  if (checks.includes(never)) return never;
  const base = buildType(def, compiled);
  if (base === never || checks.length === 0) return base;
  return (value) => base(value) && checks.every((check) => check(value));
}

function buildType(def: Definition, compiled: Map<z.ZodType, Accept>): Accept {
  switch (def.type) {
    case 'unknown':
      return always;
    case 'string':
      return (value) => typeof value === 'string';
    case 'boolean':
      return (value) => typeof value === 'boolean';
    case 'number':
      return isNumber;
    case 'enum': {
      const values = new Set(Object.values(def.entries ?? {}));
      return (value) => values.has(value);
    }
    case 'optional': {
      const inner = compile(def.innerType!, compiled);
      return (value) => value === undefined || inner(value);
    }
    case 'nullable': {
      const inner = compile(def.innerType!, compiled);
      return (value) => value === null || inner(value);
    }
    case 'lazy': {
      let inner: Accept | undefined;
      return (value) => {
        inner ??= compile(def.getter!(), compiled);
        return inner(value);
      };
    }
    case 'array': {
      const element = compile(def.element!, compiled);
      return (value) => {
        if (!Array.isArray(value)) return false;
        for (let i = 0; i < value.length; i++) if (!element(value[i])) return false;
        return true;
      };
    }
    case 'union': {
      const options = def.options!.map((option) => compile(option, compiled));
      return (value) => options.some((option) => option(value));
    }
    case 'record':
      return buildRecord(def, compiled);
    case 'object':
      return buildObject(def, compiled);
    default:
      return never;
  }
}

const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** zod's plain object, more strictly: its prototype Object's or none. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** Only a record of string keys to anything is read: its values need no walk. */
function buildRecord(def: Definition, compiled: Map<z.ZodType, Accept>): Accept {
  const key = definitionOf(def.keyType!);
  if (key.type !== 'string' || (key.checks ?? []).length > 0) return never;
  const value = compile(def.valueType!, compiled);
  // zod refuses a record with a symbol key (not a string); JSON has none.
  const keysAreStrings = (input: object) => Object.getOwnPropertySymbols(input).length === 0;
  if (value === always) return (input) => isPlainObject(input) && keysAreStrings(input);
  return (input) => isPlainObject(input) && keysAreStrings(input) && Object.values(input).every(value);
}

/** An object whose keys outside its shape may hold anything (zod's looseObject). */
function buildObject(def: Definition, compiled: Map<z.ZodType, Accept>): Accept {
  if (!def.catchall || definitionOf(def.catchall).type !== 'unknown') return never;
  const fields = Object.entries(def.shape ?? {}).map(
    ([key, schema]) => [key, compile(schema, compiled), mayBeAbsent(schema)] as const,
  );
  return (value) => {
    // zod's object: any object but an array, each field read as `value[key]`.
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
    const object = value as Record<string, unknown>;
    for (let i = 0; i < fields.length; i++) {
      const [key, accept, optional] = fields[i]!;
      if (!(key in object ? accept(object[key]) : optional)) return false;
    }
    return true;
  };
}

/** Whether zod lets an object's key of this schema be left out (`.optional()`, `.nullish()`). */
function mayBeAbsent(schema: z.ZodType): boolean {
  const { optin, optout } = (schema as unknown as { _zod: { optin?: string; optout?: string } })._zod;
  return optin === 'optional' && optout === 'optional';
}

function compileCheck(check: CheckDefinition): Accept {
  switch (check.check) {
    case 'min_length': {
      const minimum = check.minimum!;
      return (value) => (value as { length: number }).length >= minimum;
    }
    case 'greater_than': {
      const bound = check.value!;
      return check.inclusive ? (value) => (value as number) >= bound : (value) => (value as number) > bound;
    }
    case 'number_format':
      return check.format === 'safeint' ? (value) => Number.isSafeInteger(value) : never;
    case 'string_format': {
      if (check.format !== 'regex' || !check.pattern) return never;
      const pattern = check.pattern;
      return (value) => {
        pattern.lastIndex = 0;
        return pattern.test(value as string);
      };
    }
    default:
      return never;
  }
}
