// Runs graphql-inspector's diff over every case directory under
// tools/internal/schemautil/testdata/inspector/ (old.graphql, new.graphql)
// and writes its report to inspector.json in that directory: one entry per
// change with its type, criticality, path and message, in inspector's
// order. The Go differ's tests compare their result to these files.
//
//   cd scripts/inspector && npm ci && npm run record
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildSchema } from "graphql";
import { diff } from "@graphql-inspector/core";

const root = new URL("../../tools/internal/schemautil/testdata/inspector/", import.meta.url).pathname;
let n = 0;
for (const name of readdirSync(root).sort()) {
  const dir = join(root, name);
  const load = (f) => buildSchema(readFileSync(join(dir, f), "utf8"));
  const changes = await diff(load("old.graphql"), load("new.graphql"));
  const out = changes.map((c) => ({
    type: c.type,
    criticality: c.criticality.level,
    path: c.path ?? "",
    message: c.message,
  }));
  writeFileSync(join(dir, "inspector.json"), JSON.stringify(out, null, 2) + "\n");
  n++;
}
console.log(`recorded ${n} cases`);
