import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const readmePath = join(import.meta.dirname, '../README.md');

/** Replaces what lies between `<!-- begin NAME -->` and `<!-- end NAME -->` in the package README. */
export function writeReadmeSection(name: string, content: string): void {
  const readme = readFileSync(readmePath, 'utf8');
  const start = `<!-- begin ${name} -->`;
  const end = `<!-- end ${name} -->`;
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README.md needs the markers ${start} and ${end}`);
  writeFileSync(readmePath, `${readme.slice(0, from + start.length)}\n\n${content}\n\n${readme.slice(to)}`);
}

/** Whether the package README has the markers of section NAME. */
export function hasReadmeSection(name: string): boolean {
  const readme = readFileSync(readmePath, 'utf8');
  return readme.includes(`<!-- begin ${name} -->`) && readme.includes(`<!-- end ${name} -->`);
}
