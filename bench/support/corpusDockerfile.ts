// A large Dockerfile assembled from the real Dockerfiles of the conformance
// corpora (hadolint's and BuildKit's test cases), for lint-speed: a generated
// file that repeats one stage exercises only the few rules its keywords reach,
// while these files make most rule families fire, thousands of times.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { seededRandom } from './random';

const SHARED = process.env.BERTH_SHARED ?? path.resolve(__dirname, '../../../shared');
const CORPORA = ['hadolint-cases.jsonl', 'buildkit-check-cases.jsonl'];

/** Every distinct Dockerfile of both corpora, in corpus order (each whole, FROM lines and all). */
export function corpusDockerfiles(): string[] {
  const seen = new Set<string>();
  for (const name of CORPORA) {
    for (const line of fs.readFileSync(path.join(SHARED, 'conformance', name), 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const text = (JSON.parse(line) as { dockerfile: string }).dockerfile;
      seen.add(text.endsWith('\n') ? text : text + '\n');
    }
  }
  return [...seen];
}

/**
 * `lines` lines of corpus Dockerfiles, concatenated whole in an order shuffled
 * by `seed` (Fisher–Yates with the benches' seeded PRNG, so a seed is one fixed
 * arrangement). The corpora hold fewer lines than asked: each pass over them is
 * shuffled anew, and the last file is cut at the line limit.
 */
export function corpusDockerfile(lines: number, seed: number, files: readonly string[] = corpusDockerfiles()): string {
  const { rand } = seededRandom(seed);
  const out: string[] = [];
  while (out.length < lines) {
    const order = [...files];
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (const text of order) {
      out.push(...text.slice(0, -1).split('\n'));
      if (out.length >= lines) break;
    }
  }
  return out.slice(0, lines).join('\n') + '\n';
}
