const FRONTMATTER = /^---\r?\n([\s\S]*?)\r?\n---/;
const RELEASE_LINE = /^\s*(["']?)(.+?)\1\s*:\s*(major|minor|patch|none)\s*$/;

/** The packages a changeset file releases (its frontmatter keys), with their bump type. */
export function changesetReleases(markdown: string): { name: string; type: string }[] {
  const frontmatter = FRONTMATTER.exec(markdown)?.[1];
  if (frontmatter === undefined) return [];
  return frontmatter.split(/\r?\n/).flatMap((line) => {
    const match = RELEASE_LINE.exec(line);
    return match?.[2] === undefined || match[3] === undefined ? [] : [{ name: match[2], type: match[3] }];
  });
}
