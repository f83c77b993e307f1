// Runs the graphql-http GraphQL-over-HTTP audit suite against a running server.
// Usage: node audit.mjs http://127.0.0.1:PORT/graphql
// Prints one JSON line per audit ({id, name, status, reason}) and exits 1 when a
// MUST audit fails (status "error"), 2 on a usage or fatal error.
import { auditServer } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit.mjs <graphql url>');
  process.exit(2);
}

try {
  const results = await auditServer({ url });
  let failed = 0;
  for (const result of results) {
    const line = { id: result.id, name: result.name, status: result.status };
    if (result.status !== 'ok') {
      line.reason = result.reason;
      if (result.response) {
        line.httpStatus = result.response.status;
      }
    }
    if (result.status === 'error') failed += 1;
    console.log(JSON.stringify(line));
  }
  process.exit(failed ? 1 : 0);
} catch (err) {
  console.error(`audit could not run: ${err && err.stack ? err.stack : err}`);
  process.exit(2);
}
