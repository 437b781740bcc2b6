// One k6 output file as a stream of EventBatches in time order: read (k6-output-reader.ts), turned into requests
// (request-records.ts) and released through its TimeWindow. Reading runs ahead of the consumer by at most
// `aheadBatches` full batches, then pauses until one is taken (backpressure, bounded memory).

import { K6_DEFAULTS } from '../../defaults.ts';
import type { EventBatch } from './event-batch.ts';
import { scanK6Output } from './k6-output-reader.ts';
import { RecordBuilder } from './request-records.ts';
import { TimeWindow } from './time-window.ts';

export interface FileStreamOptions {
  /** Batches read ahead of the consumer (1: one ready while the consumer works on another). */
  aheadBatches?: number;
  /** Events per batch (tests use small ones to exercise batch boundaries). */
  batchEvents?: number;
}

export class FileStream {
  private readonly window: TimeWindow;
  private readonly builder: RecordBuilder;
  private readonly ahead: number;
  private consumer: { resolve: (batch: EventBatch) => void; reject: (error: unknown) => void } | undefined;
  private resumeReading: (() => void) | undefined;
  private failure: { error: unknown } | undefined;
  private cancelled = false;

  constructor(path: string, file: number, options: FileStreamOptions = {}) {
    // Until the file declares its scripts' request timeout, assume k6's default one.
    this.window = new TimeWindow(file, K6_DEFAULTS.mergeAssumedTimeoutMs + K6_DEFAULTS.mergeDisorderMs, options.batchEvents);
    this.builder = new RecordBuilder(path, this.window);
    this.ahead = options.aheadBatches ?? 1;
    void scanK6Output(path, this.builder.onPoint, { onChunk: () => this.afterChunk() })
      .then((scan) => {
        const summary = this.builder.end(scan);
        summary.late = this.window.late;
        summary.peakHeld = this.window.peakHeld;
        this.window.release(true);
        this.window.ready.at(-1)!.done = { summary };
        this.deliver();
      })
      .catch((error: unknown) => {
        this.failure = { error };
        this.deliver();
      });
  }

  /** The next batch in time order; the one with `done` is the last. Rejects with the file's error (K6OutputError…). */
  next(): Promise<EventBatch> {
    return new Promise((resolve, reject) => {
      this.consumer = { resolve, reject };
      this.deliver();
    });
  }

  /** A batch the consumer is done with: its arrays are filled again (no garbage per batch). */
  recycle(batch: EventBatch): void {
    this.window.recycle(batch);
  }

  /** Stop reading (the merge failed elsewhere): the file is closed at the next chunk. */
  cancel(): void {
    this.cancelled = true;
    const resume = this.resumeReading;
    this.resumeReading = undefined;
    resume?.();
  }

  private afterChunk(): Promise<void> | undefined {
    if (this.cancelled) throw new Error('cancelled');
    this.window.release(false);
    this.deliver();
    if (this.window.ready.length <= this.ahead) return undefined;
    return new Promise((resolve) => {
      this.resumeReading = resolve;
    });
  }

  private deliver(): void {
    const consumer = this.consumer;
    if (consumer === undefined) return;
    const ready = this.window.ready;
    if (ready.length > 0) {
      this.consumer = undefined;
      consumer.resolve(ready.shift()!);
      if (ready.length <= this.ahead && this.resumeReading !== undefined) {
        const resume = this.resumeReading;
        this.resumeReading = undefined;
        resume();
      }
      return;
    }
    if (this.failure !== undefined) {
      this.consumer = undefined;
      consumer.reject(this.failure.error);
    }
  }
}
