// Cross-references inside one Compose file that compose checks when it loads a
// project and a schema cannot: services named by depends_on, links, extends,
// network_mode and volumes_from must exist; networks, volumes, secrets and
// configs used by services must be declared; depends_on must not loop.

import { closest } from '../../util/editDistance';
import type { PathFinding, ValuePath } from '../types';
import { isMapping, listOrKeys, sectionEntries, type Mapping } from './values';

export function referenceFindings(root: Mapping): PathFinding[] {
  const out: PathFinding[] = [];
  const services = sectionEntries(root, 'services');
  const serviceNames = services.map(([n]) => n);
  const declared = (section: string) => new Set(sectionEntries(root, section).map(([n]) => n));
  const networks = declared('networks');
  const volumes = declared('volumes');
  const secrets = declared('secrets');
  const configs = declared('configs');

  // `rewrite` turns the suggested name into the whole new value where the name is only part of it
  // (`service:db`, `db:alias`, `data:/srv:ro`): the fix replaces the entire value, so the rest must be kept.
  const unknown: Unknown = (path, target, kind, name, known, rewrite = (s) => s) => {
    const suggestion = closest(name, known);
    out.push({
      path,
      target,
      code: 'CMP011',
      severity: 'error',
      message: `Undefined ${kind} "${name}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`,
      ...(suggestion ? { fixes: [{ title: `Change to "${suggestion}"`, target, replacement: rewrite(suggestion) }] } : {}),
    });
  };

  for (const [name, svc] of services) {
    const at = (...rest: (string | number)[]): ValuePath => ['services', name, ...rest];
    for (const dep of listOrKeys(svc.depends_on)) {
      const entry = isMapping(svc.depends_on) ? svc.depends_on[dep.name] : undefined;
      const required = isMapping(entry) ? entry.required !== false : true;
      if (!serviceNames.includes(dep.name) && required) unknown(at('depends_on', dep.segment), dep.target, 'service', dep.name, serviceNames);
    }
    if (Array.isArray(svc.links))
      svc.links.forEach((l, i) => {
        const target = typeof l === 'string' ? l.split(':')[0] : undefined;
        if (target && !serviceNames.includes(target)) unknown(at('links', i), 'value', 'service', target, serviceNames, (s) => s + (l as string).slice(target.length));
      });
    if (isMapping(svc.extends) && typeof svc.extends.service === 'string' && svc.extends.file === undefined && !serviceNames.includes(svc.extends.service))
      unknown(at('extends', 'service'), 'value', 'service', svc.extends.service, serviceNames);
    if (typeof svc.extends === 'string' && !serviceNames.includes(svc.extends)) unknown(at('extends'), 'value', 'service', svc.extends, serviceNames);
    if (typeof svc.network_mode === 'string' && svc.network_mode.startsWith('service:')) {
      const target = svc.network_mode.slice('service:'.length);
      if (!serviceNames.includes(target)) unknown(at('network_mode'), 'value', 'service', target, serviceNames, (s) => `service:${s}`);
    }
    if (Array.isArray(svc.volumes_from))
      svc.volumes_from.forEach((v, i) => {
        if (typeof v !== 'string' || v.startsWith('container:')) return;
        const prefix = v.startsWith('service:') ? 'service:' : '';
        const target = v.slice(prefix.length).split(':')[0];
        if (!serviceNames.includes(target)) unknown(at('volumes_from', i), 'value', 'service', target, serviceNames, (s) => prefix + s + v.slice(prefix.length + target.length));
      });
    if (svc.network_mode !== undefined && svc.networks !== undefined)
      out.push({ path: at('network_mode'), target: 'key', code: 'CMP012', severity: 'error', message: `Service ${name} declares both network_mode and networks; they are mutually exclusive` });
    for (const n of listOrKeys(svc.networks)) if (n.name !== 'default' && !networks.has(n.name)) unknown(at('networks', n.segment), n.target, 'network', n.name, networks);
    if (Array.isArray(svc.volumes)) svc.volumes.forEach((v, i) => volumeReference(v, at('volumes', i), volumes, unknown, out));
    for (const [key, known, kind] of [['secrets', secrets, 'secret'], ['configs', configs, 'config']] as const) {
      if (!Array.isArray(svc[key])) continue;
      (svc[key] as unknown[]).forEach((s, i) => {
        const source = typeof s === 'string' ? s : isMapping(s) && typeof s.source === 'string' ? s.source : undefined;
        if (source !== undefined && !known.has(source)) unknown(typeof s === 'string' ? at(key, i) : at(key, i, 'source'), 'value', kind, source, known);
      });
    }
  }
  out.push(...dependencyCycles(services));
  return out;
}

/** A short-syntax volume `name:/path` or a long-syntax `type: volume` names a top-level volume; binds and tmpfs don't. */
type Unknown = (path: ValuePath, target: 'key' | 'value', kind: string, name: string, known: Iterable<string>, rewrite?: (suggestion: string) => string) => void;

function volumeReference(v: unknown, path: ValuePath, volumes: Set<string>, unknown: Unknown, out: PathFinding[]): void {
  if (typeof v === 'string') {
    const source = splitVolumeSpec(v)[0];
    if (source !== undefined && isVolumeName(source) && !volumes.has(source)) unknown(path, 'value', 'volume', source, volumes, (s) => s + v.slice(source.length));
    return;
  }
  if (!isMapping(v)) return;
  const type = v.type ?? 'volume';
  if (type === 'volume' && typeof v.source === 'string' && v.source !== '' && !volumes.has(v.source)) unknown([...path, 'source'], 'value', 'volume', v.source, volumes);
  if (type === 'bind' && (typeof v.source !== 'string' || v.source === ''))
    out.push({ path: v.source === undefined ? path : [...path, 'source'], target: 'value', code: 'CMP013', severity: 'error', message: 'A bind mount needs a source: the host path to mount' });
}

/** `src:dst[:mode]`, with a Windows drive letter (`C:\x`) kept in one piece. */
function splitVolumeSpec(spec: string): string[] {
  const parts = spec.split(':');
  if (parts.length > 1 && /^[a-zA-Z]$/.test(parts[0]) && /^[\\/]/.test(parts[1] ?? '')) parts.splice(0, 2, `${parts[0]}:${parts[1]}`);
  return parts.length === 1 ? [] : parts;
}

function isVolumeName(source: string): boolean {
  return source !== '' && !/^[./~$\\]/.test(source) && !/^[a-zA-Z]:[\\/]/.test(source) && !source.includes('/');
}

function dependencyCycles(services: [string, Mapping][]): PathFinding[] {
  const deps = new Map(services.map(([n, s]) => [n, listOrKeys(s.depends_on)]));
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const out: PathFinding[] = [];
  const visit = (name: string): void => {
    state.set(name, 'visiting');
    stack.push(name);
    for (const dep of deps.get(name) ?? []) {
      if (!deps.has(dep.name)) continue;
      if (state.get(dep.name) === 'visiting') {
        const cycle = [...stack.slice(stack.indexOf(dep.name)), dep.name].join(' -> ');
        out.push({ path: ['services', name, 'depends_on', dep.segment], target: dep.target, code: 'CMP014', severity: 'error', message: `Dependency cycle: ${cycle}` });
      } else if (!state.has(dep.name)) visit(dep.name);
    }
    stack.pop();
    state.set(name, 'done');
  };
  for (const [name] of services) if (!state.has(name)) visit(name);
  return out;
}
