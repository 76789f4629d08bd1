import { readFile, writeFile } from "node:fs/promises";
import { configJsonSchema } from "./schema.js";
import { renderConfigReference, replaceReference } from "./reference.js";

/** `npm run schema`: regenerate docs/review-reviewer.schema.json and the README reference. */
const schemaPath = "docs/review-reviewer.schema.json";
await writeFile(schemaPath, `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
const readme = await readFile("README.md", "utf8");
await writeFile("README.md", replaceReference(readme, renderConfigReference()));
process.stdout.write(`wrote ${schemaPath} and the README configuration reference\n`);
