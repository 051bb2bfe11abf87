import * as net from 'node:net';
import * as fs from 'node:fs';

/**
 * A unix-socket proxy in front of a real engine that counts the HTTP requests
 * passing through and can cut live connections. Tests and benchmarks point
 * Berth at it to observe what Berth really sends (no engine is mocked: every
 * byte goes to the real engine and back).
 */
export class EngineProxy {
  readonly requests: Array<{ at: number; method: string; path: string }> = [];
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private readonly streaming = new Set<net.Socket>();

  private constructor(
    readonly socketPath: string,
    private readonly target: string,
  ) {
    this.server = net.createServer((client) => this.pipe(client));
  }

  static async start(socketPath: string, target = '/var/run/docker.sock'): Promise<EngineProxy> {
    fs.rmSync(socketPath, { force: true });
    const proxy = new EngineProxy(socketPath, target);
    await new Promise<void>((resolve, reject) => {
      proxy.server.once('error', reject);
      proxy.server.listen(socketPath, () => resolve());
    });
    return proxy;
  }

  /** Requests whose path matches `re` (paths include the /v1.xx prefix). */
  count(re: RegExp = /./, sinceMs = 0): number {
    return this.requests.filter((r) => r.at >= sinceMs && re.test(r.path)).length;
  }

  /** Destroys connections that carry an event stream, as a daemon restart or network cut would. */
  cutEventStreams(): number {
    const n = this.streaming.size;
    for (const s of this.streaming) s.destroy();
    this.streaming.clear();
    return n;
  }

  /** Open client connections right now (to check nothing stays connected). */
  get openConnections(): number {
    return this.sockets.size;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => this.server.close(() => r()));
    fs.rmSync(this.socketPath, { force: true });
  }

  private pipe(client: net.Socket): void {
    const upstream = net.createConnection(this.target);
    this.sockets.add(client);
    const drop = () => {
      this.sockets.delete(client);
      this.streaming.delete(client);
      client.destroy();
      upstream.destroy();
    };
    let head = '';
    client.on('data', (chunk) => {
      // Request lines are ASCII; a keep-alive connection may carry several requests.
      head += chunk.toString('latin1');
      let m: RegExpExecArray | null;
      let consumed = 0;
      const re = /(?:^|\r\n)(GET|POST|PUT|DELETE|HEAD) (\S+) HTTP\/1\.[01]\r\n/g;
      while ((m = re.exec(head))) {
        this.requests.push({ at: Date.now(), method: m[1], path: m[2] });
        if (/\/events(\?|$)/.test(m[2])) this.streaming.add(client);
        consumed = re.lastIndex;
      }
      // Keep only an unmatched tail, in case a request line is split across chunks.
      head = head.slice(consumed).slice(-512);
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => client.write(chunk));
    client.on('close', drop);
    upstream.on('close', drop);
    client.on('error', drop);
    upstream.on('error', drop);
  }
}
