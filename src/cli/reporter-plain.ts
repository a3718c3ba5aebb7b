/** The plain reporter: a line per job as it finishes; for pipes, CI and logs. */
import type { EventSink, RunEvent } from '../run/index.js';

const secs = (ms: number): string => `${(ms / 1000).toFixed(1)}s`;

export function plainReporter(write: (s: string) => void): EventSink {
  let total = 0, done = 0;
  return (e: RunEvent) => {
    switch (e.type) {
      case 'runStarted': total = e.jobs; write(`mia: ${e.experiment}: ${e.jobs} jobs on the ${e.backend} backend${e.workers ? `, ${e.workers} worker${e.workers === 1 ? '' : 's'}` : ''}\n`); break;
      case 'jobFinished': done++; write(`  [${String(done).padStart(String(total).length)}/${total}] ✓ ${e.label} (${secs(e.ms)})${e.summary ? ` ${e.summary}` : ''}\n`); break;
      case 'cacheHit': done++; write(`  [${String(done).padStart(String(total).length)}/${total}] ✓ ${e.label} (cached)\n`); break;
      case 'jobFailed': done++; write(`  [${String(done).padStart(String(total).length)}/${total}] ✗ ${e.label}: ${e.error}\n`); break;
      case 'jobCancelled': done++; write(`  [${String(done).padStart(String(total).length)}/${total}] - ${e.label}: skipped, ${e.because} failed\n`); break;
      case 'jobSkipped': done++; write(`  [${String(done).padStart(String(total).length)}/${total}] · ${e.label} (not needed: ${e.reason})\n`); break;
      case 'cacheCorrupt': write(`  ! the cached ${e.label} was corrupt (${e.reason}); it was discarded and runs again\n`); break;
      case 'warning': write(`  ! ${e.message}\n`); break;
      case 'runFinished':
        write(`mia: ${e.interrupted ? 'stopped' : e.ok ? 'finished' : 'finished with failures'} in ${secs(e.ms)}${e.computed !== undefined ? `: ${e.computed} computed, ${e.cached ?? 0} from the cache` : ''}${e.failed ? `, ${e.failed} failed` : ''}${e.cancelled ? `, ${e.cancelled} not run` : ''}\n`);
        break;
      default: break;
    }
  };
}

/** JSON lines, one event per line. */
export function jsonReporter(write: (s: string) => void): EventSink {
  return (e: RunEvent) => write(`${JSON.stringify(e)}\n`);
}
