import { startTimer, type Clock, type ClockTimer } from '../../util/clock.js';

/** What waits on the line (the attempts sharing a signal): told when its deadline passes. */
export interface TimeoutEntry {
  /** Set by the line: the clock time the attempt times out at, and its neighbours in deadline order. */
  deadline: number;
  prev: TimeoutEntry | undefined;
  next: TimeoutEntry | undefined;
  expire(): void;
}

/**
 * The per-attempt timeouts of one model on a single clock timer. Its attempts share one `timeoutMs`,
 * so their deadlines come in the order they start: a list in deadline order, its head's deadline the
 * only one the clock needs to know. Thousands of calls in flight then hold no timer each: a timer, its
 * callback and its handle were about 300 B per call, and adding and clearing them cost CPU on every call.
 */
export class TimeoutLine {
  private head: TimeoutEntry | undefined;
  private tail: TimeoutEntry | undefined;
  private timer: ClockTimer | undefined;
  /** When the armed timer fires: at or before the head's deadline. */
  private armedFor = Infinity;
  private readonly fire = () => this.expireDue();

  constructor(
    private readonly clock: Clock,
    readonly timeoutMs: number,
  ) {}

  /** When an attempt that starts now times out. */
  deadlineFromNow(): number {
    return this.clock.now() + this.timeoutMs;
  }

  /** Puts `entry` on the line, to time out at `deadline` (by default, `timeoutMs` from now). */
  add(entry: TimeoutEntry, deadline = this.deadlineFromNow()): void {
    entry.deadline = deadline;
    // From the tail: a clock that stepped back is the only reason an entry goes anywhere but last.
    let after = this.tail;
    while (after && after.deadline > entry.deadline) after = after.prev;
    entry.prev = after;
    entry.next = after ? after.next : this.head;
    if (entry.next) entry.next.prev = entry;
    else this.tail = entry;
    if (after) after.next = entry;
    else this.head = entry;
    if (entry === this.head) this.arm();
  }

  /** Takes `entry` off the line (its attempts ended). Idempotent. */
  remove(entry: TimeoutEntry): void {
    if (entry.prev) entry.prev.next = entry.next;
    else if (this.head === entry) this.head = entry.next;
    else return;
    if (entry.next) entry.next.prev = entry.prev;
    else this.tail = entry.prev;
    entry.prev = entry.next = undefined;
    // A timer armed for an earlier head stays; it fires early and is armed again for the head then.
    // Nothing left to time: the timer may not keep the process alive. It stays armed when the clock can
    // say so, since calls one after another (a chain of tasks) would otherwise set and clear one each.
    if (!this.head) {
      if (this.timer?.hold) this.timer.hold(false);
      else this.disarm();
    }
  }

  private arm(): void {
    const head = this.head!;
    if (this.timer && this.armedFor <= head.deadline) {
      this.timer.hold?.(true);
      return;
    }
    this.disarm();
    this.armedFor = head.deadline;
    this.timer = startTimer(this.clock, head.deadline - this.clock.now(), this.fire);
  }

  private disarm(): void {
    this.timer?.cancel();
    this.timer = undefined;
    this.armedFor = Infinity;
  }

  private expireDue(): void {
    this.timer = undefined;
    this.armedFor = Infinity;
    const now = this.clock.now();
    while (this.head && this.head.deadline <= now) {
      const due = this.head;
      this.remove(due);
      due.expire();
    }
    if (this.head && !this.timer) this.arm();
  }
}
