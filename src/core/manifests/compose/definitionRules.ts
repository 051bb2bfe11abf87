// Rules on single definitions that compose enforces while loading and the
// schema cannot express: external resources that also configure themselves,
// `name` next to the deprecated `external.name`, GPU device requests, services
// without an image, and two services publishing the same host port.

import type { PathFinding, ValuePath } from '../types';
import { isMapping, sectionEntries, type Mapping } from './values';

export function definitionFindings(root: Mapping): PathFinding[] {
  const out: PathFinding[] = [];
  for (const section of ['networks', 'volumes', 'secrets', 'configs']) {
    for (const [name, def] of sectionEntries(root, section)) {
      const at = (...rest: string[]): ValuePath => [section, name, ...rest];
      const external = def.external === true || isMapping(def.external);
      if (!external) continue;
      for (const key of ['driver', 'driver_opts', 'labels'])
        if (def[key] !== undefined && (section === 'networks' || section === 'volumes'))
          out.push({ path: at(key), target: 'key', code: 'CMP020', severity: 'error', message: `${section}.${name}: "external" and "${key}" conflict; an external ${section.slice(0, -1)} is created outside this project` });
      if (isMapping(def.external) && def.external.name !== undefined) {
        if (def.name !== undefined)
          out.push({ path: at('external', 'name'), target: 'key', code: 'CMP021', severity: 'error', message: `${section}.${name}: name and external.name conflict; only use name` });
        else
          out.push({
            path: at('external'),
            target: 'value',
            code: 'CMP022',
            severity: 'warning',
            message: `${section}.${name}: external.name is deprecated; set "name" and "external: true"`,
          });
      }
    }
  }
  for (const [name, svc] of sectionEntries(root, 'services')) {
    if (svc.image === undefined && svc.build === undefined && svc.extends === undefined && svc.provider === undefined)
      out.push({ path: ['services', name], target: 'key', code: 'CMP023', severity: 'error', message: `Service ${name} has neither an image nor a build context` });
    out.push(...deviceRequestFindings(['services', name], svc));
  }
  out.push(...publishedPortClashes(root));
  return out;
}

function deviceRequestFindings(at: ValuePath, svc: Mapping): PathFinding[] {
  const deploy = isMapping(svc.deploy) ? svc.deploy : undefined;
  const devices = isMapping(deploy?.resources) && isMapping(deploy.resources.reservations) ? deploy.resources.reservations.devices : undefined;
  if (!Array.isArray(devices)) return [];
  const out: PathFinding[] = [];
  devices.forEach((d, i) => {
    if (!isMapping(d)) return;
    const path = [...at, 'deploy', 'resources', 'reservations', 'devices', i];
    if (typeof d.count === 'string' && d.count !== 'all' && !/^-?\d+$/.test(d.count))
      out.push({ path: [...path, 'count'], target: 'value', code: 'CMP024', severity: 'error', message: `Device count "${d.count}" is not valid: use "all" or a number` });
    if (d.count !== undefined && d.device_ids !== undefined)
      out.push({ path: [...path, 'device_ids'], target: 'key', code: 'CMP024', severity: 'error', message: '"count" and "device_ids" are exclusive: request a number of devices or name them' });
  });
  return out;
}

interface Published {
  ip: string;
  port: number;
  protocol: string;
  path: ValuePath;
}

/** Two services (or two entries) publishing one host port on the same address cannot both start. */
function publishedPortClashes(root: Mapping): PathFinding[] {
  const seen: Published[] = [];
  const out: PathFinding[] = [];
  for (const [name, svc] of sectionEntries(root, 'services')) {
    if (!Array.isArray(svc.ports)) continue;
    // Scaled services cannot publish a fixed port more than once anyway; compose reports that itself.
    svc.ports.forEach((p, i) => {
      for (const pub of publishedPorts(p, ['services', name, 'ports', i])) {
        const clash = seen.find((s) => s.port === pub.port && s.protocol === pub.protocol && (s.ip === pub.ip || s.ip === '' || pub.ip === ''));
        if (clash)
          out.push({ path: pub.path, target: 'value', code: 'CMP025', severity: 'error', message: `Host port ${pub.port}/${pub.protocol} is already published by ${clash.path.slice(0, 2).join('.')} (${clash.path.join('.')})` });
        else seen.push(pub);
      }
    });
  }
  return out;
}

function publishedPorts(p: unknown, path: ValuePath): Published[] {
  if (isMapping(p)) {
    const port = Number(p.published);
    if (!Number.isInteger(port) || port <= 0) return [];
    return [{ ip: normalizeIp(typeof p.host_ip === 'string' ? p.host_ip : ''), port, protocol: typeof p.protocol === 'string' ? p.protocol : 'tcp', path }];
  }
  if (typeof p !== 'string') return [];
  // [ip:]published:target[/proto]; IPv6 addresses come in brackets.
  const m = /^(?:(\[[^\]]+\]|[^:[\]]+):)?(\d+)(?:-\d+)?:(\d+(?:-\d+)?)(?:\/(\w+))?$/.exec(p);
  if (!m || /-/.test(p.split(':').slice(-2, -1)[0] ?? '')) return [];
  return [{ ip: normalizeIp(m[1] ?? ''), port: Number(m[2]), protocol: m[4] ?? 'tcp', path }];
}

function normalizeIp(ip: string): string {
  const bare = ip.replace(/^\[|\]$/g, '');
  return bare === '0.0.0.0' || bare === '::' ? '' : bare;
}
