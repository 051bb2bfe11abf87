import * as vscode from 'vscode';
import { LogDemuxer, LogStreamError } from '../core/engine/logFrames';
import { followLogs } from '../core/engine/resources';
import type { ResourceRef } from '../core/explorer/node';
import type { BerthServices } from './services';

const TAIL_LINES = 500;

/**
 * Follows a container's log in a terminal tab: it renders ANSI colours, and
 * closing the tab is the natural way to stop following (it aborts the stream).
 */
export function openLogsTerminal(s: BerthServices, target: ResourceRef): void {
  const write = new vscode.EventEmitter<string>();
  const abort = new AbortController();
  const out = (text: string) => write.fire(text.replace(/\r?\n/g, '\r\n'));
  const pty: vscode.Pseudoterminal = {
    onDidWrite: write.event,
    open: () => void follow(),
    close: () => abort.abort(),
  };
  const follow = async () => {
    try {
      const client = await s.session.client();
      out(`\x1b[2mFollowing the last ${TAIL_LINES} lines of ${target.name}; close this tab to stop.\x1b[0m\n`);
      const { stream, tty } = await followLogs(client, target.id, TAIL_LINES, abort.signal);
      const demux = new LogDemuxer(tty);
      const emit = (chunks: { stream: string; text: string }[]) => {
        for (const c of chunks) out(c.stream === 'stderr' ? `\x1b[31m${c.text}\x1b[0m` : c.text);
      };
      stream.on('data', (chunk: Buffer) => {
        try {
          emit(demux.push(chunk));
        } catch (err) {
          if (err instanceof LogStreamError) emit(err.chunks);
          out(`\n\x1b[33m[Berth] ${(err as Error).message}\x1b[0m\n`);
          (stream as unknown as { destroy(): void }).destroy();
        }
      });
      stream.on('end', () => {
        try {
          emit(demux.end());
        } catch {
          /* a frame cut short at the very end: nothing more to show */
        }
        if (!abort.signal.aborted) out(`\n\x1b[2m[Berth] The log stream ended (the container stopped or the engine went away).\x1b[0m\n`);
      });
      abort.signal.addEventListener('abort', () => (stream as unknown as { destroy(): void }).destroy(), { once: true });
    } catch (err) {
      if (!abort.signal.aborted) out(`\x1b[31m[Berth] ${(err as Error).message}\x1b[0m\n`);
    }
  };
  const terminal = vscode.window.createTerminal({ name: `Logs: ${target.name}`, pty, iconPath: new vscode.ThemeIcon('output') });
  terminal.show();
}
