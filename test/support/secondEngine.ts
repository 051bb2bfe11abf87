import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { EngineClient } from '../../src/core/engine/client';

/**
 * A second, private Docker engine (the same dockerd binary) on its own socket,
 * data and exec roots, that a test may stop and start at will without touching
 * the main engine. It runs in its own network namespace (`unshare --net`):
 * with --bridge=none dockerd deletes the host's docker0 at start-up, which would
 * break the main engine; inside the namespace that stays private. The API is a
 * socket file, so it is reachable from here all the same.
 */
export class SecondEngine {
  private daemon?: ChildProcess;
  readonly socketPath: string;

  /** `dir` must be short: a unix socket path is limited to 107 bytes. */
  constructor(readonly dir: string) {
    this.socketPath = `${dir}/s`;
  }

  get host(): string {
    return `unix://${this.socketPath}`;
  }

  async start(timeoutMs = 30_000): Promise<void> {
    fs.mkdirSync(this.dir, { recursive: true });
    const log = fs.openSync(`${this.dir}/log`, 'a');
    const args = ['--net', 'dockerd', '--data-root', `${this.dir}/d`, '--exec-root', `${this.dir}/e`, '--pidfile', `${this.dir}/p`];
    args.push('-H', this.host, '--bridge=none', '--iptables=false', '--ip-masq=false');
    this.daemon = spawn('unshare', args, { stdio: ['ignore', log, log] });
    fs.closeSync(log);
    const client = new EngineClient({ kind: 'unix', socketPath: this.socketPath }, 2000);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        await client.connect();
        return;
      } catch (err) {
        if (Date.now() > deadline || this.daemon.exitCode !== null) throw new Error(`second engine did not answer on ${this.socketPath}: ${(err as Error).message}\n${this.logTail()}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  async stop(): Promise<void> {
    const child = this.daemon;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(t);
  }

  /** Stops the engine and removes everything it left: its containerd, mounts, files. */
  async destroy(): Promise<void> {
    await this.stop();
    for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
      try {
        if (fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(this.dir)) process.kill(Number(pid), 'SIGKILL');
      } catch {
        /* gone already */
      }
    }
    const mounts = fs
      .readFileSync('/proc/mounts', 'utf8')
      .split('\n')
      .map((l) => l.split(' ')[1])
      .filter((m) => m?.startsWith(this.dir));
    for (const m of mounts.reverse()) spawnSync('umount', ['-l', m], { stdio: 'ignore' });
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  logTail(lines = 20): string {
    try {
      return fs.readFileSync(`${this.dir}/log`, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }
}
