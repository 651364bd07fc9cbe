// Shows a block of lines that keeps changing: redrawn in place on a terminal, and as plain lines
// when the output is a pipe or a file (CI logs, tests), where redrawing would only add noise.

export interface LiveView {
  /** `headline` is one summary line; `body` the table under it. */
  update(headline: string, body: readonly string[]): void;
  /** Leaves the last drawing in place; later output goes below it. */
  finish(): void;
}

export interface LiveViewOptions {
  /** Default: whether `out` is a TTY. */
  tty?: boolean;
  /** Plain mode: a changed table is printed at most this often (default 3 s)… */
  minIntervalMs?: number;
  /** …and an unchanged one is summarized by its headline this often (default 15 s). */
  heartbeatMs?: number;
}

export function createLiveView(out: NodeJS.WriteStream, options: LiveViewOptions = {}): LiveView {
  return options.tty ?? out.isTTY ? terminalView(out) : plainView(out, options.minIntervalMs ?? 3000, options.heartbeatMs ?? 15_000);
}

function terminalView(out: NodeJS.WriteStream): LiveView {
  let drawn = 0;
  return {
    update(headline, body) {
      // A line wider than the terminal wraps and breaks the cursor arithmetic: cut it.
      const width = Math.max(20, (out.columns || 120) - 1);
      const lines = [headline, ...body].map((line) => (line.length > width ? `${line.slice(0, width - 1)}…` : line));
      // Cursor to the start of the first drawn line, clear to the end of the screen, draw again.
      const rewind = drawn > 0 ? `\x1b[${drawn}F\x1b[J` : '';
      out.write(`${rewind}${lines.join('\n')}\n`);
      drawn = lines.length;
    },
    finish() {
      drawn = 0;
    },
  };
}

function plainView(out: NodeJS.WriteStream, minIntervalMs: number, heartbeatMs: number): LiveView {
  let printedBody: string | undefined;
  let printedAt = 0;
  let pending: { headline: string; body: string } | undefined;
  const print = (headline: string, body: string) => {
    out.write(`${headline}\n${body.replace(/^(?=.)/gm, '  ')}\n`);
    printedBody = body;
    printedAt = Date.now();
    pending = undefined;
  };
  return {
    update(headline, lines) {
      const body = lines.join('\n');
      const since = Date.now() - printedAt;
      if (body !== printedBody) {
        if (since >= minIntervalMs) print(headline, body);
        else pending = { headline, body };
        return;
      }
      pending = undefined;
      if (since >= heartbeatMs) {
        out.write(`${headline}\n`);
        printedAt = Date.now();
      }
    },
    finish() {
      // The final state is always shown, even if it changed just after the last print.
      if (pending) print(pending.headline, pending.body);
    },
  };
}
