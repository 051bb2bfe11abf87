import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';

// "Show Build Context" through the real vscode API: the command opens a read-only
// document with what a build of the folder would send, .dockerignore applied.

describe('Show Build Context in the extension host', function () {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-exthost-ctx-'));
    fs.mkdirSync(path.join(dir, 'src'));
    fs.mkdirSync(path.join(dir, 'node_modules/left-pad'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM busybox:1.35\nCOPY src /src\n');
    fs.writeFileSync(path.join(dir, '.dockerignore'), '*.log\n');
    fs.writeFileSync(path.join(dir, 'src/app.js'), 'console.log(1)\n');
    fs.writeFileSync(path.join(dir, 'debug.log'), 'noise\n');
    fs.writeFileSync(path.join(dir, 'node_modules/left-pad/index.js'), 'module.exports = 1\n');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('opens the report for a Dockerfile: files sent, the ignore line that left one out, a node_modules warning', async function () {
    await vscode.commands.executeCommand('berth.showBuildContext', vscode.Uri.file(path.join(dir, 'Dockerfile')));
    const doc = vscode.window.activeTextEditor?.document;
    assert.ok(doc, 'no document opened');
    assert.equal(doc.uri.scheme, 'berth-context');
    const text = doc.getText();
    assert.match(text, /^Build context /);
    assert.match(text, /in 4 files and 3 folders/, text);
    assert.match(text, /line 1 +\*\.log +1 file/, text);
    assert.match(text, /node_modules/, text);
    assert.doesNotMatch(text, /could not read/);
  });
});
