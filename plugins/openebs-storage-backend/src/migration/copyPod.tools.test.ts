import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { copyScript, ScriptPaths, verifyScript } from './copyPod';

/*
 * The copy and verify pods' scripts, run by the BusyBox the lab's image is
 * made of (Debian's busybox-static) on real directories: the copy keeps
 * content, odd names, modes and hard links, and its summary is the
 * verify script's for the same data (a symbolic link, and its own time,
 * are kept but not in the manifest); a change to the source changes the
 * verify script's digest.
 */

const LINK_TIME = new Date('2001-02-03T04:05:06Z');
let root: string;
let paths: ScriptPaths;

const busybox = (script: string) =>
  execFileSync('busybox', ['sh', '-c', script], { encoding: 'utf8' });
const summary = () => JSON.parse(fs.readFileSync(paths.summary, 'utf8'));

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'copy-pod-'));
  paths = {
    source: path.join(root, 'source'),
    target: path.join(root, 'target'),
    summary: path.join(root, 'summary.json'),
    work: root,
  };
  fs.mkdirSync(path.join(paths.source, 'nested', 'deeper'), {
    recursive: true,
  });
  fs.mkdirSync(paths.target);
  fs.writeFileSync(path.join(paths.source, 'a.txt'), 'alpha\n');
  fs.writeFileSync(path.join(paths.source, 'with space'), 'beta');
  fs.writeFileSync(path.join(paths.source, 'nested', 'deeper', 'c'), '');
  fs.writeFileSync(path.join(paths.source, 'private'), 'secret', {
    mode: 0o600,
  });
  fs.linkSync(
    path.join(paths.source, 'a.txt'),
    path.join(paths.source, 'nested', 'hard-link'),
  );
  const link = path.join(paths.source, 'nested', 'soft link');
  fs.symlinkSync('../a.txt', link);
  fs.lutimesSync(link, LINK_TIME, LINK_TIME);
});

afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

it('copies a volume and summarises what it proved equal', () => {
  busybox(copyScript(paths));
  const copied = summary();
  expect(copied).toEqual({
    files: 5,
    bytes: 6 + 4 + 0 + 6 + 6,
    sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
  });
  const target = (...p: string[]) => path.join(paths.target, ...p);
  expect(fs.readFileSync(target('with space'), 'utf8')).toBe('beta');
  expect(fs.statSync(target('private')).mode & 0o777).toBe(0o600);
  expect(fs.statSync(target('a.txt')).ino).toBe(
    fs.statSync(target('nested', 'hard-link')).ino,
  );
  const link = fs.lstatSync(target('nested', 'soft link'));
  expect(link.isSymbolicLink()).toBe(true);
  expect(link.mtime).toEqual(LINK_TIME);

  busybox(verifyScript({ ...paths, source: paths.target }));
  expect(summary()).toEqual(copied);
});

it('gives a changed volume another digest', () => {
  busybox(verifyScript(paths));
  const before = summary();
  fs.writeFileSync(path.join(paths.source, 'with space'), 'bets');
  busybox(verifyScript(paths));
  expect(summary().files).toBe(before.files);
  expect(summary().sha256).not.toBe(before.sha256);
});

it('fails, saying so, when the target already holds other files', () => {
  // cp into a target holding a different file of the same name fails or
  // leaves a difference; either way the script must not end well.
  fs.writeFileSync(path.join(paths.target, 'extra'), 'not from the source');
  expect(() => busybox(copyScript(paths))).toThrow(
    /the copy differs from the source/,
  );
});
