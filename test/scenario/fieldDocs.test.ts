import { describe, expect, it } from 'vitest';
import { fieldDocs as generate } from '../../scripts/gen-field-docs.ts';
import { fieldDocs } from '../../src/scenario/fieldDocs.ts';

describe('src/scenario/fieldDocs.ts', () => {
  it('is up to date with the TSDoc of src/model/scenario.ts and profile.ts (else run `npm run gen:schema`)', () => {
    expect(fieldDocs).toEqual(generate());
  }, 60_000);
});
