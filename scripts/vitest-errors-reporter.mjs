// A vitest reporter for the errors vitest's JSON report leaves out: a
// describe block's failed hook (a beforeAll that throws skips its tests, and
// the JSON gives the file an empty message) and errors outside any test.
// Writes { "<file>": ["<message>", ...], "": [<unhandled errors>] } to the
// path in FASTERBERT_VITEST_ERRORS (scripts/test-summary.mjs reads it).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

// An error's message with the name vitest gives it, as its stack begins.
function describeError(error) {
  const name = error.name !== undefined && error.name !== 'Error' ? `${error.name}: ` : 'Error: ';
  return `${name}${String(error.message ?? error).trim()}`;
}

export default class ErrorsReporter {
  onTestRunEnd(testModules, unhandledErrors) {
    const target = process.env['FASTERBERT_VITEST_ERRORS'];
    if (target === undefined || target === '') return;
    const errors = {};
    for (const testModule of testModules) {
      const own = [
        ...testModule.errors().map(describeError),
        ...[...testModule.children.allSuites()].flatMap((suite) =>
          suite.errors().map((error) => `in '${suite.fullName}': ${describeError(error)}`),
        ),
      ];
      if (own.length > 0) errors[testModule.moduleId] = own;
    }
    if (unhandledErrors.length > 0) errors[''] = unhandledErrors.map(describeError);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, `${JSON.stringify(errors, null, 1)}\n`);
  }
}
