import { SingleBar } from 'cli-progress';

/** A progress bar on a terminal, plain periodic lines elsewhere (CI logs). */
export function progressBar(label: string) {
  const tty = process.stderr.isTTY;
  const bar = tty ? new SingleBar({ format: `${label} [{bar}] {percentage}% {value}/{total}`, stream: process.stderr, hideCursor: true }) : null;
  let started = false;
  let lastLogged = -1;
  return {
    update(done: number, total: number) {
      if (bar) {
        if (!started) bar.start(total, 0);
        started = true;
        bar.update(done);
        if (done >= total) bar.stop();
        return;
      }
      const tenth = Math.floor((done / Math.max(total, 1)) * 10);
      if (tenth !== lastLogged) {
        lastLogged = tenth;
        process.stderr.write(`${label}: ${done}/${total}\n`);
      }
    },
    stop() {
      if (bar && started) bar.stop();
    },
  };
}
