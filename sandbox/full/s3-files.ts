// The full stack's file store: the API's files in the object store's per-tenant buckets, through the S3 API.
// Any failure to reach the store (refused, reset, timed out, a 5xx) is FileStoreDown, which the route answers
// with a 503; a missing key is a missing file.

import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { FileStoreDown, type FileStore } from '../api/files.js';

/** The region the S3 clients sign for (SeaweedFS accepts any; the SDK requires one). */
export const S3_REGION = 'us-east-1';

export interface S3Endpoint {
  url: string;
  accessKey: string;
  secretKey: string;
}

export function s3Client(e: S3Endpoint, timeoutMs = 10_000): S3Client {
  // The pinned SDK supports Node 20 (its engines say >=20); its notice about releases after January 2027 would
  // otherwise land, once per API process, in the middle of a demo's progress lines.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  return new S3Client({
    endpoint: e.url, region: S3_REGION, forcePathStyle: true,
    credentials: { accessKeyId: e.accessKey, secretAccessKey: e.secretKey },
    // The API answers 503 when the store is down; retries would only hide it behind the client's back-off.
    maxAttempts: 1,
    // throwOnRequestTimeout: without it the handler only logs a warning past requestTimeout and the call waits on,
    // so an upload to a store that has just restarted hung for 25 s instead of answering 503.
    requestHandler: { requestTimeout: timeoutMs, connectionTimeout: Math.min(timeoutMs, 3000), throwOnRequestTimeout: true },
  });
}


function down(e: unknown): never {
  const err = e as { name?: string; code?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const status = err.$metadata?.httpStatusCode;
  if (status === undefined || status >= 500 || err.name === 'TimeoutError') {
    throw new FileStoreDown(err.code ?? err.name ?? err.message ?? 'unreachable');
  }
  throw e;
}

export function s3FileStore(endpoint: S3Endpoint, client: S3Client = s3Client(endpoint)): FileStore {
  return {
    async put(bucket, key, f) {
      try {
        await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: f.body, ContentType: f.contentType }));
      } catch (e) {
        down(e);
      }
    },
    async get(bucket, key) {
      try {
        const r = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        const body = Buffer.from(await r.Body!.transformToByteArray());
        return { body, contentType: r.ContentType ?? 'application/octet-stream' };
      } catch (e) {
        const err = e as { name?: string; $metadata?: { httpStatusCode?: number } };
        if (err.name === 'NoSuchKey' || err.$metadata?.httpStatusCode === 404) return undefined;
        return down(e);
      }
    },
  };
}
