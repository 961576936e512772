// Records what graphql-js 16 makes of Panther's schema, for panthertest's
// compliance tests (panther/panthertest/compliance_test.go and
// introspection_test.go). Those tests only read the files written here, so
// `make test` needs no Node. Regenerate after changing the schema or the
// corpus with:
//
//	npm ci --prefix scripts/graphqljs && node scripts/graphqljs/record.mjs
//
// Outputs: panther/panthertest/internal/gqlengine/prelude.graphql, graphql-js's
// built-in scalars, directives and introspection types, which the engine
// loads in place of gqlparser's prelude; and in
// panther/panthertest/testdata/graphqljs/:
//   introspection-query.graphql  getIntrospectionQuery with every option
//   introspection.json           graphql-js's answer to it for the schema
//   schema.graphql               printSchema of buildClientSchema of that
//                                answer (checked equal to printSchema of the
//                                schema itself)
//   verdicts.json                graphql-js's verdict on each corpus request

import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  GraphQLError,
  GraphQLScalarType,
  Kind,
  buildClientSchema,
  buildSchema,
  getIntrospectionQuery,
  executeSync,
  getVariableValues,
  parse,
  print,
  printIntrospectionSchema,
  printSchema,
  printType,
  specifiedScalarTypes,
  validate,
  version,
} from "graphql";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const out = join(root, "panther", "panthertest", "testdata", "graphqljs");
const sdl = readFileSync(join(root, "schema", "schema.public.graphql"), "utf8");

const options = {
  descriptions: true,
  specifiedByUrl: true,
  directiveIsRepeatable: true,
  schemaDescription: true,
  inputValueDeprecation: true,
};

// --- built-in definitions ------------------------------------------------

const prelude = [
  `# The built-in scalars, directives and introspection types of graphql-js ${version},`,
  "# written by scripts/graphqljs/record.mjs. Do not edit.",
  "",
  specifiedScalarTypes.map(printType).join("\n\n"),
  "",
  printIntrospectionSchema(buildSchema("type Query { a: Int }")),
  "",
].join("\n");
writeFileSync(join(root, "panther", "panthertest", "internal", "gqlengine", "prelude.graphql"), prelude);

// --- introspection -------------------------------------------------------

const plain = buildSchema(sdl);
const query = getIntrospectionQuery(options);
const result = executeSync({ schema: plain, document: parse(query) });
if (result.errors) {
  console.error("introspection failed:", result.errors);
  process.exit(1);
}
const intro = result.data;
const printed = printSchema(buildClientSchema(intro));
if (printed !== printSchema(plain)) {
  console.error("buildClientSchema(introspection) does not print as the schema");
  process.exit(1);
}
writeFileSync(join(out, "introspection-query.graphql"), query);
writeFileSync(join(out, "introspection.json"), JSON.stringify({ data: intro }, null, 1) + "\n");
writeFileSync(join(out, "schema.graphql"), printed + "\n");

// --- corpus verdicts -----------------------------------------------------

// Panther documents DateTime as "YYYY-MM-DDThh:mm:ss.000Z" and Timestamp as
// ISO 8601 in UTC. Both are checked as RFC 3339 date-times, as panthertest
// does; other custom scalars accept any value, as buildSchema makes them.
const timeFormat = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|([+-])(\d{2}):(\d{2}))$/;
function validTime(s) {
  const m = timeFormat.exec(s);
  if (!m) return false;
  const [y, mo, d, h, mi, sec] = m.slice(1, 7).map(Number);
  const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (mo < 1 || mo > 12 || d < 1 || d > days || h > 23 || mi > 59 || sec > 59) return false;
  if (m[9] && (Number(m[10]) > 23 || Number(m[11]) > 59)) return false;
  return true;
}
function timeScalar(name) {
  const check = (v) => {
    if (typeof v !== "string" || !validTime(v)) {
      throw new GraphQLError(`${name} must be a string in RFC 3339 format`);
    }
    return v;
  };
  return {
    parseValue: check,
    parseLiteral: (node) => {
      if (node.kind !== Kind.STRING) throw new GraphQLError(`${name} must be a string in RFC 3339 format`);
      return check(node.value);
    },
  };
}
const checked = buildSchema(sdl);
for (const name of ["DateTime", "Timestamp"]) {
  Object.assign(checked.getType(name), timeScalar(name));
}

function verdict(c) {
  let doc;
  try {
    doc = parse(c.query);
  } catch (e) {
    return { verdict: "reject", kind: "parse", messages: [e.message] };
  }
  const errs = validate(checked, doc);
  if (errs.length > 0) {
    return { verdict: "reject", kind: "validation", messages: errs.map((e) => e.message) };
  }
  const ops = doc.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  const op = c.operationName ? ops.find((o) => o.name?.value === c.operationName) : ops.length === 1 ? ops[0] : undefined;
  if (!op) {
    return { verdict: "reject", kind: "operation", messages: ["cannot choose an operation"] };
  }
  const vars = getVariableValues(checked, op.variableDefinitions ?? [], c.variables ?? {});
  if (vars.errors) {
    return { verdict: "reject", kind: "variables", messages: vars.errors.map((e) => e.message) };
  }
  return { verdict: "accept" };
}

const corpus = JSON.parse(readFileSync(join(out, "..", "corpus.json"), "utf8"));
const verdicts = { graphql: version, cases: {} };
for (const c of corpus) {
  if (verdicts.cases[c.name]) {
    console.error(`duplicate case name ${c.name}`);
    process.exit(1);
  }
  verdicts.cases[c.name] = verdict(c);
}
writeFileSync(join(out, "verdicts.json"), JSON.stringify(verdicts, null, 1) + "\n");
const n = Object.keys(verdicts.cases).length;
const rejected = Object.values(verdicts.cases).filter((v) => v.verdict === "reject").length;
console.log(`graphql-js ${version}: ${n} cases, ${n - rejected} accepted, ${rejected} rejected`);
