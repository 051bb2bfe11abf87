import assert from 'node:assert/strict';
import { validateCompose } from '../../../src/core/manifests/compose/validateCompose';
import type { ManifestDiagnostic, Range } from '../../../src/core/manifests/types';

const at = (r: Range) => `${r.start.line}:${r.start.column}-${r.end.line}:${r.end.column}`;
const schema = (text: string) => validateCompose(text).filter((d) => d.code === 'CMP002');
const fixes = (d: ManifestDiagnostic) => (d.fixes ?? []).map((f) => [f.title, at(f.range), f.newText]);
const service = (body: string) => `services:\n  web:\n    image: nginx\n${body}`;

// web + db + redis (+ a one-shot migration): everything a real project uses, all valid.
const REALISTIC = `name: shop
x-logging: &logging
  driver: json-file
  options:
    max-size: "10m"
    max-file: "3"

services:
  web:
    build:
      context: ./web
      dockerfile: Dockerfile
      args:
        NODE_ENV: production
        VERSION: "1.4.2"
      target: runtime
    image: registry.example.com/shop/web:1.4.2
    pull_policy: missing
    restart: unless-stopped
    profiles: [frontend]
    command: ["node", "server.js"]
    environment:
      DATABASE_URL: postgres://shop@db:5432/shop
      REDIS_URL: redis://redis:6379/0
      PORT: 3000
      DEBUG: "false"
    env_file:
      - path: ./web.env
        required: false
    ports:
      - target: 3000
        published: "8080"
        host_ip: 127.0.0.1
        protocol: tcp
        mode: host
      - "127.0.0.1:9229:9229"
    volumes:
      - type: bind
        source: ./web/static
        target: /app/static
        read_only: true
      - type: volume
        source: uploads
        target: /app/uploads
        volume:
          nocopy: true
      - type: tmpfs
        target: /tmp
        tmpfs:
          size: 64m
    depends_on:
      db:
        condition: service_healthy
        restart: true
      redis:
        condition: service_started
      migrate:
        condition: service_completed_successfully
    networks:
      - front
      - back
    secrets:
      - source: db_password
        target: db_password
        mode: 0400
    configs:
      - source: web_config
        target: /etc/web/config.json
    healthcheck:
      test: ["CMD", "curl", "-fsS", "http://localhost:3000/health"]
      interval: 30s
      timeout: 5s
      retries: 3
      start_period: 10s
    deploy:
      replicas: 2
      resources:
        limits:
          cpus: "1.5"
          memory: 512M
        reservations:
          cpus: "0.25"
          memory: 128M
      restart_policy:
        condition: on-failure
        max_attempts: 3
      update_config:
        parallelism: 1
        delay: 10s
    logging: *logging
    ulimits:
      nofile:
        soft: 20000
        hard: 40000
    labels:
      com.example.team: shop
    stop_grace_period: 1m30s

  migrate:
    image: registry.example.com/shop/web:1.4.2
    command: npm run migrate
    depends_on:
      db:
        condition: service_healthy
    networks: [back]
    secrets: [db_password]

  db:
    image: postgres:16.3
    environment:
      POSTGRES_DB: shop
      POSTGRES_USER: shop
      POSTGRES_PASSWORD_FILE: /run/secrets/db_password
    volumes:
      - db-data:/var/lib/postgresql/data
      - ./initdb:/docker-entrypoint-initdb.d:ro
    secrets:
      - db_password
    networks:
      back:
        aliases: [database]
    healthcheck:
      test: ["CMD-SHELL", "pg_isready -U shop"]
      interval: 10s
      timeout: 5s
      retries: 5
    shm_size: 256m
    logging: *logging

  redis:
    image: redis:7.2-alpine
    command: ["redis-server", "--appendonly", "yes"]
    volumes:
      - redis-data:/data
    networks:
      - back
    healthcheck:
      test: ["CMD", "redis-cli", "ping"]
      interval: 10s
    sysctls:
      net.core.somaxconn: 1024
    logging: *logging

networks:
  front:
  back:
    driver: bridge
    internal: true
    ipam:
      config:
        - subnet: 172.28.0.0/16

volumes:
  db-data:
  redis-data:
    driver: local
  uploads:
    name: shop_uploads

secrets:
  db_password:
    file: ./secrets/db_password.txt

configs:
  web_config:
    file: ./web/config.json
`;

describe('Compose schema findings (unit)', () => {
  it('names a misspelt service key, on the key, with a fix', () => {
    const ds = schema('services:\n  web:\n    imgae: nginx\n');
    assert.equal(ds.length, 1);
    assert.equal(ds[0].severity, 'error');
    assert.equal(at(ds[0].range), '2:4-2:9');
    assert.match(ds[0].message, /Unknown key "imgae" in services\.web \(did you mean "image"\?\)/);
    assert.deepEqual(fixes(ds[0]), [['Change to "image"', '2:4-2:9', 'image']]);
    // A plain edit-distance typo too, and none for a key nothing resembles.
    assert.deepEqual(schema(service('    restrat: always\n')).map((d) => d.fixes?.[0]?.newText), ['restart']);
    assert.deepEqual(schema(service('    volums: []\n')).map((d) => d.fixes?.[0]?.newText), ['volumes']);
    const far = schema(service('    zzzzzz: 1\n'));
    assert.equal(far.length, 1);
    assert.equal(far[0].fixes, undefined);
    assert.doesNotMatch(far[0].message, /did you mean/);
  });

  it('suggests the nearest allowed value of an enum, on the value', () => {
    const ds = schema(service('    pull_policy: alway\n'));
    assert.equal(ds.length, 1);
    assert.equal(at(ds[0].range), '3:17-3:22');
    assert.match(ds[0].message, /services\.web\.pull_policy must be one of "always", "never".*\(did you mean "always"\?\)/);
    assert.deepEqual(fixes(ds[0]), [['Change to "always"', '3:17-3:22', 'always']]);
    // A plain enum.
    const cgroup = schema(service('    cgroup: hots\n'));
    assert.deepEqual(cgroup.map((d) => [at(d.range), d.fixes?.[0]?.newText]), [['3:12-3:16', 'host']]);
    // The allowed every_<duration> form and other listed values pass.
    for (const ok of ['always', 'build', 'every_12h', 'every_1d30m', '${POLICY}']) assert.deepEqual(schema(service(`    pull_policy: "${ok}"\n`)), [], ok);
    // A value far from any: words from the schema, not a regular expression.
    const far = schema(service('    pull_policy: sometimes\n'));
    assert.equal(far.length, 1);
    assert.match(far[0].message, /pull_policy is not valid: when the image is pulled: always, never/);
    assert.equal(far[0].fixes, undefined);
  });

  it('says what a wrongly typed value should be in plain words', () => {
    const cases: [string, string, RegExp][] = [
      ['    environment: 3\n', '3:17-3:18', /^services\.web\.environment must be a mapping or a list$/],
      ['    healthcheck:\n      retries: three\n', '4:15-4:20', /^services\.web\.healthcheck\.retries is not valid: a whole number, or a string that holds one/],
      ['    deploy:\n      replicas: ten\n', '4:16-4:19', /^services\.web\.deploy\.replicas is not valid: a whole number of zero or more/],
      ['    healthcheck:\n      interval: 5 sec\n', '4:16-4:21', /interval is not valid: a length of time written as a number followed by a unit/],
      ['    mem_limit: lots\n', '3:15-3:19', /mem_limit is not valid: an amount of bytes/],
      ['    ports:\n      - true\n', '4:8-4:12', /^services\.web\.ports\[0\] must be a number, a string like "8080:80" or a mapping with target\/published/],
      ['    ports:\n      - target: eighty\n        published: 8080\n', '4:16-4:22', /^services\.web\.ports\[0\]\.target is not valid: a whole number/],
      ['    ports:\n      - target: 80\n        publish: 8080\n', '5:8-5:15', /Unknown key "publish" in services\.web\.ports\[0\] \(did you mean "published"\?\)/],
      ['    restart: 3\n', '3:13-3:14', /^services\.web\.restart must be a string like "no"$/],
      ['    expose: [{a: 1}]\n', '3:13-3:19', /^services\.web\.expose\[0\] must be a string or a number$/],
    ];
    for (const [body, range, message] of cases) {
      const ds = schema(service(body));
      assert.equal(ds.length, 1, `${body}: ${JSON.stringify(ds.map((d) => d.message))}`);
      assert.equal(at(ds[0].range), range, body);
      assert.match(ds[0].message, message);
      assert.doesNotMatch(ds[0].message, /\^|\$\)|must match/, 'no regular expressions in messages');
    }
  });

  it('points a repeated list item at the repeat', () => {
    const ds = schema(service('    environment: [A=1, B=2, A=1]\n'));
    assert.deepEqual(ds.map((d) => at(d.range)), ['3:28-3:31']);
    assert.match(ds[0].message, /environment lists the same item twice \(\[0\] and \[2\]\)/);
  });

  it('allows x- extension keys and explains x_ ones', () => {
    assert.deepEqual(schema('x-common: &c {a: 1}\nservices:\n  web:\n    image: nginx\n    x-team: shop\n    logging:\n      driver: local\n      x-note: 1\n'), []);
    const ds = schema('x_top: 1\nservices:\n  web:\n    image: nginx\n    x_foo: 2\n');
    assert.deepEqual(ds.map((d) => at(d.range)), ['0:0-0:5', '4:4-4:9']);
    assert.match(ds[0].message, /Unknown key "x_top" in the file \(extension keys start with "x-"\)/);
    assert.match(ds[1].message, /Unknown key "x_foo" in services\.web \(extension keys start with "x-"\)/);
  });

  it('collapses anyOf noise into one finding', () => {
    const ds = schema(service('    build:\n      context: .\n      ssh: 3\n'));
    assert.equal(ds.length, 1, JSON.stringify(ds.map((d) => d.message)));
    assert.equal(at(ds[0].range), '5:11-5:12');
    assert.match(ds[0].message, /^services\.web\.build\.ssh must be a mapping or a list$/);
    for (const ok of ['[default, "id=/key"]', '{default: /key}']) assert.deepEqual(schema(service(`    build:\n      context: .\n      ssh: ${ok}\n`)), [], ok);
    const word = schema(service('    build:\n      context: .\n      ssh: default\n'));
    assert.deepEqual(word.map((d) => [at(d.range), d.message]), [['5:11-5:18', 'services.web.build.ssh must be a mapping or a list']]);
    // A branch evidently meant (a mapping) reports what is wrong inside it, not the alternatives.
    const inner = schema(service('    depends_on:\n      db:\n        condition: service_healty\n  db:\n    image: postgres\n'));
    assert.equal(inner.length, 1);
    assert.equal(inner[0].fixes?.[0]?.newText, 'service_healthy');
  });

  it('names invalid names in plain words', () => {
    const ds = schema('name: Shop\nservices:\n  Web!:\n    image: nginx\n');
    assert.deepEqual(ds.map((d) => at(d.range)).sort(), ['0:6-0:10', '2:2-2:6']);
    assert.ok(ds.some((d) => /"Web!" is not a valid name in services/.test(d.message)));
    assert.ok(ds.some((d) => /^name is not valid: project name, .*lowercase/.test(d.message)));
  });

  it('finds nothing to complain about in a realistic multi-service file', () => {
    const ds = validateCompose(REALISTIC);
    assert.deepEqual(ds.filter((d) => d.severity !== 'info').map((d) => `${d.code} ${at(d.range)} ${d.message}`), []);
    // And the same file with one mistake has exactly that one.
    const broken = schema(REALISTIC.replace('      interval: 30s', '      intreval: 30s'));
    assert.deepEqual(broken.map((d) => d.fixes?.[0]?.newText), ['interval']);
  });
});
