/** The plain reporter: a line per job as it finishes; for pipes, CI and logs. */
import type { EventSink, RunEvent } from '../run/index.js';

const secs = (ms: number): string => `${(ms / 1000).toFixed(1)}s`;

export function plainReporter(write: (s: string) => void): EventSink {
  let total = 0,
    done = 0;
  /** One line per settled job, numbered `[ 3/20]`. */
  const settled = (line: string): void => {
    done++;
    write(`  [${String(done).padStart(String(total).length)}/${total}] ${line}\n`);
  };
  return (e: RunEvent) => {
    switch (e.type) {
      case 'runStarted':
        total = e.jobs;
        write(
          `mia: ${e.experiment}: ${e.jobs} jobs on the ${e.backend} backend${e.workers ? `, ${e.workers} worker${e.workers === 1 ? '' : 's'}` : ''}\n`,
        );
        break;
      case 'jobFinished':
        settled(`✓ ${e.label} (${secs(e.ms)})${e.summary ? ` ${e.summary}` : ''}`);
        break;
      case 'cacheHit':
        settled(`✓ ${e.label} (cached)`);
        break;
      case 'jobFailed':
        settled(`✗ ${e.label}: ${e.error}`);
        break;
      case 'jobCancelled':
        settled(`- ${e.label}: skipped, ${e.because} failed`);
        break;
      case 'jobSkipped':
        settled(`· ${e.label} (not needed: ${e.reason})`);
        break;
      case 'cacheCorrupt':
        write(`  ! the cached ${e.label} was corrupt (${e.reason}); it was discarded and runs again\n`);
        break;
      case 'warning':
        write(`  ! ${e.message}\n`);
        break;
      case 'runFinished':
        write(
          `mia: ${e.interrupted ? 'stopped' : e.ok ? 'finished' : 'finished with failures'} in ${secs(e.ms)}${e.computed !== undefined ? `: ${e.computed} computed, ${e.cached ?? 0} from the cache` : ''}${e.failed ? `, ${e.failed} failed` : ''}${e.cancelled ? `, ${e.cancelled} not run` : ''}\n`,
        );
        break;
      default:
        break;
    }
  };
}

/** JSON lines, one event per line. */
export function jsonReporter(write: (s: string) => void): EventSink {
  return (e: RunEvent) => write(`${JSON.stringify(e)}\n`);
}
