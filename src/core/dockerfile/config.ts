import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { LabelType, LintConfig } from './rule';
import type { Severity } from './types';
import { levenshtein } from '../util/editDistance';

// hadolint's configuration, read the way users already write it: a
// .hadolint.yaml file and HADOLINT_* environment variables. Nothing here
// throws on bad input; problems come back as messages so the CLI and the
// editor can show them next to the file that caused them.

type Env = Record<string, string | undefined>;

const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info', 'style'];
const THRESHOLDS: ReadonlyArray<Severity | 'none'> = [...SEVERITIES, 'none'];
const LABEL_TYPES: readonly LabelType[] = ['text', 'url', 'spdx', 'hash', 'rfc3339', 'semver', 'email'];
const PROJECT_NAMES = ['.hadolint.yaml', '.hadolint.yml', 'hadolint.yaml', 'hadolint.yml'];
/** hadolint keys Berth accepts but does not use (output and terminal options of hadolint's own CLI). */
const IGNORED_KEYS = new Set(['format', 'no-color', 'verbose']);

/**
 * The config file hadolint would use, searched the way Berth does it: first
 * from `startDir` up to the filesystem root (so a file at the repository root
 * applies to Dockerfiles in subdirectories, where hadolint only looks in the
 * working directory), then the user's config locations. The first hit wins;
 * files are never merged, as in hadolint.
 */
export async function findConfigFile(startDir: string, homeDir: string, env: Env): Promise<string | undefined> {
  for (let dir = path.resolve(startDir); ; dir = path.dirname(dir)) {
    for (const name of PROJECT_NAMES) if (await isFile(path.join(dir, name))) return path.join(dir, name);
    if (path.dirname(dir) === dir) break;
  }
  const configDirs = [env.XDG_CONFIG_HOME, process.platform === 'win32' ? env.LOCALAPPDATA : undefined, path.join(homeDir, '.config')];
  const userFiles = [
    ...configDirs.filter((d): d is string => !!d && path.isAbsolute(d)).map((d) => path.join(d, 'hadolint')),
    path.join(homeDir, '.hadolint', 'hadolint'),
    path.join(homeDir, 'hadolint', 'config'),
    path.join(homeDir, '.hadolint'),
  ];
  for (const base of new Set(userFiles)) for (const ext of ['.yaml', '.yml']) if (await isFile(base + ext)) return base + ext;
  return undefined;
}

async function isFile(p: string): Promise<boolean> {
  try {
    return (await fs.stat(p)).isFile();
  } catch {
    return false;
  }
}

/** Parses a hadolint YAML config. Only keys present in the file appear in `config`. */
export function parseConfig(yamlText: string, file: string): { config: Partial<LintConfig>; errors: string[] } {
  const errors: string[] = [];
  const config: Partial<LintConfig> = {};
  const lineCounter = new LineCounter();
  const doc = parseDocument(yamlText, { prettyErrors: false, lineCounter });
  if (doc.errors.length) {
    for (const e of doc.errors) {
      const at = lineCounter.linePos(e.pos[0]);
      errors.push(`${file}:${at.line}:${at.col}: ${e.message.split('\n')[0]}`);
    }
    return { config, errors };
  }
  let root: unknown;
  try {
    root = doc.toJS({ maxAliasCount: 50 });
  } catch (err) {
    return { config, errors: [`${file}: ${(err as Error).message}`] };
  }
  if (root === null || root === undefined) return { config, errors }; // an empty file is a valid, empty config
  if (!isRecord(root)) return { config, errors: [`${file}: expected a mapping of hadolint settings at the top level, found ${describe(root)}`] };

  const bad = (key: string, what: string, value: unknown) => errors.push(`${file}: "${key}" must be ${what}, found ${describe(value)}`);
  for (const [key, value] of Object.entries(root)) {
    switch (key) {
      case 'ignored': {
        const codes = stringList(value, key, errors, file);
        if (codes) config.ignored = codes;
        break;
      }
      case 'override': {
        if (!isRecord(value)) {
          if (value !== null) bad(key, 'a mapping with error/warning/info/style lists', value);
          break;
        }
        const override: LintConfig['override'] = {};
        for (const [sev, codes] of Object.entries(value)) {
          if (!(SEVERITIES as string[]).includes(sev)) errors.push(`${file}: unknown severity "override.${sev}" (expected ${SEVERITIES.join(', ')})`);
          else if (codes !== null) {
            const list = stringList(codes, `override.${sev}`, errors, file);
            if (list) override[sev as Severity] = list;
          }
        }
        config.override = override;
        break;
      }
      case 'trustedRegistries': {
        const list = typeof value === 'string' ? [value] : stringList(value, key, errors, file, 'a registry name or a list of them');
        if (list) config.trustedRegistries = list;
        break;
      }
      case 'label-schema': {
        if (!isRecord(value)) {
          if (value !== null) bad(key, `a mapping of label name to type (${LABEL_TYPES.join(', ')})`, value);
          break;
        }
        const schema: Record<string, LabelType> = {};
        for (const [label, type] of Object.entries(value)) {
          if (typeof type === 'string' && (LABEL_TYPES as string[]).includes(type)) schema[label] = type as LabelType;
          else errors.push(`${file}: label-schema "${label}": unknown type ${describe(type)} (expected ${LABEL_TYPES.join(', ')})`);
        }
        config.labelSchema = schema;
        break;
      }
      case 'strict-labels':
      case 'disable-ignore-pragma':
      case 'no-fail': {
        const b = toBool(value);
        if (b === undefined) bad(key, 'true or false', value);
        else config[key === 'strict-labels' ? 'strictLabels' : key === 'no-fail' ? 'noFail' : 'disableIgnorePragma'] = b;
        break;
      }
      case 'failure-threshold': {
        const t = toThreshold(value);
        if (t) config.failureThreshold = t;
        else bad(key, `one of ${THRESHOLDS.join(', ')}`, value);
        break;
      }
      default:
        if (!IGNORED_KEYS.has(key)) errors.push(`${file}: unknown key "${key}"${suggest(key)}`);
    }
  }
  return { config, errors };
}

/**
 * The HADOLINT_* variables hadolint reads. Unset or empty variables are
 * skipped; values that cannot be understood are skipped and described in
 * `errors` (when given), so a typo never silently changes behaviour.
 */
export function configFromEnv(env: Env, errors: string[] = []): Partial<LintConfig> {
  const config: Partial<LintConfig> = {};
  const get = (name: string) => {
    const v = env[name]?.trim();
    return v ? v : undefined;
  };
  const list = (name: string) => get(name)?.split(',').map((s) => s.trim()).filter(Boolean);

  const ignored = list('HADOLINT_IGNORE');
  if (ignored) config.ignored = ignored;
  for (const sev of SEVERITIES) {
    const codes = list(`HADOLINT_OVERRIDE_${sev.toUpperCase()}`);
    if (codes) config.override = { ...config.override, [sev]: codes };
  }
  const registries = list('HADOLINT_TRUSTED_REGISTRIES');
  if (registries) config.trustedRegistries = registries;
  const labels = list('HADOLINT_REQUIRE_LABELS');
  if (labels) {
    config.labelSchema = {};
    for (const item of labels) {
      const i = item.lastIndexOf(':');
      const [label, type] = i > 0 ? [item.slice(0, i).trim(), item.slice(i + 1).trim()] : [item, ''];
      if ((LABEL_TYPES as string[]).includes(type)) config.labelSchema[label] = type as LabelType;
      else errors.push(`HADOLINT_REQUIRE_LABELS: "${item}" is not label:type (types: ${LABEL_TYPES.join(', ')})`);
    }
  }
  const flags = [
    ['HADOLINT_STRICT_LABELS', 'strictLabels'],
    ['HADOLINT_DISABLE_IGNORE_PRAGMA', 'disableIgnorePragma'],
    ['HADOLINT_NOFAIL', 'noFail'],
  ] as const;
  for (const [name, key] of flags) {
    const raw = get(name);
    if (raw === undefined) continue;
    const b = toBool(raw);
    if (b === undefined) errors.push(`${name}: "${raw}" is not a boolean (use true/false, 1/0, yes/no, on/off)`);
    else config[key] = b;
  }
  const threshold = get('HADOLINT_FAILURE_THRESHOLD');
  if (threshold !== undefined) {
    const t = toThreshold(threshold);
    if (t) config.failureThreshold = t;
    else errors.push(`HADOLINT_FAILURE_THRESHOLD: "${threshold}" is not one of ${THRESHOLDS.join(', ')}`);
  }
  return config;
}

/**
 * Layers partial configs; a later part wins key by key and its lists replace
 * earlier ones. `override` is merged per severity, and a code a later part
 * places at some severity is removed from the earlier parts' other severities,
 * so one code never ends up with two overrides.
 */
export function mergeConfigs(...parts: Array<Partial<LintConfig> | undefined>): Partial<LintConfig> {
  const out: Partial<LintConfig> = {};
  for (const part of parts) {
    if (!part) continue;
    for (const [key, value] of Object.entries(part) as Array<[keyof LintConfig, unknown]>) {
      if (value === undefined) continue;
      if (key === 'override') out.override = mergeOverride(out.override ?? {}, value as LintConfig['override']);
      else (out as Record<string, unknown>)[key] = Array.isArray(value) ? [...value] : isRecord(value) ? { ...value } : value;
    }
  }
  return out;
}

function mergeOverride(base: LintConfig['override'], next: LintConfig['override']): LintConfig['override'] {
  const claimed = new Set(Object.values(next).flatMap((codes) => codes ?? []));
  const out: LintConfig['override'] = {};
  for (const sev of SEVERITIES) {
    const codes = next[sev] ? [...next[sev]!] : base[sev]?.filter((c) => !claimed.has(c));
    if (codes) out[sev] = codes;
  }
  return out;
}

function stringList(value: unknown, key: string, errors: string[], file: string, what = 'a list of rule codes'): string[] | undefined {
  if (value === null) return [];
  if (!Array.isArray(value)) {
    errors.push(`${file}: "${key}" must be ${what}, found ${describe(value)}`);
    return undefined;
  }
  const out: string[] = [];
  value.forEach((v, i) => {
    // YAML reads an unquoted 3008 as a number; a code is always text, so say so rather than guess.
    if (typeof v === 'string' && v.trim()) out.push(v.trim());
    else errors.push(`${file}: "${key}" item ${i + 1} must be a non-empty string, found ${describe(v)}`);
  });
  return out;
}

function toBool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number' && (v === 0 || v === 1)) return v === 1;
  if (typeof v !== 'string') return undefined;
  const s = v.trim().toLowerCase();
  if (['1', 'y', 'yes', 'on', 'true'].includes(s)) return true;
  if (['0', 'n', 'no', 'off', 'false'].includes(s)) return false;
  return undefined;
}

function toThreshold(v: unknown): Severity | 'none' | undefined {
  if (typeof v !== 'string') return undefined;
  const s = v.trim().toLowerCase();
  return (THRESHOLDS as string[]).includes(s) ? (s as Severity | 'none') : undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v} ${JSON.stringify(v)}`;
}

const KNOWN_KEYS = ['ignored', 'override', 'trustedRegistries', 'label-schema', 'strict-labels', 'disable-ignore-pragma', 'failure-threshold', 'no-fail'];

/** Points at the intended key for the usual slips: case, `_` or nothing for `-`, a letter or two off. */
function suggest(key: string): string {
  const norm = (k: string) => k.toLowerCase().replace(/[_-]/g, '');
  const hit = KNOWN_KEYS.find((k) => levenshtein(norm(k), norm(key)) <= 2);
  return hit ? ` (did you mean "${hit}"?)` : ` (known keys: ${KNOWN_KEYS.join(', ')})`;
}
