// Which keys does the schema know? kubernetes-models compiles its schemas
// without `additionalProperties: false` (the API server prunes unknown fields
// silently), so ajv never reports a misspelt key and exposes no property lists
// at run time. But a compiled validator must read every property its schema
// declares — `data.replicas === undefined` even when absent — so we hand it the
// document behind read-recording proxies: the keys read on an object are the
// keys its schema knows, and the object's other keys are unknown.
//
// Objects the validator enumerates (maps such as labels) accept any key, and
// objects it reads nothing from have a free-form schema (`type: object` only);
// neither can have unknown keys.

import type { ValuePath } from '../types';

interface ReadLog {
  keys: Set<string>;
  enumerated: boolean;
  children: Map<string, ReadLog>;
  proxy: object;
}

export interface UnknownKey {
  /** Path of the object holding the key. */
  path: ValuePath;
  key: string;
  /** Keys the schema declares for that object. */
  known: string[];
}

export interface ReadRecorder<T extends object> {
  /** Pass this to the validator instead of the document. */
  proxy: T;
  /** Keys in the document its schema does not declare; call after validating. */
  unknownKeys(): UnknownKey[];
  /** Keys the schema declares for the object at `path` (undefined when unknown). */
  knownKeys(path: ValuePath): string[] | undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (!value || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

const wrappable = (value: unknown): value is object => Array.isArray(value) || isPlainObject(value);

function record(target: object): ReadLog {
  const log: ReadLog = { keys: new Set(), enumerated: false, children: new Map(), proxy: target };
  log.proxy = new Proxy(target, {
    get(t, key, receiver) {
      const value = Reflect.get(t, key, receiver);
      if (typeof key !== 'string') return value;
      log.keys.add(key);
      if (!Object.prototype.hasOwnProperty.call(t, key) || !wrappable(value)) return value;
      // One proxy per place, so repeated reads of the same child share a log.
      let child = log.children.get(key);
      if (!child) log.children.set(key, (child = record(value)));
      return child.proxy;
    },
    has(t, key) {
      if (typeof key === 'string') log.keys.add(key);
      return Reflect.has(t, key);
    },
    getOwnPropertyDescriptor(t, key) {
      if (typeof key === 'string') log.keys.add(key);
      return Reflect.getOwnPropertyDescriptor(t, key);
    },
    ownKeys(t) {
      log.enumerated = true;
      return Reflect.ownKeys(t);
    },
  });
  return log;
}

// Names every object answers to, which say nothing about the schema.
const INHERITED = new Set(Object.getOwnPropertyNames(Object.prototype));

function declared(log: ReadLog, value: object): string[] | undefined {
  if (Array.isArray(value) || log.enumerated || log.keys.size === 0) return undefined;
  return [...log.keys].filter((key) => !INHERITED.has(key));
}

export function recordReads<T extends object>(doc: T): ReadRecorder<T> {
  const root = record(doc);

  // In document order, so findings come out the way the file reads.
  function collect(value: object, log: ReadLog, path: (string | number)[], out: UnknownKey[]): void {
    const known = declared(log, value);
    for (const key of Object.keys(value)) {
      if (known && !log.keys.has(key)) out.push({ path, key, known });
      const child = log.children.get(key);
      if (!child) continue;
      const index = Array.isArray(value) ? Number(key) : key;
      collect((value as Record<string | number, object>)[index], child, [...path, index], out);
    }
  }

  return {
    proxy: root.proxy as T,
    unknownKeys() {
      const out: UnknownKey[] = [];
      collect(doc, root, [], out);
      return out;
    },
    knownKeys(path) {
      let log: ReadLog | undefined = root;
      let value: unknown = doc;
      for (const key of path) {
        log = log.children.get(String(key));
        value = (value as Record<string | number, unknown>)[key];
        if (!log) return undefined;
      }
      return declared(log, value as object);
    },
  };
}
