import { StringDecoder } from 'node:string_decoder';
import * as vscode from 'vscode';
import type { EngineClient } from '../../core/engine/client';
import { resizeTty, type RunResult } from '../../core/run/runContainer';

// An interactive run's terminal: a pseudo-terminal over the container's attach
// stream. With a TTY the engine sends raw bytes (no multiplexing), so output
// is decoded as UTF-8 across chunk boundaries and keystrokes are written back
// as typed. The terminal's size goes to the engine on open and on every
// resize. Closing the tab detaches; the container keeps running, as with
// docker's detach keys.

export function openAttachTerminal(client: EngineClient, run: RunResult): vscode.Terminal {
  const stream = run.stream!;
  const write = new vscode.EventEmitter<string>();
  const closed = new vscode.EventEmitter<number | void>();
  const decoder = new StringDecoder('utf8');
  let ended = false;
  const note = (text: string) => write.fire(`\r\n\x1b[2m[Berth] ${text}\x1b[0m\r\n`);
  stream.on('data', (chunk: Buffer) => write.fire(decoder.write(chunk)));
  stream.on('end', () => {
    ended = true;
    write.fire(decoder.end());
    void client
      .request<{ State?: { Status?: string; ExitCode?: number } }>('GET', `/containers/${run.id}/json`, 'inspect the container')
      .then((info) => note(info.State?.Status === 'running' ? 'Detached: the stream ended while the container runs.' : `The container exited (code ${info.State?.ExitCode ?? '?'}). Press any key to close.`))
      .catch(() => note('The container exited and was removed. Press any key to close.'));
  });
  stream.on('error', (err) => note(`The attach stream failed: ${err.message}`));
  const pty: vscode.Pseudoterminal = {
    onDidWrite: write.event,
    onDidClose: closed.event,
    open: (size) => {
      if (size) void resizeTty(client, run.id, size.columns, size.rows).catch(() => undefined);
    },
    setDimensions: (size) => void resizeTty(client, run.id, size.columns, size.rows).catch(() => undefined),
    handleInput: (data) => {
      if (ended) closed.fire();
      else stream.write(data);
    },
    close: () => {
      stream.destroy();
      write.dispose();
      closed.dispose();
    },
  };
  const terminal = vscode.window.createTerminal({ name: `Run: ${run.name}`, pty, iconPath: new vscode.ThemeIcon('terminal') });
  terminal.show();
  return terminal;
}
