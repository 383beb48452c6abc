package org.cnt.farmer.sim;

import org.cnt.chain.micro.MicroMessage;

/** Small shared shapes of the simulator. */
final class SimNet {
    private SimNet() {
    }

    /** A message a simulated party wants sent. */
    record Out(int to, MicroMessage message) {
    }
}
