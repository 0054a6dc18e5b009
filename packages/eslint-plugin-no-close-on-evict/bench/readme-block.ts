import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const readmePath = fileURLToPath(new URL('../README.md', import.meta.url));

/**
 * With `--write-readme` on the command line, replaces what the README holds between
 * `<!-- begin NAME -->` and `<!-- end NAME -->` with `content`.
 */
export function writeReadmeBlock(name: string, content: string): void {
  if (!process.argv.includes('--write-readme')) return;
  const readme = readFileSync(readmePath, 'utf8');
  const begin = `<!-- begin ${name} -->`;
  const end = `<!-- end ${name} -->`;
  const from = readme.indexOf(begin);
  const to = readme.indexOf(end);
  if (from < 0 || to < from) throw new Error(`bench: README.md needs the markers ${begin} and ${end}`);
  writeFileSync(readmePath, `${readme.slice(0, from + begin.length)}\n\n${content}\n\n${readme.slice(to)}`);
}
