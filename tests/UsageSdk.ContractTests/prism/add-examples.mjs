// Writes a test copy of the vendor's OpenAPI file with realistic response examples, so Prism returns bodies shaped
// like the real API (its generated bodies have -1.79e308 numbers and "string" everywhere). The vendor file is only read.
//   node add-examples.mjs <vendor-spec.yaml> <copy.json>
// Each operation gets named `examples`; a request picks one with the header `Prefer: example=<name>` (the first is the
// default). Shapes follow ../../../../shared/docs/API-NOTES.md: where they differ from the spec's schema, Prism still
// serves them and lists the difference in `sl-violations` (location "response…"), which the tests read as spec defects.
import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from '@stoplight/yaml';

const [, , input, output] = process.argv;
if (!input || !output) {
  console.error('usage: node add-examples.mjs <vendor-spec.yaml> <copy.json>');
  process.exit(2);
}
const spec = parse(readFileSync(input, 'utf8'));

const details = {
  usd: 0.0125, duration: 12.5, total_audio: 25.0, channels: 2, streams: 1,
  models: ['1abfe86b-e047-4eed-858a-35e5625b41ee'], method: 'sync', tags: ['dev', 'billing'],
  features: ['diarize', 'punctuate'],
  config: { diarize: true, detect_topics: 'true', summarize: 'v2', keywords: ['refund'], alternatives: 1, model: 'nova-3' },
};
const succeeded = {
  request_id: '8f1c6a2e-1b7d-4c55-9a3e-2b8f0d6c4e11', project_uuid: '3b2f7f8e-6c1d-4f5a-9e2b-7d8c9a0b1c2d',
  created: '2023-10-05T22:49:03.509654Z', path: '/v1/listen?model=nova-3&diarize=true',
  api_key_id: '0e5f5c2a-9d47-4d8a-b3b7-7f2a1c9e6d10', accessor: 'b7f1e0c4-2a3d-4e5f-8a9b-0c1d2e3f4a5b',
  deployment: 'hosted', code: 200,
  response: {
    details, code: 200, completed: '2023-10-05T22:49:04.122Z',
    token_details: [{ feature: 'summarization', input: 1200, output: 95, model: 'llama-3' }],
  },
  callback: 'https://example.com/callback',
};
const classicCallback = {
  ...succeeded, request_id: '2c9d4e6f-8a1b-4c3d-9e5f-6a7b8c9d0e1f', created: '2023-10-05T21:10:00.000001Z',
  path: '/v1/listen?callback=https%3A%2F%2Fexample.com%2Fcb', code: undefined,
  response: { details: { ...details, method: 'async' }, code: 200, completed: '2023-10-05T21:10:03Z' },
  callback: { attempts: 1, code: 200, completed: '2023-10-05T21:10:05.5Z' },
};
delete classicCallback.code;
const failed = {
  request_id: '5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d', project_uuid: succeeded.project_uuid,
  created: '2023-10-05T20:00:00Z', path: '/v1/speak?model=aura-asteria-en', api_key_id: succeeded.api_key_id,
  deployment: 'hosted', code: 400, response: { code: 400, message: 'Bad Request: unsupported model' }, callback: null,
};
const speak = {
  request_id: '7e8f9a0b-1c2d-4e3f-a4b5-c6d7e8f9a0b1', project_uuid: succeeded.project_uuid,
  created: '2023-10-05T19:00:00Z', path: '/v1/speak?model=aura-asteria-en', api_key_id: succeeded.api_key_id,
  code: 200,
  response: {
    code: 200, completed: '2023-10-05T19:00:01Z',
    tts_details: { duration: 3.2, speech_segments: [{ characters: 120, model: 'aura-asteria-en', tier: 'aura' }] },
  },
};
const pending = {
  request_id: '9b8a7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d', project_uuid: succeeded.project_uuid,
  created: '2023-10-05T22:59:00Z', path: '/v1/listen', api_key_id: succeeded.api_key_id, response: {},
};

const usageResult = (day, hours) => ({
  start: day, end: day, hours, total_hours: hours + 1.96, requests: 54105,
  tokens: { in: 24770, out: 7521 }, tts: { characters: 9004185, requests: 23126 },
});
const breakdownResult = (hours) => ({
  hours, total_hours: typeof hours === 'string' ? '1621.74' : 1621.74, agent_hours: typeof hours === 'string' ? '41.34' : 41.34,
  tokens_in: 0, tokens_out: 0, tts_characters: 9158866, requests: 373381,
  grouping: {
    start: '2025-01-16', end: '2025-01-16', accessor: null, endpoint: null, feature_set: null,
    models: ['1abfe86b-e047-4eed-858a-35e5625b41ee'], method: null, tags: null, deployment: null,
  },
});
const breakdown = (hours) => ({
  start: '2025-01-16', end: '2025-01-23', resolution: { units: 'day', amount: 1 }, results: [breakdownResult(hours)],
});

// The cost half (API-NOTES "The cost half"): projects, keys, models, billing, balances.
const project = { project_id: '3b2f7f8e-6c1d-4f5a-9e2b-7d8c9a0b1c2d', name: 'Acme Voice (production)' };
const apiKey = (id, comment, scopes) => ({
  member: { member_id: '1000-2000-3000-4000', email: 'platform@acme.example' },
  api_key: { api_key_id: id, comment, scopes, created: '2023-06-27T16:59:46.572660Z' },
});
const billingResult = (dollars, day, lineItem) => ({
  dollars, grouping: { start: day, end: day, accessor: null, deployment: null, line_item: lineItem, tags: null },
});
const billing = (dollars) => ({
  start: '2025-01-16', end: '2025-01-23', resolution: { units: 'day', amount: 1 },
  results: [billingResult(dollars, '2025-01-16', 'streaming::nova-3'), billingResult(typeof dollars === 'string' ? '1.5' : 1.5, '2025-01-17', 'sync::aura-2')],
});

const examples = {
  '/v1/projects': {
    projects: { projects: [project, { project_id: '9d3c2b1a-0f4e-4d5c-8b7a-6e5f4d3c2b1a', name: 'Acme Voice (staging)' }] },
  },
  '/v1/projects/{project_id}': {
    project: { ...project, mip_opt_out: true },
  },
  '/v1/projects/{project_id}/keys': {
    keys: { api_keys: [apiKey('1234567890abcdef1234567890abcdef', 'web-backend', ['admin']), apiKey('fedcba0987654321fedcba0987654321', 'voice-agent', ['member'])] },
  },
  '/v1/projects/{project_id}/models': {
    models: {
      stt: [{ name: 'nova-3', canonical_name: 'nova-3', architecture: 'base', languages: ['en', 'en-us'], version: '2021-11-10.1',
        uuid: '6b28e919-8427-4f32-9847-492e2efd7daf', batch: true, streaming: true, formatted_output: true }],
      tts: [{ name: 'zeus', canonical_name: 'aura-2-zeus-en', architecture: 'aura-2', languages: ['en', 'en-US'], version: '2025-04-07.0',
        uuid: '2baf189d-91ac-481d-b6d1-750888667b31', metadata: { accent: 'American', tags: ['masculine', 'deep'] } }],
    },
  },
  '/v1/projects/{project_id}/billing/breakdown': {
    'string-dollars': billing('0.25'),
    'number-dollars': billing(0.25),
  },
  '/v1/projects/{project_id}/billing/fields': {
    fields: {
      accessors: ['12345678-1234-1234-1234-123456789012', '87654321-4321-4321-4321-210987654321'],
      deployments: ['hosted', 'dedicated'], tags: ['dev', 'production'],
      line_items: { 'streaming::nova-3': 'Nova - 3 (Stream)', 'sync::aura-2': 'Aura -2 (Sync)' },
    },
  },
  '/v1/projects/{project_id}/balances': {
    balances: { balances: [{ balance_id: 'b123456-7890-1234-5678-901234', amount: 104.56822227, units: 'usd', purchase_order_id: 'po-1' }] },
    'legacy-purchase': { balances: [{ balance_id: 'b123456-7890-1234-5678-901234', amount: 250, units: 'usd', purchase: 'po-legacy' }] },
  },
  '/v1/projects/{project_id}/balances/{balance_id}': {
    flat: { balance_id: 'b123456-7890-1234-5678-901234', amount: 250, units: 'hour', purchase_order_id: 'po-1' },
  },
  '/v1/projects/{project_id}/requests': {
    page: { page: 0, limit: 10, requests: [succeeded, classicCallback, failed, speak, pending] },
    empty: { page: 1, limit: 10, requests: [] },
  },
  '/v1/projects/{project_id}/requests/{request_id}': {
    wrapped: { request: succeeded },
    flat: succeeded,
    'callback-object': { request: classicCallback },
    'callback-null': { request: failed },
    pending: { request: { ...pending, response: null } },
  },
  '/v1/projects/{project_id}/usage': {
    spec: { start: '2023-10-01', end: '2023-10-05', resolution: { units: 'day', amount: 1 } },
    results: {
      start: '2023-10-01', end: '2023-10-05', resolution: { units: 'day', amount: 1 },
      results: [usageResult('2023-10-01', 865.7331186111111), usageResult('2023-10-02', 12.5)],
    },
  },
  '/v1/projects/{project_id}/usage/breakdown': {
    'string-hours': breakdown('1619.72'),
    'number-hours': breakdown(1619.72),
  },
  '/v1/projects/{project_id}/usage/fields': {
    fields: {
      tags: ['dev', 'production'],
      models: [{ name: '2-general-nova', language: 'en-US', version: '2024-05-31.13574', model_id: '1abfe86b-e047-4eed-858a-35e5625b41ee' }],
      processing_methods: ['sync', 'streaming'], languages: ['en', 'en-US'],
      features: ['alternatives', 'detect_entities', 'detect_language'],
    },
  },
};

for (const [path, named] of Object.entries(examples)) {
  const media = spec.paths?.[path]?.get?.responses?.['200']?.content?.['application/json'];
  if (!media) {
    console.error(`add-examples: the spec has no 200 application/json response for GET ${path}`);
    process.exit(1);
  }
  delete media.example;
  media.examples = Object.fromEntries(Object.entries(named).map(([name, value]) => [name, { summary: name, value }]));
}
// JSON is YAML too, and JSON.stringify cannot turn '2023-10-01' into a timestamp.
writeFileSync(output, JSON.stringify(spec, null, 1));
console.log(`add-examples: wrote ${output}`);
