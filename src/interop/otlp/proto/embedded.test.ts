import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain JavaScript script without declarations
import { embeddedProtos } from '../../../../scripts/embed-otlp-protos.js';

describe('the embedded OTLP protobuf definitions', () => {
  it('are the .proto files of this folder (run "node scripts/embed-otlp-protos.js" after changing them)', () => {
    expect(readFileSync(join(import.meta.dirname, 'embedded.ts'), 'utf8')).toBe((embeddedProtos as () => string)());
  });
});
