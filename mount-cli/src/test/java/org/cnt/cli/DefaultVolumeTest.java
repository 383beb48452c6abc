package org.cnt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.cnt.chain.api.Views;
import org.junit.jupiter.api.Test;

class DefaultVolumeTest {
    private static Views.Volume volume(String status, long expirySec) {
        return new Views.Volume(7, null, "photos", 1024, 0, expirySec, expirySec + 86_400 * 7,
                status, List.of());
    }

    @Test
    void aLeaseThatRanOutSaysHowToExtendIt() {
        assertThat(DefaultVolume.leaseProblem(volume("active", 2_000), 1_000)).isNull();
        String expired = DefaultVolume.leaseProblem(volume("locked", 2_000), 3_000);
        assertThat(expired).isEqualTo("the lease of volume photos expired on "
                + "1970-01-01T00:33:20Z; extend it with 'cnt volume extend photos --days 30' "
                + "(possible until 1970-01-08T00:33:20Z)");
        assertThat(DefaultVolume.leaseProblem(volume("active", 2_000), 2_000))
                .as("expiry reached before the chain locked it").startsWith("the lease");
    }
}
