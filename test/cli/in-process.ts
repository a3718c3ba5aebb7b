import { main } from '../../src/cli/main.js';

/** `mia ARGS` in this process (no subprocess): its exit code and what it wrote to stdout and stderr. */
export async function runMain(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(
    args,
    (s) => {
      stdout += s;
    },
    (s) => {
      stderr += s;
    },
  );
  return { code, stdout, stderr };
}
