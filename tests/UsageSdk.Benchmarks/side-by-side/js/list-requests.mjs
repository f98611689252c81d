// Pages every request log of a project with the official Deepgram JS SDK (@deepgram/sdk, installed by `npm ci` from
// package-lock.json), page size 1000, in the hand loop a user writes (the SDK has no pager), and prints
// "<items> <usd>". Usage: node list-requests.mjs <base-url> <project-id>
import { DeepgramClient } from "@deepgram/sdk";

const [baseUrl, projectId] = process.argv.slice(2);
if (!baseUrl || !projectId) {
  console.error("usage: node list-requests.mjs <base-url> <project-id>");
  process.exit(2);
}
const limit = 1000;
const client = new DeepgramClient({ apiKey: "bench-key", baseUrl });
let count = 0;
let usd = 0;
for (let page = 0; ; page++) {
  const body = await client.manage.v1.projects.requests.list(projectId, { page, limit });
  const requests = body.requests ?? [];
  for (const r of requests) {
    count++;
    usd += r.response?.details?.usd ?? 0;
  }
  if (requests.length < limit) {
    break;
  }
}
console.log(`${count} ${usd.toFixed(2)}`);
