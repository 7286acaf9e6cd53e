/**
 * How workerd runs a Durable Object's alarm, as a model the tests install over `ctx.storage` (workerd
 * src/workerd/io/actor-sqlite.c++ and src/workerd/server/alarm-scheduler.c++):
 * - setAlarm() of a time already past stores the runtime's current time instead;
 * - a write that leaves the stored time unchanged does not reach the scheduler, so it schedules nothing;
 * - while the handler runs, getAlarm() answers null until the handler writes an alarm, and the alarm it runs for is
 *   deleted after a successful run unless the handler wrote one;
 * - the scheduler forgets an alarm once its handler has run: a stored time that no write made live again never fires.
 * Nothing fires by itself: the test decides when (fire) and what the time is (now).
 */
export class AlarmModel {
  /** The alarm as storage holds it (what getAlarm() answers outside a handler). */
  stored: number | null = null
  /** The alarm the scheduler will run, if any. */
  live: number | null = null
  #inHandler = false
  #deferredDelete = false

  constructor(readonly now: () => number) {}

  /** Replaces the alarm methods of `storage` by this model. */
  install(storage: DurableObjectStorage) {
    Object.assign(storage, {
      getAlarm: async () => this.getAlarm(),
      setAlarm: async (at: number | Date) => this.setAlarm(typeof at === 'number' ? at : at.getTime()),
      deleteAlarm: async () => this.deleteAlarm(),
    })
    return this
  }

  getAlarm(): number | null {
    return this.#inHandler && this.#deferredDelete ? null : this.stored
  }

  setAlarm(at: number) {
    const time = Math.max(at, this.now())
    if (time !== this.stored) {
      this.stored = time
      this.live = time
    }
    this.#deferredDelete = false
  }

  deleteAlarm() {
    this.stored = null
    this.live = null
    this.#deferredDelete = false
  }

  /** True when the scheduler would run the handler now. */
  get due() {
    return this.live !== null && this.live <= this.now()
  }

  /** Runs `handler` as the scheduler would for the live alarm, if it is due; false if nothing ran. */
  async fire(handler: () => Promise<void>): Promise<boolean> {
    if (!this.due || this.#inHandler) return false
    this.#inHandler = true
    this.#deferredDelete = this.stored === this.live
    this.live = null
    try {
      await handler()
      if (this.#deferredDelete) this.stored = null
    } finally {
      this.#inHandler = false
      this.#deferredDelete = false
    }
    return true
  }
}
