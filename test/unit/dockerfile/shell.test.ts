import assert from 'node:assert/strict';
import { hasArg, hasFlag, optionValues, parseShell, positionals, type Command } from '../../../src/core/dockerfile/shell';

const names = (text: string, vars?: Map<string, string>) => parseShell(text, vars).commands.map((c) => c.name);
const only = (text: string, vars?: Map<string, string>): Command => {
  const cmds = parseShell(text, vars).commands;
  assert.equal(cmds.length, 1, `one command in ${text}: ${cmds.map((c) => c.name)}`);
  return cmds[0];
};
const values = (cmd: Command) => cmd.args.map((a) => a.value);

describe('RUN script shell reader (unit)', () => {
  it('splits simple commands on && || ; | & and newlines, with word offsets', () => {
    const text = 'apt-get update && apt-get install -y foo || true; a | b & c\nd';
    const s = parseShell(text);
    assert.deepEqual(
      s.commands.map((c) => c.name),
      ['apt-get', 'apt-get', 'true', 'a', 'b', 'c', 'd'],
    );
    const install = s.commands[1];
    assert.deepEqual(values(install), ['install', '-y', 'foo']);
    assert.equal(text.slice(install.nameWord.start, install.nameWord.end), 'apt-get');
    assert.equal(text.slice(install.args[2].start, install.args[2].end), 'foo');
    assert.deepEqual(
      s.pipes.map((p) => text.slice(p.start, p.end)),
      ['|'],
    );
    assert.equal(s.pipes[0].start, text.indexOf(' | ') + 1);
  });

  it('honours quotes and escapes inside words, keeping the raw text and its span', () => {
    const text = `pip install "a==1" 'b c' d\\ e "x"'y'z`;
    const cmd = only(text);
    assert.deepEqual(values(cmd), ['install', 'a==1', 'b c', 'd e', 'xyz']);
    assert.equal(cmd.args[1].raw, '"a==1"');
    assert.equal(text.slice(cmd.args[3].start, cmd.args[3].end), 'd\\ e');
    // Operators inside quotes are text.
    assert.deepEqual(names(`echo "a && b | c; d" 'e || f'`), ['echo']);
    assert.deepEqual(parseShell(`echo "a | b"`).pipes, []);
  });

  it('takes the name after NAME=value assignments, and keeps them', () => {
    const cmd = only('FOO=1 BAR="x y" pip install six');
    assert.equal(cmd.name, 'pip');
    assert.deepEqual(
      cmd.assignments.map((a) => a.raw),
      ['FOO=1', 'BAR="x y"'],
    );
    // Only assignments: no command.
    assert.deepEqual(names('A=1 B=2'), []);
  });

  it('sees through command, builtin, busybox and exec, but not sudo', () => {
    assert.deepEqual(names('command apt-get install x; builtin cd /; busybox wget u; exec gosu me app'), ['apt-get', 'cd', 'wget', 'gosu']);
    assert.deepEqual(names('command -v curl'), ['command']);
    const sudo = only('sudo apt-get install x');
    assert.equal(sudo.name, 'sudo');
    assert.deepEqual(values(sudo), ['apt-get', 'install', 'x']);
  });

  it('keeps $(...) and backticks as one word and reads the commands inside them', () => {
    const text = 'echo $(sudo ls | wc -l) `cd /tmp` "$(curl -s u)"';
    const s = parseShell(text);
    assert.deepEqual(
      s.commands.map((c) => c.name),
      ['echo', 'sudo', 'wc', 'cd', 'curl'],
    );
    assert.deepEqual(values(s.commands[0]), ['$(sudo ls | wc -l)', '`cd /tmp`', '$(curl -s u)']);
    assert.equal(s.commands[0].args[0].literal, false);
    assert.equal(text.slice(s.commands[1].nameWord.start, s.commands[1].nameWord.end), 'sudo');
    assert.equal(s.pipes.length, 1);
    assert.equal(s.pipes[0].start, text.indexOf('|'));
  });

  it('looks through if/for/while/case, subshells, braces and function bodies', () => {
    assert.deepEqual(names('if [ -f x ]; then a; elif b; then c; else d; fi'), ['[', 'a', 'b', 'c', 'd']);
    assert.deepEqual(names('for f in one two; do curl "$f"; done; while read l; do echo; done'), ['curl', 'read', 'echo']);
    assert.deepEqual(names('case "$x" in a|b) apt install y;; *) echo no ;; esac; after'), ['apt', 'echo', 'after']);
    assert.deepEqual(names('(cd /x && make) && { a; b; } && ! c'), ['cd', 'make', 'a', 'b', 'c']);
    assert.deepEqual(names('f() { g; }; function h { i; }; f'), ['g', 'i', 'f']);
    assert.deepEqual(names('[[ -f a && -f b ]] && ok'), ['ok']);
    // Pattern alternatives in case are not pipes.
    assert.deepEqual(parseShell('case x in a|b) y;; esac').pipes, []);
  });

  it('leaves redirections and their targets out of the arguments and skips heredoc bodies', () => {
    const cmd = only('wget -q u 2>&1 >/dev/null </in');
    assert.deepEqual(values(cmd), ['-q', 'u']);
    assert.deepEqual(names('cat <<EOF > /f\nhello | world\nrm x\nEOF\nls'), ['cat', 'ls']);
    assert.deepEqual(names('cat <<-"END"\n\tpip install x\n\tEND\nnext'), ['cat', 'next']);
    assert.deepEqual(parseShell('cat <<EOF\na | b\nEOF').pipes, []);
  });

  it('stops at comments and says when the text ends inside one', () => {
    const s = parseShell('apt-get update # then | never');
    assert.deepEqual(
      s.commands.map((c) => c.name),
      ['apt-get'],
    );
    assert.deepEqual(s.pipes, []);
    assert.equal(s.endsInComment, true);
    assert.equal(parseShell('a # c\nb').endsInComment, false);
    assert.deepEqual(names('echo a#b'), ['echo']);
    assert.deepEqual(values(only('echo a#b')), ['a#b']);
  });

  it('joins backslash-newline continuations (heredoc scripts keep them)', () => {
    const text = 'set -eux; \\\n  apt-get install \\\n  curl';
    const s = parseShell(text);
    assert.deepEqual(
      s.commands.map((c) => c.name),
      ['set', 'apt-get'],
    );
    assert.deepEqual(values(s.commands[1]), ['install', 'curl']);
    assert.equal(text.slice(s.commands[1].args[1].start, s.commands[1].args[1].end), 'curl');
  });

  it('expands known variables and keeps unknown ones as written', () => {
    const vars = new Map([['version', '2.1']]);
    const cmd = only('yum install git-${version} git-$version ${nope:-1.2} $HOME "$version"', vars);
    assert.deepEqual(values(cmd), ['install', 'git-2.1', 'git-2.1', '1.2', '$HOME', '2.1']);
    assert.deepEqual(
      cmd.args.map((a) => a.literal),
      [true, true, true, true, false, true],
    );
    assert.deepEqual(values(only(`echo '$version'`, vars)), ['$version']);
    // A name that is not a literal is no command name.
    assert.deepEqual(names('$TOOL install x; "$(which pip)" install y'), ['which']);
  });

  it('reads process substitution as a word with a script inside', () => {
    assert.deepEqual(names('diff <(sort a) <(sort b) | head'), ['diff', 'sort', 'sort', 'head']);
  });

  it('hasFlag finds short options inside clusters and long ones with or without a value', () => {
    const cmd = only('apt-get -yq install --no-install-recommends --target-release=x pkg');
    assert.equal(hasFlag(cmd, '-y'), true);
    assert.equal(hasFlag(cmd, '-q'), true);
    assert.equal(hasFlag(cmd, '-t'), false);
    assert.equal(hasFlag(cmd, '--no-install-recommends'), true);
    assert.equal(hasFlag(cmd, '--target-release'), true);
    assert.equal(hasFlag(cmd, '--yes', '--assume-yes'), false);
    assert.equal(hasFlag(only('x --yes'), '-y'), false, 'a long option is not a cluster of short ones');
    assert.equal(hasArg(cmd, 'install'), true);
  });

  it('positionals drops options and the values of options that take one', () => {
    const cmd = only('apt-get install -y -t jessie-backports -o Dpkg::X=1 a b=1 --target-release=sid c');
    const takes = ['-t', '--target-release', '-o'];
    assert.deepEqual(
      positionals(cmd, takes).map((w) => w.value),
      ['install', 'a', 'b=1', 'c'],
    );
    // Without knowing the option takes a value, the value looks like a package.
    assert.deepEqual(
      positionals(cmd).map((w) => w.value),
      ['install', 'jessie-backports', 'Dpkg::X=1', 'a', 'b=1', 'c'],
    );
    // A value glued to a short option (`-tsid`) is not the next word's.
    assert.deepEqual(
      positionals(only('apk add -tvirt x'), ['-t']).map((w) => w.value),
      ['add', 'x'],
    );
    // After `--` everything is an argument.
    assert.deepEqual(
      positionals(only('rm -- -f x')).map((w) => w.value),
      ['-f', 'x'],
    );
  });

  it('optionValues reads -u N, -uN, --uid N and --uid=N', () => {
    for (const text of ['useradd -u 123456 me', 'useradd -u123456 me', 'useradd --uid 123456 me', 'useradd --uid=123456 me', 'useradd -mu 123456 me']) {
      assert.deepEqual(
        optionValues(only(text), '-u', '--uid').map((w) => w.value),
        ['123456'],
        text,
      );
    }
    assert.deepEqual(optionValues(only('useradd -m me'), '-u', '--uid'), []);
  });
});
