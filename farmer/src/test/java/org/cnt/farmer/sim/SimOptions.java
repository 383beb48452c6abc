package org.cnt.farmer.sim;

/**
 * What one simulated run does to the copy group. Every choice below the options is drawn from the
 * seed, so the seed and these options reproduce a run exactly.
 */
record SimOptions(int members, int safetySteps, int livenessSteps, boolean byzantine,
                  boolean crashes, boolean lossyNetwork, boolean partitions,
                  boolean brokenQuorum, boolean handover) {

    static SimOptions faulty(int steps) {
        return new SimOptions(4, steps, 60_000, true, true, true, true, false, false);
    }

    static SimOptions calm(int steps) {
        return new SimOptions(4, steps, 60_000, false, false, false, false, false, false);
    }

    /**
     * A third of the way in, the main chain replaces one member by a newcomer (epoch 2); drops,
     * duplicates, reordering, crashes and partitions go on around the seal and the snapshot.
     */
    static SimOptions handover(int steps) {
        return new SimOptions(4, steps, 60_000, false, true, true, true, false, true);
    }

    SimOptions withBrokenQuorum() {
        return new SimOptions(members, safetySteps, livenessSteps, byzantine, crashes,
                lossyNetwork, partitions, true, handover);
    }
}
