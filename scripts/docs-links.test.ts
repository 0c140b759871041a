import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/** A reader of the repository alone can follow every link its documents make. */
const root = resolve(import.meta.dirname, '..');
const documents = ['README.md', 'sandboxes/README.md', ...readdirSync(join(root, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`),
  ...readdirSync(join(root, 'subgraphs')).map((name) => `subgraphs/${name}/README.md`).filter((path) => existsSync(join(root, path)))];

describe('documentation links', () => {
  it.each(documents)('%s points only at files inside the repository that exist', (document) => {
    const text = readFileSync(join(root, document), 'utf8');
    // Markdown links and code spans naming a relative path (`../x`, `docs/y.md`).
    const targets = [...text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g), ...text.matchAll(/`(\.\.\/[^`\s]+)`/g)].map((match) => match[1]!).filter((target) => !/^[a-z]+:/i.test(target));
    const broken = targets.filter((target) => {
      const path = resolve(dirname(join(root, document)), target);
      return relative(root, path).startsWith('..') || !existsSync(path);
    });
    expect(broken).toEqual([]);
  });
});
