// The `prometheus` section of result.json, version 1: a run's P95, P99 and error rate read back from the Prometheus
// k6 wrote to (its native histograms), and the server's own from the stack's metrics, beside the run's figures.

import { Type, type Static } from '@sinclair/typebox';

export const PROMETHEUS_READBACK_SCHEMA = 'conecta-load/prometheus-readback@1' as const;

const ms = (description: string) => Type.Number({ minimum: 0, description });

export const PrometheusReadback = Type.Object(
  {
    schema: Type.Literal(PROMETHEUS_READBACK_SCHEMA),
    url: Type.String({ description: 'The Prometheus read (the one k6 wrote to)' }),
    testid: Type.String({ description: "The run's id: the `testid` label on every series k6 wrote" }),
    at: Type.String({ description: 'Instant the queries were evaluated at (ISO 8601): the end of the run' }),
    requests: Type.Integer({ minimum: 0, description: "Requests counted in k6's series (k6_http_reqs_total)" }),
    p95: ms("P95 of k6_http_req_duration from its native histograms (histogram_quantile), ms"),
    p99: ms('P99 likewise, ms'),
    errorRate: Type.Number({ minimum: 0, maximum: 1, description: 'k6_http_reqs_total{expected_response="false"} / all' }),
    nativeSchema: Type.Integer({ description: "The native histograms' schema: bucket bounds grow by 2^(2^-schema)" }),
    bucketFactor: Type.Number({ description: 'Ratio of consecutive bucket bounds (1.0905 at schema 3): the precision of P95/P99' }),
    serverP95: Type.Optional(ms("The server's own P95 over the run (the API's http_request_duration_seconds, classic buckets), ms")),
    serverP99: Type.Optional(ms("The server's own P99 likewise, ms")),
    serverErrorRate: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: "The server's 5xx share over the run" })),
  },
  { description: "What Prometheus says of the run, beside the run's own figures (`run` with remote write)" },
);

export type PrometheusReadback = Static<typeof PrometheusReadback>;
