import type { ImageRecord } from '../engine/resources';
import { formatAge, formatSize, shortId } from '../util/format';
import { ExplorerNode } from './node';

export const NONE_REPOSITORY = '<none>';

/** Splits "host:5000/team/app:1.2" into repository and tag (the tag follows the last ':' after the last '/'). */
export function splitReference(ref: string): { repository: string; tag: string } {
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  if (colon > slash) return { repository: ref.slice(0, colon), tag: ref.slice(colon + 1) };
  return { repository: ref, tag: 'latest' };
}

export function isDangling(img: ImageRecord): boolean {
  const tags = img.RepoTags ?? [];
  return tags.length === 0 || tags.every((t) => t === '<none>:<none>');
}

function imageRow(img: ImageRecord, repository: string, tag: string | undefined, nowMs: number): ExplorerNode {
  const ref = tag ? `${repository}:${tag}` : shortId(img.Id);
  return {
    id: `image:${img.Id}:${ref}`,
    label: tag ?? shortId(img.Id),
    description: [tag ? shortId(img.Id) : undefined, formatSize(img.Size), formatAge(img.Created, nowMs)].filter(Boolean).join(' · '),
    tooltip: [
      tag ? ref : `${shortId(img.Id)} (dangling)`,
      `Id: ${img.Id}`,
      `Size: ${formatSize(img.Size)}`,
      `Created: ${new Date(img.Created * 1000).toISOString()}`,
      img.RepoTags && img.RepoTags.length > 1 ? `Also tagged: ${img.RepoTags.filter((t) => t !== ref).join(', ')}` : '',
    ]
      .filter(Boolean)
      .join('\n'),
    icon: { id: tag ? 'package' : 'circle-slash' },
    contextValue: tag ? 'image tagged' : 'image dangling',
    // Removing a row removes that tag (or the image when it is the last one), as `docker rmi repo:tag` does.
    ref: { kind: 'images', id: tag ? ref : img.Id, name: ref },
  };
}

/** Rows for the Images view: one group per repository, a row per tag; dangling images under "<none>" when shown. */
export function imageTree(records: readonly ImageRecord[], showDangling: boolean, nowMs = Date.now()): ExplorerNode[] {
  const repos = new Map<string, ExplorerNode[]>();
  const add = (repo: string, node: ExplorerNode) => {
    const list = repos.get(repo);
    if (list) list.push(node);
    else repos.set(repo, [node]);
  };
  for (const img of records) {
    if (isDangling(img)) {
      if (showDangling) add(NONE_REPOSITORY, imageRow(img, NONE_REPOSITORY, undefined, nowMs));
      continue;
    }
    for (const t of img.RepoTags ?? []) {
      if (t === '<none>:<none>') continue;
      const { repository, tag } = splitReference(t);
      add(repository, imageRow(img, repository, tag, nowMs));
    }
  }
  return [...repos.entries()]
    .sort(([a], [b]) => (a === NONE_REPOSITORY ? 1 : b === NONE_REPOSITORY ? -1 : a.localeCompare(b)))
    .map(([repository, rows]) => ({
      id: `repository:${repository}`,
      label: repository,
      description: `${rows.length} ${repository === NONE_REPOSITORY ? 'dangling' : rows.length === 1 ? 'tag' : 'tags'}`,
      icon: { id: 'repo' },
      contextValue: 'imageRepository',
      children: rows.sort((a, b) => a.label.localeCompare(b.label)),
    }));
}
