import { rangeIn, scanWords, splitWords } from '../model';
import type { Rule, RuleContext } from '../rule';
import type { Instruction } from '../types';

// Berth's own rules: what users hit that neither hadolint nor BuildKit catches.

// Documented in media/rules/<code>.md, shipped in the VSIX; the editor resolves
// the relative link against the extension folder.
/** The shell text a RUN executes (heredoc bodies included). */
function script(ins: Instruction): string {
  if (!ins.json && !ins.heredocs.length) return ins.rest; // the usual case, without joining
  return [ins.json ? ins.json.join(' ') : ins.rest, ...ins.heredocs.map((h) => h.body)].join('\n');
}

const syntaxFrontend: Rule = {
  code: 'BR001',
  severity: 'warning',
  message: 'The `# syntax=` frontend is not an official docker/dockerfile image: the builder runs its code with access to your build context and secrets.',
  rationale: 'A syntax directive makes BuildKit pull and run that image as the Dockerfile frontend. Anything but docker/dockerfile (or docker.io/docker/dockerfile) runs third-party code inside your build.',
  check(ctx) {
    for (const d of ctx.model.parsed.directives) {
      if (d.name !== 'syntax') continue;
      const ref = d.value.replace(/^docker\.io\//, '').replace(/@sha256:[0-9a-f]+$/, '');
      if (!/^(docker\/)?dockerfile(-upstream)?(:[\w.-]+)?$/.test(ref)) ctx.report(d.range);
    }
  },
};

// Values that are secrets whatever the variable is called.
const SECRET_VALUES: Array<[RegExp, string]> = [
  [/AKIA[0-9A-Z]{16}/, 'an AWS access key id'],
  [/\bgh[pousr]_[A-Za-z0-9]{36,}/, 'a GitHub token'],
  [/\bglpat-[A-Za-z0-9_-]{20,}/, 'a GitLab token'],
  [/\bxox[abposr]-[A-Za-z0-9-]{10,}/, 'a Slack token'],
  [/\bsk_live_[A-Za-z0-9]{16,}/, 'a Stripe secret key'],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'a private key'],
  [/\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/, 'a JSON web token'],
  [/\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@$]+:[^@\s$]+@/i, 'credentials in a URL'],
];

/** Text that every SECRET_VALUES pattern needs (checked first: most values hold none of it). */
const SECRET_MARKERS = ['AKIA', 'gh', 'glpat-', 'xox', 'sk_live_', '-----BEGIN ', 'eyJ', '://'];

function hasSecretMarker(value: string): boolean {
  for (let k = 0; k < SECRET_MARKERS.length; k++) if (value.includes(SECRET_MARKERS[k])) return true;
  return false;
}

const secretValues: Rule = {
  code: 'BR002',
  severity: 'error',
  message: 'A secret is baked into the image',
  keywords: ['ARG', 'ENV'],
  rationale: 'ARG and ENV values are stored in the image metadata and history, readable by anyone who can pull it. Pass secrets with RUN --mount=type=secret instead.',
  check(ctx) {
    for (const kw of ['ARG', 'ENV']) {
      for (const { instruction: ins } of ctx.instructions(kw, { onbuild: true })) {
        const { count, texts, starts } = scanWords(ins.rest);
        for (let k = 0; k < count; k++) {
          const text = texts[k];
          const value = text.slice(text.indexOf('=') + 1);
          const hit = hasSecretMarker(value) ? SECRET_VALUES.find(([re]) => re.test(value)) : undefined;
          if (hit) ctx.report(rangeIn(ins, ins.restOffset + starts[k], text.length), `${kw} holds ${hit[1]}: it is stored in the image for anyone who pulls it. Use RUN --mount=type=secret.`);
        }
      }
    }
  },
};

// Installs whose input is a lockfile/manifest: copying the whole context first
// invalidates their layer on every source change.
const DEPENDENCY_INSTALL = /\b(npm (ci|install|i)\b|yarn( install)?\s*($|&&|;)|pnpm (install|i)\b|pip3? install\b.*-r\b|poetry install\b|bundle install\b|composer install\b|go mod download\b|cargo fetch\b|mvn [^&;]*dependency:|gradle [^&;]*dependencies\b|dotnet restore\b)/;

const copyBeforeInstall: Rule = {
  code: 'BR003',
  severity: 'info',
  message: 'The whole build context is copied before dependencies are installed: every source change re-runs the install. Copy the manifest/lockfile first, install, then copy the rest.',
  keywords: ['COPY', 'ADD'],
  rationale: 'Layer caching is keyed on the files a COPY brings in. Copying only package.json/lockfiles before the install keeps the slow install layer cached across source edits.',
  check(ctx) {
    for (const stage of ctx.model.stages) {
      let wholeContext: Instruction | undefined;
      for (const ins of stage.instructions) {
        if ((ins.keyword === 'COPY' || ins.keyword === 'ADD') && !ins.flags.some((f) => f.name === 'from')) {
          if (!wholeContext && copiesWholeContext(ins)) wholeContext = ins;
        }
        if (ins.keyword === 'RUN' && wholeContext && DEPENDENCY_INSTALL.test(script(ins))) {
          ctx.report(wholeContext.range);
          wholeContext = undefined;
        }
      }
    }
  },
};

/** Is `.` (or `./`) among the sources (every word but the last) of a COPY or ADD? */
function copiesWholeContext(ins: Instruction): boolean {
  const { count, texts } = scanWords(ins.rest);
  for (let k = 0; k < count - 1; k++) if (texts[k] === '.' || texts[k] === './') return true;
  return false;
}

const remoteAddWithoutChecksum: Rule = {
  code: 'BR004',
  severity: 'warning',
  message: 'ADD of a remote URL without --checksum: the download is not verified and its content can change under the same URL.',
  keywords: ['ADD'],
  rationale: 'ADD fetches remote files at build time. Without --checksum=sha256:… a compromised or changed server silently changes your image.',
  check(ctx) {
    for (const { instruction: ins } of ctx.instructions('ADD', { onbuild: true })) {
      if (ins.flags.some((f) => f.name === 'checksum')) continue;
      for (const w of splitWords(ins.rest).slice(0, -1)) {
        // Git sources are pinned by commit, not by checksum.
        if (/^https?:\/\//i.test(w.text) && !/\.git(#|$)/.test(w.text)) ctx.report(rangeIn(ins, ins.restOffset + w.start, w.text.length));
      }
    }
  },
};

const NPM_INSTALL = /\bnpm (ci|install|i)\b/;

const npmCache: Rule = {
  code: 'BR005',
  severity: 'info',
  message: 'npm install/ci leaves its cache in the layer: add `&& npm cache clean --force` in the same RUN, or use a cache mount.',
  keywords: ['RUN'],
  rationale: "npm keeps a copy of every downloaded package in ~/.npm. Removed in a later RUN it still ships in the earlier layer; clean it in the same RUN or mount it with RUN --mount=type=cache,target=/root/.npm. (apt, apk, pip, yum, dnf and zypper caches are covered by hadolint's DL3009/DL3019/DL3042/DL3032/DL3040/DL3036.)",
  check(ctx: RuleContext) {
    for (const { instruction: ins } of ctx.instructions('RUN', { onbuild: true })) {
      const text = script(ins);
      if (!NPM_INSTALL.test(text)) continue;
      if (text.includes('npm cache clean') || ins.flags.some((f) => f.name === 'mount' && (f.value ?? '').includes('type=cache'))) continue;
      ctx.report(ins.keywordRange);
    }
  },
};

export const berthRules: Rule[] = [syntaxFrontend, secretValues, copyBeforeInstall, remoteAddWithoutChecksum, npmCache];
