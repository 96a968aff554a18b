// Writes schemas/json/*.schema.json from the zod schemas. A test fails when they are stale.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderJsonSchemas } from '../schemas/json-schemas.ts';

const outDir = join(import.meta.dirname, '..', 'schemas', 'json');
mkdirSync(outDir, { recursive: true });
for (const [file, text] of Object.entries(renderJsonSchemas())) {
  writeFileSync(join(outDir, file), text);
  console.log(`wrote schemas/json/${file}`);
}
