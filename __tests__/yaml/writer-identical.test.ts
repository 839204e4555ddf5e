import * as fs from 'fs';
import * as path from 'path';
import * as vm from 'vm';
import { parse } from 'yaml';
import { SHARED_FOLDERS } from '../../charts';
import { isCompose } from '../../lib/compose/render';
import { loadEnvironments } from '../../lib/config/load';
import { renderEnvironments } from '../../lib/synth/synthesize';
import { toYaml } from '../../lib/yaml/writer';
import { ROOT } from '../support/env';
import { generated, SWEPT_SCALARS, TRICKY_SCALARS } from './corpus';
import { referenceToYaml } from './reference-writer';

/**
 * lib/yaml/writer.ts writes what the `yaml` package wrote before it
 * (reference-writer.ts), byte for byte: on every committed file of dist/ it
 * writes, on every object the committed environments render, and on a corpus
 * of awkward values in every position (values, sequence items, keys at the
 * top and nested). What the readers make of it is writer.test.ts's subject.
 */

const kubernetesFolders = [...loadEnvironments(ROOT).filter((e) => !isCompose(e)).map((e) => e.name), ...Object.keys(SHARED_FOLDERS)];

/**
 * Characters the writer escapes where the yaml package wrote them raw, so
 * that Kubernetes could not read the file or read another string (ESCAPED in
 * lib/yaml/writer.ts; writer.test.ts runs the readers on them).
 */
const DEPARTURES = /[\x7f-\x9f\u2028\u2029\uFFFE\uFFFF]/;
/** One-line strings with a tab that the yaml package wrote plain: the writer double-quotes them (PyYAML refuses a tab in a plain scalar). */
const plainWithTab = (s: string) => s.includes('\t') && !s.includes('\n') && referenceToYaml([s]) === `- ${s}\n`;
const departs = (s: string) => DEPARTURES.test(s) || plainWithTab(s);

/** Strings every quoting and block rule of the yaml package's stringifier applies to (but the departures). */
const AWKWARD_STRINGS: readonly string[] = [
  ...new Set([
    ...TRICKY_SCALARS,
    ...SWEPT_SCALARS,
    // indicators, spaces, comments, quotes, line breaks
    ...generated(' \n\t:#-?\'"%.|>a', 3),
    ...generated(' \na:#\'"', 4),
    // document markers and directives, on the first line or a later one
    '---', '...', '%YAML 1.2', '--- a', 'a\n---\nb', 'a\n...\n', '%x\ny', '---\n', ' ---',
    // control characters, escapes YAML shortens, unpaired and paired surrogates
    ...Array.from({ length: 32 }, (_, c) => `a${String.fromCharCode(c)}b`),
    '\xa0', '\ufeff', '\ud800', 'x\udfffy', '\ud83d\ude00', 'back\\slash', 'back\\nslash', 'tab\there',
    // long values with line breaks: double-quoted ones are then written on several lines (from 40 characters of JSON)
    `${'x'.repeat(40)}\n${'y'.repeat(10)}\x01`, `${'x'.repeat(29)}\n\x01`, `${'x'.repeat(30)}\n\x01`, `\x01${'long line '.repeat(5)}\n\n  indented\n`, `${'a '.repeat(30)}\n \x02`, `${'z'.repeat(45)}\n\n\n\x03\n`,
    // blocks: chomping (strip, clip, keep), leading spaces and breaks, trailing spaces
    'a\nb', 'a\nb\n', 'a\nb\n\n', '\n', '\n\n', ' \n', '\n ', '  lead\nx', '\nlead\n', '\n\nlead', 'a\n  \n', 'a \nb', 'a\n\tb', 'trail \n', 'x\n\n\ny\n\n',
    `{\n  "json": [1, 2],\n  "nested": { "a": "b" }\n}\n`, 'single \'quote\'\nline', 'double "quote"\nline', 'both \' and "\nline',
    ' leading', 'trailing ', "it's", '"q"', '\'s\' and "d"', 'a: b', 'a #b', '#c', '- x', '? x', '-', '?', ':', 'x:', '@at', '`tick', '!tag', '&anchor', '*alias', '[a]', '{a}', 'a,b',
  ]),
].filter((s) => !departs(s));

/** The same strings as values at the top and nested, as sequence items, and as keys at the top and nested. */
function placements(strings: readonly string[]): Record<string, unknown> {
  const asValues = Object.fromEntries(strings.map((s, i) => [`k${i}`, s]));
  const asKeys = Object.fromEntries(strings.map((s, i) => [s, i]));
  return {
    'values of a top-level mapping': asValues,
    'values of a nested mapping': { outer: { inner: asValues } },
    'items of a top-level sequence': [...strings],
    'items of a sequence in a sequence in a mapping': { list: [[...strings], { deeper: [...strings] }] },
    'keys of a top-level mapping': asKeys,
    'keys of a mapping in a sequence': [asKeys],
    'keys of a nested mapping': { outer: { inner: asKeys } },
  };
}

describe('the writer against the yaml package it replaces', () => {
  it('rewrites every committed file of dist/ it wrote to the same bytes, as the yaml package does', () => {
    let files = 0;
    for (const folder of kubernetesFolders) {
      const dir = path.join(ROOT, 'dist', folder);
      for (const file of fs.readdirSync(dir).sort()) {
        const text = fs.readFileSync(path.join(dir, file), 'utf8');
        const value: unknown = parse(text);
        expect([folder, file, toYaml(value)]).toEqual([folder, file, text]);
        expect([folder, file, referenceToYaml(value)]).toEqual([folder, file, text]);
        files++;
      }
    }
    expect(files).toBeGreaterThan(50);
  });

  it('writes every object the committed environments render as the yaml package does', () => {
    const manifests = renderEnvironments(loadEnvironments(ROOT).filter((e) => !isCompose(e))).flatMap((r) => r.manifests);
    expect(manifests.length).toBeGreaterThan(50);
    for (const m of manifests) expect(toYaml(m)).toBe(referenceToYaml(m));
  });

  it.each(Object.entries(placements(AWKWARD_STRINGS)))('writes awkward strings as the yaml package does: %s', (_, document) => {
    expect(toYaml(document)).toBe(referenceToYaml(document));
  });

  it('writes numbers, booleans, null and empty collections as the yaml package does', () => {
    const numbers = [0, -0, 1, -1, 42, 1.5, -2.25, 0.1 + 0.2, 1e21, 1e-7, 123456789012345680000, 2 ** 53, Number.MAX_VALUE, Number.MIN_VALUE, NaN, Infinity, -Infinity];
    const scalars = [...numbers, true, false, null, {}, [], [[]], [{}], { a: {} }, { a: [] }];
    const document = { values: Object.fromEntries(scalars.map((v, i) => [`k${i}`, v])), items: scalars, nested: [scalars, { deeper: [scalars] }] };
    expect(toYaml(document)).toBe(referenceToYaml(document));
    expect(toYaml({ big: 12345678901234567890n, list: [1n] })).toBe(referenceToYaml({ big: 12345678901234567890n, list: [1n] }));
  });

  it('leaves out undefined values of a mapping and writes undefined items as null, as the yaml package does', () => {
    const document = { a: undefined, b: 1, c: { d: undefined }, e: [undefined, 1], f: [{ g: undefined }] };
    expect(toYaml(document)).toBe(referenceToYaml(document));
    expect(toYaml(document)).toBe('b: 1\nc: {}\ne:\n  - null\n  - 1\nf:\n  - {}\n');
  });

  it('writes 300 random documents of awkward values as the yaml package does', () => {
    const random = seeded(20240611);
    let compared = 0;
    for (let i = 0; i < 300; i++) {
      const document = withoutDepartures(randomCollection(random, 0));
      expect(toYaml(document)).toBe(referenceToYaml(document));
      compared++;
    }
    expect(compared).toBe(300);
  });

  it('refuses what is not JSON-shaped, naming where it is', () => {
    expect(() => toYaml({ a: { when: new Date(0) } })).toThrow(/JSON-shaped data, not a Date/);
    expect(() => toYaml({ a: [() => 1] })).toThrow(/\$\.a\[0\] is a function/);
    expect(() => toYaml('text')).toThrow(/a mapping or a sequence, not a string/);
    expect(() => toYaml({ ['k'.repeat(1025)]: 1 })).toThrow(/key at \$ is longer than 1024 characters/);
  });

  it('writes plain objects and arrays made in another realm (structuredClone, jest\'s sandbox), and still refuses class instances there', () => {
    const foreign = vm.runInNewContext('({ a: { b: [1, "yes"] }, c: Object.create(null) })');
    expect(Object.getPrototypeOf(foreign)).not.toBe(Object.prototype);
    expect(toYaml(foreign)).toBe(toYaml({ a: { b: [1, 'yes'] }, c: {} }));
    expect(toYaml(structuredClone({ a: { b: 'no' } }))).toBe('a:\n  b: "no"\n');
    expect(() => toYaml(vm.runInNewContext('({ a: new Map() })'))).toThrow(/JSON-shaped data, not a Map/);
  });
});

/** mulberry32: a small deterministic generator, so that a failure can be replayed. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = [' ', ' ', '\n', '\n', '\t', ':', '#', '-', '?', "'", '"', '%', '.', '|', '>', 'a', 'b', '0', '1', 'e', 'y', 'n', '~', '\x01', '\xa0', '\\', ',', '[', '{', '&', '*', '!', '@'];

function randomString(random: () => number): string {
  const length = Math.floor(random() ** 2 * 60);
  let s = '';
  for (let i = 0; i < length; i++) s += ALPHABET[Math.floor(random() * ALPHABET.length)];
  return s;
}

function randomValue(random: () => number, depth: number): unknown {
  const r = random();
  if (depth < 4 && r < 0.25) return randomCollection(random, depth + 1);
  if (r < 0.8) return randomString(random);
  if (r < 0.9) return Math.round((random() - 0.5) * 1e6) / (random() < 0.5 ? 1 : 1000);
  if (r < 0.95) return random() < 0.5;
  return null;
}

function randomCollection(random: () => number, depth: number): unknown {
  const size = Math.floor(random() * 6);
  if (random() < 0.5) return Array.from({ length: size }, () => randomValue(random, depth));
  return Object.fromEntries(Array.from({ length: size }, () => [randomString(random), randomValue(random, depth)]));
}

/** The document with the tabs of departing strings (keys and values) made spaces. */
function withoutDepartures(value: unknown): unknown {
  const fix = (s: string) => (departs(s) ? s.replace(/\t/g, ' ') : s);
  if (typeof value === 'string') return fix(value);
  if (Array.isArray(value)) return value.map(withoutDepartures);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [fix(k), withoutDepartures(v)]));
  return value;
}
