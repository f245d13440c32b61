import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectPython } from '../project-root.js';

/**
 * The folder of OpenVINOConfig.cmake, for -DOpenVINO_DIR: $OpenVINO_DIR when
 * set, else the cmake/ folder of the openvino wheel in the project's venv.
 */
export function findOpenVinoCmakeDir(): string {
  const fromEnvironment = process.env['OpenVINO_DIR'];
  if (fromEnvironment !== undefined && fromEnvironment !== '') return fromEnvironment;
  const python = projectPython();
  const run = spawnSync(
    python,
    ['-c', 'import openvino, os; print(os.path.join(os.path.dirname(openvino.__file__), "cmake"))'],
    { encoding: 'utf8', timeout: 60_000 },
  );
  const dir = run.status === 0 ? run.stdout.trim() : '';
  if (dir === '' || !existsSync(join(dir, 'OpenVINOConfig.cmake'))) {
    const why = (run.stderr || run.error?.message || 'no OpenVINOConfig.cmake there').trim();
    throw new Error(
      `cannot find OpenVINO's CMake files through ${python} (${why}); install the openvino wheel into the project's .venv or set OpenVINO_DIR`,
    );
  }
  return dir;
}
