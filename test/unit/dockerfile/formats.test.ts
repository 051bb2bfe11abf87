import assert from 'node:assert/strict';
import * as path from 'node:path';
import { formatFindings, sarifUri, xml, type FileResult } from '../../../src/core/dockerfile/formats';
import type { Rule } from '../../../src/core/dockerfile/rule';
import type { Finding, Severity } from '../../../src/core/dockerfile/types';

// Rules are stand-ins: the formatter only reads their metadata, and the real
// rule set changes under other work.
const rule = (code: string, severity: Severity, extra: Partial<Rule> = {}): Rule => ({
  code,
  severity,
  message: `${code} default message`,
  url: `https://example.test/${code}`,
  rationale: `Why ${code} matters.`,
  check: () => {},
  ...extra,
});
const RULES: Rule[] = [rule('DL3006', 'warning'), rule('DL4000', 'error', { aliases: ['MaintainerDeprecated'] }), rule('DL3059', 'info'), rule('UNUSED', 'style')];

const finding = (code: string, severity: Severity, line: number, col: number, endLine: number, endCol: number, message = `${code} here`, aliases: string[] = []): Finding => ({
  code,
  aliases,
  severity,
  message,
  range: { start: { line, column: col }, end: { line: endLine, column: endCol } },
});

const RESULTS: FileResult[] = [
  {
    file: 'svc/Dockerfile',
    findings: [finding('DL3006', 'warning', 0, 5, 0, 11, 'Always tag the version of an image explicitly'), finding('DL4000', 'error', 2, 0, 2, 10, 'MAINTAINER is deprecated', ['MaintainerDeprecated'])],
  },
  { file: 'gone/Dockerfile', findings: [], error: 'no such file' },
  { file: 'Other.dockerfile', findings: [finding('DL3059', 'info', 4, 0, 5, 3), finding('DL1000', 'error', 7, 0, 7, 3, 'Heredoc "EOF" is not closed')] },
  { file: 'clean/Dockerfile', findings: [] },
];

describe('dockerfile formats', () => {
  describe('json', () => {
    it('lists every finding with 1-based positions and the file as given', () => {
      const out = JSON.parse(formatFindings(RESULTS, 'json', RULES));
      assert.equal(out.length, 4);
      assert.deepEqual(out[0], {
        file: 'svc/Dockerfile',
        line: 1,
        column: 6,
        endLine: 1,
        endColumn: 12,
        code: 'DL3006',
        aliases: [],
        severity: 'warning',
        message: 'Always tag the version of an image explicitly',
      });
      assert.deepEqual(out[1].aliases, ['MaintainerDeprecated']);
      assert.deepEqual(
        out.map((f: { file: string; code: string; line: number }) => `${f.file}:${f.line}:${f.code}`),
        ['svc/Dockerfile:1:DL3006', 'svc/Dockerfile:3:DL4000', 'Other.dockerfile:5:DL3059', 'Other.dockerfile:8:DL1000'],
      );
    });

    it('prints an empty array when nothing was found', () => {
      assert.deepEqual(JSON.parse(formatFindings([{ file: 'D', findings: [] }], 'json', RULES)), []);
    });
  });

  describe('text', () => {
    it('prints one hadolint-style line per finding and nothing for unreadable files', () => {
      const lines = formatFindings(RESULTS, 'text', RULES).trimEnd().split('\n');
      assert.deepEqual(lines, [
        'svc/Dockerfile:1:6 DL3006 warning: Always tag the version of an image explicitly',
        'svc/Dockerfile:3:1 DL4000 error: MAINTAINER is deprecated',
        'Other.dockerfile:5:1 DL3059 info: DL3059 here',
        'Other.dockerfile:8:1 DL1000 error: Heredoc "EOF" is not closed',
      ]);
    });

    it('is empty when clean and keeps a multi-line message on one line', () => {
      assert.equal(formatFindings([{ file: 'D', findings: [] }], 'text', RULES), '');
      assert.equal(formatFindings([{ file: 'D', findings: [finding('X', 'style', 0, 0, 0, 1, 'a\nb')] }], 'text', RULES), 'D:1:1 X style: a b\n');
    });
  });

  describe('sarif', () => {
    const sarif = JSON.parse(formatFindings(RESULTS, 'sarif', RULES, { cwd: '/repo', version: '1.2.3', informationUri: 'https://example.test/berth' }));
    const run = sarif.runs[0];

    it('is a SARIF 2.1.0 log with one run by berth', () => {
      assert.equal(sarif.version, '2.1.0');
      assert.match(sarif.$schema, /sarif-2\.1\.0/);
      assert.equal(sarif.runs.length, 1);
      assert.equal(run.tool.driver.name, 'berth');
      assert.equal(run.tool.driver.version, '1.2.3');
      assert.equal(run.tool.driver.informationUri, 'https://example.test/berth');
    });

    it('describes only the rules that appear, with help URIs and default levels', () => {
      const rules = run.tool.driver.rules;
      assert.deepEqual(
        rules.map((r: { id: string }) => r.id),
        ['DL3006', 'DL4000', 'DL3059', 'DL1000'],
      );
      const dl3006 = rules[0];
      assert.equal(dl3006.shortDescription.text, 'DL3006 default message');
      assert.equal(dl3006.fullDescription.text, 'Why DL3006 matters.');
      assert.equal(dl3006.helpUri, 'https://example.test/DL3006');
      assert.equal(dl3006.defaultConfiguration.level, 'warning');
      assert.equal(rules[1].defaultConfiguration.level, 'error');
      assert.deepEqual(rules[1].properties.aliases, ['MaintainerDeprecated']);
      assert.equal(rules[2].defaultConfiguration.level, 'note');
      assert.equal(rules[3].shortDescription.text, 'Dockerfile parse error');
    });

    it('maps severities to levels and positions to 1-based regions', () => {
      assert.equal(run.results.length, 4);
      const [r0, r1, r2] = run.results;
      assert.equal(r0.ruleId, 'DL3006');
      assert.equal(r0.ruleIndex, 0);
      assert.equal(r0.level, 'warning');
      assert.equal(r0.message.text, 'Always tag the version of an image explicitly');
      assert.deepEqual(r0.locations[0].physicalLocation, {
        artifactLocation: { uri: 'svc/Dockerfile' },
        region: { startLine: 1, startColumn: 6, endLine: 1, endColumn: 12 },
      });
      assert.equal(r1.level, 'error');
      assert.equal(r2.level, 'note');
      assert.deepEqual(r2.locations[0].physicalLocation.region, { startLine: 5, startColumn: 1, endLine: 6, endColumn: 4 });
      for (const r of run.results) assert.equal(run.tool.driver.rules[r.ruleIndex].id, r.ruleId);
    });

    it('reports unreadable files as tool notifications, not results', () => {
      const inv = run.invocations[0];
      assert.equal(inv.executionSuccessful, false);
      assert.equal(inv.toolExecutionNotifications.length, 1);
      assert.equal(inv.toolExecutionNotifications[0].message.text, 'gone/Dockerfile: no such file');
    });

    it('maps style to note and leaves out informationUri when unknown', () => {
      const s = JSON.parse(formatFindings([{ file: 'D', findings: [finding('UNUSED', 'style', 0, 0, 0, 1)] }], 'sarif', RULES));
      assert.equal(s.runs[0].results[0].level, 'note');
      assert.equal(s.runs[0].tool.driver.informationUri, undefined);
      assert.equal(s.runs[0].invocations[0].executionSuccessful, true);
    });

    it('makes relative, forward-slash, percent-encoded URIs', () => {
      assert.equal(sarifUri('/repo/a b/Dockerfile', '/repo'), 'a%20b/Dockerfile');
      assert.equal(sarifUri('./sub/../x/Dockerfile', '/repo'), 'x/Dockerfile');
      assert.equal(sarifUri(path.join('/repo', 'Dockerfile'), '/repo'), 'Dockerfile');
      assert.equal(sarifUri('-', '/repo'), 'stdin');
    });
  });

  describe('checkstyle', () => {
    it('writes hadolint-shaped XML with one <file> per linted file', () => {
      const out = formatFindings(RESULTS, 'checkstyle', RULES);
      assert.match(out, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<checkstyle version="4\.3">/);
      assert.match(out, /<file name="svc\/Dockerfile">\n {4}<error line="1" column="6" severity="warning" message="Always tag the version of an image explicitly" source="DL3006"\/>/);
      assert.match(out, /<file name="clean\/Dockerfile">\n {2}<\/file>/);
      assert.doesNotMatch(out, /gone\/Dockerfile/);
      assert.equal(out.match(/<error /g)?.length, 4);
      assert.match(out, /<\/checkstyle>\n$/);
    });

    it('escapes markup, quotes and control characters', () => {
      const out = formatFindings(
        [{ file: 'a&b "<x>".Dockerfile', findings: [finding('DL3001', 'info', 0, 0, 0, 1, `Use 'ssh' & <vim> "now"\nplease\u0001\u0008done`)] }],
        'checkstyle',
        RULES,
      );
      assert.match(out, /<file name="a&amp;b &quot;&lt;x&gt;&quot;\.Dockerfile">/);
      assert.match(out, /message="Use &apos;ssh&apos; &amp; &lt;vim&gt; &quot;now&quot;&#10;pleasedone"/);
    });

    it('xml() keeps astral characters and drops lone surrogates', () => {
      assert.equal(xml('🐳 \uD800x'), '🐳 x');
    });
  });
});
