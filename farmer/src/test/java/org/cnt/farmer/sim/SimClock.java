package org.cnt.farmer.sim;

/** Simulated time in milliseconds: it moves only when the simulator moves it, never backwards. */
final class SimClock {
    private long nowMs;

    long nowMs() {
        return nowMs;
    }

    /** Jumps to the next event's time, if it is later. */
    void advanceTo(long eventMs) {
        nowMs = Math.max(nowMs, eventMs);
    }
}
