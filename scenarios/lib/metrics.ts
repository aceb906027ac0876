// Custom metrics and the response callback shared by every entry (imported for its effect in the init context).

import http from 'k6/http';
import { Counter } from 'k6/metrics';

/** 429 responses, tagged like the request (name, persona): rate limiting is reported apart from errors. */
export const rateLimited = new Counter('rate_limited');

// 429 is an expected status, so it never counts in http_req_failed; rate_limited counts it instead.
http.setResponseCallback(http.expectedStatuses({ min: 200, max: 399 }, 429));
