// k6 provides console in every context, but @types/k6 does not declare it (and the scripts get no DOM or Node types).

declare const console: {
  log(...data: unknown[]): void;
  warn(...data: unknown[]): void;
  error(...data: unknown[]): void;
};
