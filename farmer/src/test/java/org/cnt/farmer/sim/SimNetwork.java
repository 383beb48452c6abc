package org.cnt.farmer.sim;

import java.util.HashSet;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;

/**
 * A seeded network: each message is delivered after a random delay (so messages reorder), or
 * dropped, or duplicated, unless a partition separates sender and receiver. Messages travel as
 * bytes and are decoded on arrival, so the codec is exercised on every hop.
 */
final class SimNetwork {
    /** A message in flight. */
    record Packet(long deliverAt, long order, int from, int to, byte[] bytes) {
    }

    private final Random random;
    private final PriorityQueue<Packet> inFlight = new PriorityQueue<>((a, b) ->
            a.deliverAt() != b.deliverAt() ? Long.compare(a.deliverAt(), b.deliverAt())
                    : Long.compare(a.order(), b.order()));
    private final Set<Integer> isolated = new HashSet<>();
    private long order;
    double dropRate;
    double duplicateRate;
    int maxDelayMs = 20;

    SimNetwork(Random random) {
        this.random = random;
    }

    void send(long now, int from, int to, byte[] bytes) {
        if (isolated.contains(from) != isolated.contains(to)) {
            return;
        }
        if (random.nextDouble() < dropRate) {
            return;
        }
        int copies = random.nextDouble() < duplicateRate ? 2 : 1;
        for (int i = 0; i < copies; i++) {
            inFlight.add(new Packet(now + 1 + random.nextInt(maxDelayMs), order++, from, to, bytes));
        }
    }

    Packet next(long until) {
        Packet head = inFlight.peek();
        return head != null && head.deliverAt() <= until ? inFlight.poll() : null;
    }

    long nextTime() {
        Packet head = inFlight.peek();
        return head == null ? Long.MAX_VALUE : head.deliverAt();
    }

    void isolate(int node) {
        isolated.add(node);
    }

    void heal() {
        isolated.clear();
        dropRate = 0;
        duplicateRate = 0;
    }

    int inFlightCount() {
        return inFlight.size();
    }

    Set<Integer> isolated() {
        return isolated;
    }
}
