// The response callback shared by every entry (imported for its effect in the init context).
// 429 is an expected status, so it never counts in http_req_failed; the ingest counts it from http_reqs' status
// tag as rate-limited (result.json's rateLimited). No custom Counter for it: importing k6/metrics costs every VU
// its own module instance (about 8 KB, bench/generator) for a count k6 already tags.

import http from 'k6/http';

http.setResponseCallback(http.expectedStatuses({ min: 200, max: 399 }, 429));
