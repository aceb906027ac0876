// A vitest reporter that appends each failed test or suite (a failed beforeAll fails its suite, and vitest's JSON
// report keeps no message for that) to test-output/failures.jsonl: test-summary.mjs prints them last, so the cause
// of a failure stands next to the count at the end of a long CI log.
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, relative } from 'node:path';

const OUT = 'test-output/failures.jsonl';

function* failed(task, path) {
  const here = 'filepath' in task ? [] : [...path, task.name];
  if (task.result?.state === 'fail' && task.result.errors?.length) {
    const e = task.result.errors[0];
    yield { name: here.join(' > ') || '(the file)', message: String(e.message ?? e).split('\n').slice(0, 3).join(' ').slice(0, 600) };
  }
  for (const t of task.tasks ?? []) yield* failed(t, here);
}

export default class FailuresReporter {
  onFinished(files = []) {
    const rows = files.flatMap((f) => [...failed(f, [])].map((r) => ({ file: relative(process.cwd(), f.filepath), ...r })));
    if (!rows.length) return;
    mkdirSync(dirname(OUT), { recursive: true });
    appendFileSync(OUT, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  }
}
