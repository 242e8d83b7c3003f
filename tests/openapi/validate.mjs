#!/usr/bin/env node
// Checks the hub's API contract (hub/web/openapi.json) and HTTP responses
// against it.
//
//   node validate.mjs doc [OPENAPI]
//       The document validates against the OpenAPI schema of its version
//       (@seriousme/openapi-schema-validator), every schema in it compiles
//       under JSON Schema 2020-12 in ajv's strict mode, every $ref resolves,
//       operationIds are unique and path parameters are declared.
//   node validate.mjs response METHOD PATH STATUS CONTENT_TYPE BODY_FILE
//       One response: PATH as requested (query string included) is matched
//       to an operation (templated paths such as /api/v1/hospitals/{code}
//       too), STATUS to one of its responses, CONTENT_TYPE to one of that
//       response's media types, and a JSON body is validated against its
//       schema (for other media types only the content type is checked).
//       For a 2xx answer every query parameter sent must be declared by the
//       operation and its value valid.  A path that matches no path of the
//       document is checked against the document's "x-other-paths"
//       responses (e.g. 404 for an unknown path).
//   node validate.mjs batch FILE...
//       Many responses, one JSON object per line:
//       {"method","path","status","content_type","body_file"}.
//
// Options (before the command's arguments): --spec FILE (default
// hub/web/openapi.json), --coverage (batch: also list the operations and
// statuses no response exercised), --require-operations (batch: fail
// unless every operation answered a valid 2xx at least once), --quiet
// (print failures and the summary only).  Exit status 0 all valid, 1 something invalid, 2 usage.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const here = dirname(fileURLToPath(import.meta.url));
const DEFAULT_SPEC = resolve(here, '../../hub/web/openapi.json');
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const ROOT_ID = 'urn:inbound-exchange:openapi';

function usage() {
  process.stderr.write(
    'usage: validate.mjs [--spec FILE] doc [OPENAPI]\n' +
      '       validate.mjs [--spec FILE] response METHOD PATH STATUS CONTENT_TYPE BODY_FILE\n' +
      '       validate.mjs [--spec FILE] [--coverage] [--require-operations] [--quiet] batch FILE...\n',
  );
  process.exit(2);
}

function loadJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

// A JSON pointer ("#/a/b") into doc, or undefined.
function pointer(doc, ref) {
  if (!ref.startsWith('#')) return undefined;
  let v = doc;
  for (const raw of ref.slice(1).split('/').slice(1)) {
    const k = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (v === null || typeof v !== 'object' || !(k in v)) return undefined;
    v = v[k];
  }
  return v;
}

// Follow $ref chains of non-schema objects (parameters, responses).
function deref(doc, o) {
  const seen = new Set();
  while (o && typeof o === 'object' && typeof o.$ref === 'string') {
    if (seen.has(o.$ref)) throw new Error(`$ref cycle at ${o.$ref}`);
    seen.add(o.$ref);
    o = pointer(doc, o.$ref);
  }
  return o;
}

// A deep copy with "#/components/schemas/X" made absolute, so that any
// schema of the document compiles against the root schema below.
function absolute(v) {
  if (Array.isArray(v)) return v.map(absolute);
  if (v === null || typeof v !== 'object') return v;
  const out = {};
  for (const [k, x] of Object.entries(v))
    out[k] = k === '$ref' && typeof x === 'string' && x.startsWith('#/components/schemas/')
      ? `${ROOT_ID}#/$defs/${x.slice('#/components/schemas/'.length)}`
      : absolute(x);
  return out;
}

function newAjv() {
  // strictRequired cannot see properties declared through allOf; lint()
  // checks required names itself.
  const ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true, validateFormats: true, allowUnionTypes: true });
  addFormats(ajv);
  // OpenAPI 3.1's own schema keywords (the OAS dialect).
  ajv.addVocabulary(['discriminator', 'xml', 'externalDocs', 'example']);
  return ajv;
}

class Contract {
  constructor(specFile) {
    this.file = specFile;
    this.doc = loadJson(specFile);
    this.ajv = newAjv();
    this.ajv.addSchema({ $id: ROOT_ID, $defs: absolute(this.doc.components?.schemas || {}) });
    this.cache = new Map();
    this.routes = Object.keys(this.doc.paths || {}).map((tpl) => {
      const names = [];
      const re = tpl.split(/(\{[^}]+\})/).map((part) => {
        const m = /^\{([^}]+)\}$/.exec(part);
        if (!m) return part.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
        names.push(m[1]);
        return '([^/]*)';
      }).join('');
      return { tpl, names, re: new RegExp(`^${re}$`), literal: names.length === 0 };
    });
    // Literal paths win over templated ones (OpenAPI's matching rule).
    this.routes.sort((a, b) => Number(b.literal) - Number(a.literal));
  }

  compile(key, schema) {
    if (!this.cache.has(key)) this.cache.set(key, this.ajv.compile(absolute(schema)));
    return this.cache.get(key);
  }

  route(path) {
    for (const r of this.routes) {
      const m = r.re.exec(path);
      if (m) return { tpl: r.tpl, params: Object.fromEntries(r.names.map((n, i) => [n, decodeURIComponent(m[i + 1])])) };
    }
    return null;
  }

  parameters(tpl, method) {
    const item = this.doc.paths[tpl];
    const out = new Map();
    for (const p of [...(item.parameters || []), ...(item[method].parameters || [])]) {
      const d = deref(this.doc, p);
      out.set(`${d.in}:${d.name}`, d);
    }
    return out;
  }

  // Problems with one response (empty when it is valid); rec.note says
  // what it was checked against.
  check(rec) {
    const problems = [];
    const method = String(rec.method || 'GET').toLowerCase();
    const status = String(rec.status);
    const url = new URL(rec.path, 'http://hub.invalid');
    const path = url.pathname;
    const ct = String(rec.content_type || '').split(';')[0].trim().toLowerCase();
    let body;
    try {
      body = rec.body !== undefined ? rec.body : readFileSync(rec.body_file);
    } catch (e) {
      return { problems: [`cannot read the body: ${e.message}`] };
    }
    const r = this.route(path);
    let response;
    let where;
    if (r === null) {
      // A path outside `paths`: the answers the document's x-other-paths
      // allows (an unknown path's 404, say).
      const other = this.doc['x-other-paths']?.responses || {};
      if (!(status in other))
        return { problems: [`${path} matches no path of the document, and x-other-paths has no ${status} response`] };
      response = deref(this.doc, other[status]);
      where = `(other paths) ${status}`;
    } else {
      const lookup = method === 'head' && !this.doc.paths[r.tpl].head ? 'get' : method;
      const op = this.doc.paths[r.tpl][lookup];
      if (!op) return { problems: [`${method.toUpperCase()} ${r.tpl} is not an operation of the document`] };
      where = `${lookup.toUpperCase()} ${r.tpl}`;
      const codes = op.responses || {};
      const code = status in codes ? status : `${status[0]}XX` in codes ? `${status[0]}XX` : 'default' in codes ? 'default' : null;
      if (code === null)
        return { where, problems: [`status ${status} is not declared (declared: ${Object.keys(codes).join(', ')})`] };
      response = deref(this.doc, codes[code]);
      where += ` ${code}`;
      if (/^2/.test(status)) problems.push(...this.checkQuery(r.tpl, lookup, url, r.params));
      if (method === 'head') return { where, problems };
    }
    const content = response.content || {};
    if (Object.keys(content).length === 0) {
      if (body.length > 0) problems.push('a body was sent but the response declares no content');
      return { where, problems };
    }
    const mtKey = ct in content ? ct
      : `${ct.split('/')[0]}/*` in content ? `${ct.split('/')[0]}/*`
        : '*/*' in content ? '*/*' : null;
    if (mtKey === null) {
      problems.push(`content type "${rec.content_type}" is not declared (declared: ${Object.keys(content).join(', ')})`);
      return { where, problems };
    }
    where += ` ${mtKey}`;
    const schema = content[mtKey].schema;
    if (!/^application\/([a-z0-9.+-]*\+)?json$/.test(mtKey) || schema === undefined) return { where, problems };
    let data;
    try {
      data = JSON.parse(body.toString('utf8'));
    } catch (e) {
      problems.push(`body is not JSON: ${e.message}`);
      return { where, problems };
    }
    const validate = this.compile(where, schema);
    if (!validate(data)) problems.push(...explain(validate.errors, data));
    return { where, problems };
  }

  checkQuery(tpl, method, url, pathParams) {
    const problems = [];
    const params = this.parameters(tpl, method);
    for (const [name, value] of Object.entries(pathParams)) {
      const p = params.get(`path:${name}`);
      if (!p) problems.push(`path parameter "${name}" is not declared`);
      else problems.push(...this.checkValue(`${tpl}#path:${name}`, p, value));
    }
    for (const [name, value] of url.searchParams) {
      const p = params.get(`query:${name}`);
      if (!p) {
        problems.push(`query parameter "${name}" was accepted (2xx) but is not declared`);
        continue;
      }
      problems.push(...this.checkValue(`${tpl}#query:${name}`, p, value));
    }
    return problems;
  }

  // A parameter value arrives as text: valid as the string, or as the
  // number or boolean it spells.
  checkValue(key, param, value) {
    if (!param.schema) return [];
    const validate = this.compile(key, param.schema);
    const tries = [value];
    if (/^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$/.test(value)) tries.push(Number(value));
    if (value === 'true' || value === 'false') tries.push(value === 'true');
    if (tries.some((v) => validate(v))) return [];
    validate(value);
    return [`${param.in} parameter "${param.name}"=${JSON.stringify(value)} was accepted (2xx) but is invalid: ` +
      validate.errors.map((e) => `${e.instancePath || '(value)'} ${e.message}`).join('; ')];
  }
}

function explain(errors, data) {
  // The deepest errors first: they name the field that drifted.
  const out = [];
  for (const e of [...errors].sort((a, b) => b.instancePath.length - a.instancePath.length).slice(0, 12)) {
    let extra = '';
    let at = e.instancePath;
    if (e.keyword === 'additionalProperties' || e.keyword === 'unevaluatedProperties') {
      const name = e.params.additionalProperty ?? e.params.unevaluatedProperty;
      extra = ` "${name}"`;
      at = `${at}/${String(name).replace(/~/g, '~0').replace(/\//g, '~1')}`;
    } else if (e.keyword === 'enum') extra = ` (${e.params.allowedValues.join(', ')})`;
    let got = pointer(data, `#${at}`);
    got = got === undefined ? '' : ` got ${JSON.stringify(got).slice(0, 80)}`;
    out.push(`${e.instancePath || '(body)'} ${e.message}${extra}${got} [${e.schemaPath}]`);
  }
  if (errors.length > 12) out.push(`… ${errors.length - 12} more`);
  return out;
}

// Every schema compiles in strict mode, every $ref resolves, path
// parameters are declared, operationIds are unique.
function lint(doc) {
  const problems = [];
  const ajv = newAjv();
  try {
    ajv.addSchema({ $id: ROOT_ID, $defs: absolute(doc.components?.schemas || {}) });
    ajv.getSchema(ROOT_ID);
  } catch (e) {
    problems.push(`components.schemas: ${e.message}`);
  }
  for (const name of Object.keys(doc.components?.schemas || {})) {
    try {
      ajv.compile({ $ref: `${ROOT_ID}#/$defs/${name}` });
    } catch (e) {
      problems.push(`components.schemas.${name}: ${e.message}`);
    }
  }
  // Every required name is a property of the schema, of one it extends
  // (allOf, $ref) or of one of its alternatives (oneOf, anyOf).
  const props = (s, seen = new Set()) => {
    const out = new Set();
    if (!s || typeof s !== 'object') return out;
    if (typeof s.$ref === 'string' && !seen.has(s.$ref)) {
      seen.add(s.$ref);
      for (const k of props(pointer(doc, s.$ref), seen)) out.add(k);
    }
    for (const k of Object.keys(s.properties || {})) out.add(k);
    for (const sub of [...(s.allOf || []), ...(s.oneOf || []), ...(s.anyOf || [])])
      for (const k of props(sub, seen)) out.add(k);
    return out;
  };
  (function walkRequired(v, at) {
    if (Array.isArray(v)) v.forEach((x, i) => walkRequired(x, `${at}/${i}`));
    else if (v && typeof v === 'object') {
      if (Array.isArray(v.required) && (v.type === 'object' || v.properties || v.allOf)) {
        const have = props(v);
        for (const name of v.required)
          if (!have.has(name) && v.additionalProperties === undefined && v.unevaluatedProperties === undefined)
            continue;
          else if (!have.has(name)) problems.push(`${at}: required property "${name}" is not defined`);
      }
      for (const [k, x] of Object.entries(v)) if (k !== 'required') walkRequired(x, `${at}/${k}`);
    }
  })(doc, '#');
  const refs = [];
  (function walk(v, at) {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${at}/${i}`));
    else if (v && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) {
        if (k === '$ref' && typeof x === 'string') refs.push([at, x]);
        else walk(x, `${at}/${k}`);
      }
  })(doc, '#');
  for (const [at, ref] of refs)
    if (pointer(doc, ref) === undefined) problems.push(`${at}: $ref ${ref} does not resolve`);
  const ids = new Map();
  let operations = 0;
  for (const [tpl, item] of Object.entries(doc.paths || {})) {
    const inPath = [...tpl.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    for (const method of METHODS.filter((m) => item[m])) {
      operations++;
      const op = item[method];
      const where = `${method.toUpperCase()} ${tpl}`;
      if (!op.operationId) problems.push(`${where}: no operationId`);
      else if (ids.has(op.operationId)) problems.push(`${where}: operationId ${op.operationId} also used by ${ids.get(op.operationId)}`);
      else ids.set(op.operationId, where);
      const declared = [...(item.parameters || []), ...(op.parameters || [])].map((p) => deref(doc, p)).filter(Boolean);
      for (const name of inPath)
        if (!declared.some((p) => p.in === 'path' && p.name === name)) problems.push(`${where}: path parameter {${name}} not declared`);
      for (const p of declared.filter((x) => x.in === 'path'))
        if (!inPath.includes(p.name)) problems.push(`${where}: path parameter ${p.name} is not in the path`);
      for (const p of declared)
        if (p.schema) {
          try {
            ajv.compile(absolute(p.schema));
          } catch (e) {
            problems.push(`${where}: parameter ${p.name}: ${e.message}`);
          }
        }
      for (const [code, resp] of Object.entries(op.responses || {})) {
        const d = deref(doc, resp);
        for (const [mt, media] of Object.entries(d?.content || {}))
          if (media.schema) {
            try {
              ajv.compile(absolute(media.schema));
            } catch (e) {
              problems.push(`${where} ${code} ${mt}: ${e.message}`);
            }
          }
      }
      const sec = op.security ?? doc.security ?? [];
      for (const req of sec)
        for (const scheme of Object.keys(req))
          if (!doc.components?.securitySchemes?.[scheme]) problems.push(`${where}: unknown security scheme ${scheme}`);
    }
  }
  return { problems, operations };
}

async function cmdDoc(file) {
  // Loaded here only: the response checks do not need it.
  const { Validator } = await import('@seriousme/openapi-schema-validator');
  const validator = new Validator();
  const res = await validator.validate(file);
  let ok = true;
  if (!res.valid) {
    ok = false;
    process.stdout.write(`openapi: ${file} does not validate as OpenAPI ${validator.version ?? ''}:\n`);
    for (const e of [].concat(res.errors).slice(0, 30))
      process.stdout.write(`  ${e.instancePath ?? ''} ${e.message ?? JSON.stringify(e)}${e.params ? ` ${JSON.stringify(e.params)}` : ''}\n`);
  }
  const doc = validator.specification ?? loadJson(file);
  const { problems, operations } = lint(doc);
  for (const p of problems) process.stdout.write(`openapi: ${p}\n`);
  if (problems.length) ok = false;
  const nschemas = Object.keys(doc.components?.schemas || {}).length;
  process.stdout.write(`openapi: ${file}: ${ok ? 'valid' : 'INVALID'} OpenAPI ${doc.openapi}, ${operations} operations, ${nschemas} schemas\n`);
  return ok;
}

function cmdRecords(specFile, records, { coverage, quiet, requireOperations }) {
  const c = new Contract(specFile);
  let failed = 0;
  const seen = new Map();
  const ok2xx = new Set();
  for (const rec of records) {
    let res;
    try {
      res = c.check(rec);
    } catch (e) {
      res = { problems: [`validator error: ${e.stack}`] };
    }
    const label = `${String(rec.method || 'GET').toUpperCase()} ${rec.path} -> ${rec.status} ${rec.content_type || '(no content type)'}`;
    if (res.where) seen.set(res.where, (seen.get(res.where) || 0) + 1);
    if (res.problems.length) {
      failed++;
      process.stdout.write(`FAIL ${label}${res.where ? `  [${res.where}]` : ''}\n`);
      for (const p of res.problems) process.stdout.write(`     ${p}\n`);
      if (rec.body_file) {
        try {
          process.stdout.write(`     body: ${readFileSync(rec.body_file, 'utf8').slice(0, 300).replace(/\n/g, '\\n')}\n`);
        } catch { /* already reported */ }
      }
    } else {
      if (res.where && /^2/.test(String(rec.status))) ok2xx.add(res.where);
      if (!quiet) process.stdout.write(`ok   ${label}  [${res.where}]\n`);
    }
  }
  const ops = new Set([...seen.keys()].filter((w) => !w.startsWith('(')).map((w) => w.split(' ').slice(0, 2).join(' ')));
  process.stdout.write(`openapi: ${records.length - failed}/${records.length} responses valid against ${specFile} ` +
    `(${ops.size} operations, ${seen.size} distinct responses exercised)\n`);
  let ok = failed === 0;
  if (requireOperations) {
    // Every operation answered 2xx at least once, validated.
    for (const [tpl, item] of Object.entries(c.doc.paths))
      for (const m of METHODS.filter((x) => item[x]))
        if (![...ok2xx].some((w) => w.startsWith(`${m.toUpperCase()} ${tpl} 2`))) {
          process.stdout.write(`FAIL no valid 2xx response exercised ${m.toUpperCase()} ${tpl}\n`);
          ok = false;
        }
  }
  if (coverage) {
    for (const [tpl, item] of Object.entries(c.doc.paths))
      for (const m of METHODS.filter((x) => item[x]))
        for (const code of Object.keys(item[m].responses || {})) {
          const key = `${m.toUpperCase()} ${tpl} ${code}`;
          if (![...seen.keys()].some((w) => w.startsWith(`${key} `) || w === key))
            process.stdout.write(`not exercised: ${key}\n`);
        }
  }
  return ok;
}

function readRecords(files) {
  const out = [];
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    text.split('\n').forEach((line, i) => {
      if (line.trim() === '') return;
      try {
        out.push(JSON.parse(line));
      } catch (e) {
        out.push({ method: '?', path: `${f}:${i + 1}`, status: '?', body: Buffer.alloc(0), parseError: e.message });
      }
    });
  }
  return out;
}

async function main() {
  const args = process.argv.slice(2);
  const opts = { spec: DEFAULT_SPEC, coverage: false, quiet: false, requireOperations: false };
  while (args[0]?.startsWith('--')) {
    const o = args.shift();
    if (o === '--spec') opts.spec = args.shift();
    else if (o === '--coverage') opts.coverage = true;
    else if (o === '--quiet') opts.quiet = true;
    else if (o === '--require-operations') opts.requireOperations = true;
    else usage();
  }
  if (!opts.spec) usage();
  const cmd = args.shift();
  let ok;
  if (cmd === 'doc') {
    if (args.length > 1) usage();
    ok = await cmdDoc(args[0] ?? opts.spec);
  } else if (cmd === 'response') {
    if (args.length !== 5) usage();
    const [method, path, status, content_type, body_file] = args;
    ok = cmdRecords(opts.spec, [{ method, path, status, content_type, body_file }], opts);
  } else if (cmd === 'batch') {
    if (args.length === 0) usage();
    const records = readRecords(args);
    for (const r of records.filter((x) => x.parseError)) process.stdout.write(`FAIL ${r.path}: not a JSON record: ${r.parseError}\n`);
    ok = cmdRecords(opts.spec, records.filter((x) => !x.parseError), opts) && !records.some((x) => x.parseError);
  } else usage();
  process.exit(ok ? 0 : 1);
}

main().catch((e) => {
  process.stderr.write(`validate.mjs: ${e.stack || e}\n`);
  process.exit(2);
});
