import { writeFile } from "node:fs/promises";
import { learnedCheckJsonSchema } from "./schema.js";

/** `node dist/checks/learned/write-schema.js` (part of `npm run schema`): regenerate docs/learned-check.schema.json. */
const schemaPath = "docs/learned-check.schema.json";
await writeFile(schemaPath, `${JSON.stringify(learnedCheckJsonSchema(), null, 2)}\n`);
process.stdout.write(`wrote ${schemaPath}\n`);
