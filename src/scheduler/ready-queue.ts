/**
 * The scheduler's ready queue: a binary max-heap of task indices, ordered by longest remaining path,
 * then priority, then id rank (for determinism). Keys live in typed arrays owned by the caller, so a
 * key change is "write the array, then `update(index)`": O(log n), with no allocation per push or pop.
 */
export class ReadyQueue {
  private readonly heap: Int32Array;
  /** Where each task sits in `heap`, or -1 when it is not queued. */
  private readonly position: Int32Array;
  private length = 0;

  /**
   * @param remainingPath per task index: effort of the longest path from the task to a sink (higher first)
   * @param priority per task index: priority rank (higher first)
   * @param idRank per task index: rank of the id in sorted order (lower first)
   */
  constructor(
    private readonly remainingPath: Float64Array,
    private readonly priority: Uint8Array,
    private readonly idRank: Int32Array,
  ) {
    this.heap = new Int32Array(remainingPath.length);
    this.position = new Int32Array(remainingPath.length).fill(-1);
  }

  /** Number of queued tasks. */
  get size(): number {
    return this.length;
  }

  /** Whether `task` is queued. */
  has(task: number): boolean {
    return this.position[task]! >= 0;
  }

  /** Queues `task` (no-op if it is already queued). O(log n). */
  push(task: number): void {
    if (this.position[task]! >= 0) return;
    const at = this.length++;
    this.heap[at] = task;
    this.position[task] = at;
    this.siftUp(at);
  }

  /** Removes and returns the first task, or -1 when empty. O(log n). */
  pop(): number {
    if (this.length === 0) return -1;
    const top = this.heap[0]!;
    this.position[top] = -1;
    const last = this.heap[--this.length]!;
    if (this.length > 0) {
      this.heap[0] = last;
      this.position[last] = 0;
      this.siftDown(0);
    }
    return top;
  }

  /** The first task without removing it, or -1 when empty. */
  peek(): number {
    return this.length === 0 ? -1 : this.heap[0]!;
  }

  /** Restores heap order after the caller changed the keys of `task` (no-op if it is not queued). */
  update(task: number): void {
    const at = this.position[task]!;
    if (at < 0) return;
    this.siftDown(this.siftUp(at));
  }

  /** Whether task `a` goes before task `b`. */
  private before(a: number, b: number): boolean {
    const ra = this.remainingPath[a]!;
    const rb = this.remainingPath[b]!;
    if (ra !== rb) return ra > rb;
    const pa = this.priority[a]!;
    const pb = this.priority[b]!;
    if (pa !== pb) return pa > pb;
    return this.idRank[a]! < this.idRank[b]!;
  }

  private siftUp(start: number): number {
    const heap = this.heap;
    const task = heap[start]!;
    let at = start;
    while (at > 0) {
      const parentAt = (at - 1) >> 1;
      const parent = heap[parentAt]!;
      if (!this.before(task, parent)) break;
      heap[at] = parent;
      this.position[parent] = at;
      at = parentAt;
    }
    heap[at] = task;
    this.position[task] = at;
    return at;
  }

  private siftDown(start: number): void {
    const heap = this.heap;
    const n = this.length;
    const task = heap[start]!;
    let at = start;
    for (;;) {
      const left = 2 * at + 1;
      if (left >= n) break;
      const right = left + 1;
      let child = left;
      if (right < n && this.before(heap[right]!, heap[left]!)) child = right;
      const childTask = heap[child]!;
      if (!this.before(childTask, task)) break;
      heap[at] = childTask;
      this.position[childTask] = at;
      at = child;
    }
    heap[at] = task;
    this.position[task] = at;
  }
}
